import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Temporal } from '../../platform/clock.ts'
import { sendTimeFor } from './quiet-hours.ts'

const at = (iso: string) => Temporal.Instant.from(iso)
const night = { from: '21:00', until: '07:00' }

describe('quiet hours', () => {
  it('hold back an SMS sent late in the evening until the morning, Swedish time', () => {
    // 22:30 in Stockholm (winter time, UTC+1) -> 07:00 the next day.
    assert.equal(sendTimeFor('sms', at('2026-11-25T21:30:00Z'), night).toString(), '2026-11-26T06:00:00Z')
  })

  it('hold back a push sent after midnight until the same morning', () => {
    assert.equal(sendTimeFor('push', at('2026-11-25T02:15:00Z'), night).toString(), '2026-11-25T06:00:00Z')
  })

  it('let messages through outside the quiet hours, and e-mail at any time', () => {
    assert.equal(sendTimeFor('sms', at('2026-11-25T12:00:00Z'), night).toString(), '2026-11-25T12:00:00Z')
    assert.equal(sendTimeFor('email', at('2026-11-25T21:30:00Z'), night).toString(), '2026-11-25T21:30:00Z')
    assert.equal(sendTimeFor('sms', at('2026-11-25T21:30:00Z'), null).toString(), '2026-11-25T21:30:00Z')
  })

  it('follow summer time', () => {
    // 23:00 in Stockholm in June (UTC+2) -> 07:00 the next day, 05:00 UTC.
    assert.equal(sendTimeFor('sms', at('2026-06-10T21:00:00Z'), night).toString(), '2026-06-11T05:00:00Z')
  })

  it('work for quiet hours within one day, such as lunch', () => {
    const lunch = { from: '12:00', until: '13:00' }
    assert.equal(sendTimeFor('sms', at('2026-11-25T11:30:00Z'), lunch).toString(), '2026-11-25T12:00:00Z')
    assert.equal(sendTimeFor('sms', at('2026-11-25T12:30:00Z'), lunch).toString(), '2026-11-25T12:30:00Z')
  })

  it('end exactly at the until time: a message at 07:00 goes at once', () => {
    assert.equal(sendTimeFor('sms', at('2026-11-25T06:00:00Z'), night).toString(), '2026-11-25T06:00:00Z')
  })
})
