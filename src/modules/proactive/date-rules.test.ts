import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Temporal } from '../../platform/clock.ts'
import { taxReturnDeadline, taxReturnOpens } from '../journeys/index.ts'
import { birthDatesTurning, formatDate, rulesDueOn } from './date-rules.ts'
import { hashRange } from './scan-date-triggers.ts'

const day = (iso: string) => Temporal.PlainDate.from(iso)
const calendar = { taxReturnOpens, taxReturnDeadline }

describe('the date rules', () => {
  it('find who turns 12 from the date of birth, a child of 29 February on 28 February in common years', () => {
    assert.deepEqual(birthDatesTurning(12, day('2026-11-25')), ['2014-11-25'])
    assert.deepEqual(birthDatesTurning(13, day('2025-02-28')), ['2012-02-28', '2012-02-29'])
    assert.deepEqual(birthDatesTurning(12, day('2024-02-29')), ['2012-02-29'])
    assert.deepEqual(birthDatesTurning(12, day('2025-03-01')), ['2013-03-01'])
  })

  it('tell the parents 60 days before the 4th birthday, and those turning 12 and 16 on the day', () => {
    const rules = rulesDueOn(day('2026-11-25'), calendar)
    const four = rules.find((r) => r.kind === 'parental-benefit-days-at-4')
    assert.deepEqual(four?.audience, { kind: 'custodians-of-born-on', birthDates: ['2023-01-24'] })
    assert.equal(four?.dueOn, '2027-01-24')
    assert.deepEqual(
      rules.filter((r) => r.kind !== 'case-may-request-decision').map((r) => [r.kind, r.audience]),
      [
        ['child-turns-12', { kind: 'custodians-of-born-on', birthDates: ['2014-11-25'] }],
        ['child-turns-16', { kind: 'custodians-of-born-on', birthDates: ['2010-11-25'] }],
        ['turns-16', { kind: 'born-on', birthDates: ['2010-11-25'] }],
        ['parental-benefit-days-at-4', { kind: 'custodians-of-born-on', birthDates: ['2023-01-24'] }],
      ],
    )
  })

  it('open the tax return for everyone with an income on the day Skatteverket opens it, and only then', () => {
    const opening = rulesDueOn(day('2026-03-17'), calendar).find((r) => r.kind === 'tax-return-opens')
    assert.deepEqual(opening?.audience, { kind: 'with-income' })
    assert.deepEqual(opening?.occasion, { value: '2026' })
    assert.deepEqual(opening?.reason.params, {
      date: '17 mars 2026',
      deadline: '4 maj 2026',
      incomeYear: '2025',
    })
    assert.equal(
      rulesDueOn(day('2026-03-18'), calendar).some((r) => r.kind === 'tax-return-opens'),
      false,
    )
  })

  it('reach an open case six months after it was submitted, every day of a longer month on its last day', () => {
    const cases = (iso: string) =>
      rulesDueOn(day(iso), calendar)
        .filter((r) => r.kind === 'case-may-request-decision')
        .flatMap((r) => (r.audience.kind === 'open-cases-submitted-on' ? r.audience.days : []))
    assert.deepEqual(cases('2026-11-25'), ['2026-05-25'])
    assert.deepEqual(cases('2026-02-28'), ['2025-08-28', '2025-08-29', '2025-08-30', '2025-08-31'])
  })

  it('say the date as people write it', () => {
    assert.equal(formatDate('2026-11-05'), '5 november 2026')
  })

  it('split the hash of the person id into ranges that cover it once', () => {
    for (const n of [1, 2, 3, 7]) {
      const ranges = Array.from({ length: n }, (_, p) => hashRange(p, n))
      assert.equal(ranges[0]?.from, -(2 ** 31))
      assert.equal(ranges[n - 1]?.to, 2 ** 31 - 1)
      for (let p = 1; p < n; p++) assert.equal(ranges[p]?.from, (ranges[p - 1]?.to ?? 0) + 1)
    }
  })
})
