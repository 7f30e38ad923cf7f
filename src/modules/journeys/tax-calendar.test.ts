import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Temporal } from '../../platform/clock.ts'
import { nextTaxReturnYear, taxReturnDeadline, taxReturnOpens } from './tax-calendar.ts'

describe('the tax-return calendar', () => {
  it('moves 2 May 2026, a Saturday, to Monday 4 May', () => {
    assert.equal(taxReturnDeadline(2026).toString(), '2026-05-04')
  })
  it('moves 2 May 2027, a Sunday, to Monday 3 May', () => {
    assert.equal(taxReturnDeadline(2027).toString(), '2027-05-03')
  })
  it('keeps 2 May 2028, a Tuesday', () => {
    assert.equal(taxReturnDeadline(2028).toString(), '2028-05-02')
  })
  it('knows the published opening day of 2026 and estimates later years', () => {
    assert.deepEqual(taxReturnOpens(2026), { date: Temporal.PlainDate.from('2026-03-17'), verified: true })
    assert.equal(taxReturnOpens(2027).verified, false)
  })
  it('looks ahead to next year once this year’s deadline has passed', () => {
    assert.equal(nextTaxReturnYear(Temporal.PlainDate.from('2026-05-04')), 2026)
    assert.equal(nextTaxReturnYear(Temporal.PlainDate.from('2026-11-25')), 2027)
  })
})
