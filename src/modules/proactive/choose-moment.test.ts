import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Temporal } from '../../platform/clock.ts'
import { chooseMoment, momentOn, moveMoment } from './choose-moment.ts'

const at = (iso: string) => Temporal.Instant.from(iso)
const day = (iso: string) => Temporal.PlainDate.from(iso)
// The tax return opens on Tuesday 17 March 2026, 07:00 Swedish time (UTC+1); the last day is 4 May.
const opening = at('2026-03-17T06:00:00Z')
const deadline = day('2026-05-04')
const erik = {
  preferredHours: { from: '18:00', until: '20:00' },
  quietHours: { from: '21:00', until: '07:00' },
}
const planned = (plan: ReturnType<typeof chooseMoment>) =>
  plan.kind === 'planned' ? [plan.at.toString(), plan.plannedBy] : [plan.kind]

describe('the moment of a reminder', () => {
  it('falls on the first day Erik’s calendar shows free before the deadline, at the start of his preferred hours', () => {
    // Busy Wednesday to Friday; the weekend is passed over; free on Monday 23 March.
    const freeDays = ['2026-03-17', '2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24']
    assert.deepEqual(planned(chooseMoment({ now: opening, deadline, freeDays, preferences: erik })), [
      '2026-03-23T17:00:00Z',
      'calendar',
    ])
  })

  it('without a shared calendar, comes the next weekday within his preferred hours', () => {
    assert.deepEqual(planned(chooseMoment({ now: opening, deadline, preferences: erik })), [
      '2026-03-18T17:00:00Z',
      'default',
    ])
  })

  it('with a calendar that is busy until the deadline, comes by the default rule rather than not at all', () => {
    assert.deepEqual(planned(chooseMoment({ now: opening, deadline, freeDays: [], preferences: erik })), [
      '2026-03-18T17:00:00Z',
      'default',
    ])
  })

  it('without preferred hours, comes at nine in the morning, Swedish time, summer time included', () => {
    const none = { preferredHours: null, quietHours: null }
    assert.deepEqual(planned(chooseMoment({ now: opening, deadline, preferences: none })), [
      '2026-03-18T08:00:00Z',
      'default',
    ])
    const april = at('2026-04-09T06:00:00Z') // Thursday; Friday 10 April is in summer time (UTC+2)
    assert.deepEqual(planned(chooseMoment({ now: april, deadline, preferences: none })), [
      '2026-04-10T07:00:00Z',
      'default',
    ])
  })

  it('is never in the quiet hours: it waits for them to end, even when they cover the preferred hours', () => {
    const early = {
      preferredHours: { from: '06:00', until: '09:00' },
      quietHours: { from: '22:00', until: '07:30' },
    }
    assert.equal(momentOn(day('2026-03-18'), early, opening)?.toString(), '2026-03-18T06:30:00Z')
    const covered = {
      preferredHours: { from: '05:00', until: '06:00' },
      quietHours: { from: '22:00', until: '07:00' },
    }
    assert.equal(momentOn(day('2026-03-18'), covered, opening)?.toString(), '2026-03-18T06:00:00Z')
  })

  it('comes before the deadline, on the last day before it if need be, or not at all', () => {
    const late = at('2026-05-02T10:00:00Z') // Saturday 2 May, 12:00; the last day is Monday 4 May
    assert.deepEqual(planned(chooseMoment({ now: late, deadline, preferences: erik })), [
      '2026-05-03T16:00:00Z',
      'default',
    ])
    const lastDay = at('2026-05-03T10:00:00Z')
    assert.deepEqual(planned(chooseMoment({ now: lastDay, deadline, preferences: erik })), [
      '2026-05-03T16:00:00Z',
      'default',
    ])
    assert.deepEqual(
      planned(chooseMoment({ now: at('2026-05-04T06:00:00Z'), deadline, preferences: erik })),
      ['too-late'],
    )
  })

  it('can be moved by Erik to a day of his choice before the deadline, never to the past', () => {
    const move = (iso: string, now = opening) =>
      moveMoment({ now, day: day(iso), deadline, preferences: erik })
    assert.deepEqual(move('2026-03-28'), { kind: 'moved', at: at('2026-03-28T17:00:00Z') })
    assert.deepEqual(move('2026-03-16'), { kind: 'in-the-past' })
    assert.deepEqual(move('2026-05-04'), { kind: 'not-before-deadline' })
    assert.deepEqual(move('2026-03-17'), { kind: 'moved', at: at('2026-03-17T17:00:00Z') })
    // Today at 18:40: the next quarter of an hour; at 20:10 his hours for today are over.
    assert.deepEqual(move('2026-03-17', at('2026-03-17T17:40:00Z')), {
      kind: 'moved',
      at: at('2026-03-17T17:45:00Z'),
    })
    assert.deepEqual(move('2026-03-17', at('2026-03-17T19:10:00Z')), { kind: 'no-time-left-today' })
  })
})
