// A shared calendar becomes busy periods only: start and end inside the window, nothing else; bad
// files get a reason, and no file makes the work unbounded.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  busyPeriodsFromICalendar,
  CALENDAR_LIMITS,
  type CalendarLimits,
  type ParsedCalendar,
} from './parse-calendar.ts'
import { readCalendar } from './read-calendar.ts'

const WINDOW = { from: '2026-11-25T00:00:00Z', until: '2027-03-25T00:00:00Z' }

const calendar = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Samla//SV', ...events, 'END:VCALENDAR', ''].join('\r\n')
const event = (...lines: string[]) =>
  ['BEGIN:VEVENT', 'DTSTAMP:20261101T000000Z', ...lines, 'END:VEVENT'].join('\r\n')
const bytes = (text: string) => new TextEncoder().encode(text)

function periodsOf(text: string, limits: CalendarLimits = CALENDAR_LIMITS) {
  const result = busyPeriodsFromICalendar(bytes(text), WINDOW, limits)
  assert.equal(result.kind, 'parsed', JSON.stringify(result))
  return result as Extract<ParsedCalendar, { kind: 'parsed' }>
}
const problemOf = (text: string | Uint8Array, limits: CalendarLimits = CALENDAR_LIMITS) => {
  const result = busyPeriodsFromICalendar(typeof text === 'string' ? bytes(text) : text, WINDOW, limits)
  return result.kind === 'invalid' ? result.problem : 'parsed'
}

describe('reading a shared calendar', () => {
  it('keeps only when the person is busy: no title, description, place or attendee', () => {
    const result = periodsOf(
      calendar(
        event(
          'UID:tandlakare@example.se',
          'DTSTART:20261201T080000Z',
          'DTEND:20261201T090000Z',
          'SUMMARY:Tandläkaren',
          'DESCRIPTION:Ta med frikortet',
          'LOCATION:Folktandvården Nacka',
          'ATTENDEE;CN=Erik:mailto:erik@example.se',
        ),
      ),
    )
    assert.deepEqual(result.periods, [{ start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T09:00:00.000Z' }])
    assert.doesNotMatch(JSON.stringify(result), /Tandläkaren|frikortet|Folktandvården|erik@/)
  })

  it('reads a named zone, a zone the file defines, a floating time and an all-day event in Swedish time', () => {
    const vtimezone = [
      'BEGIN:VTIMEZONE',
      'TZID:W. Europe Standard Time',
      'BEGIN:STANDARD',
      'DTSTART:16010101T030000',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:16010101T020000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
    ].join('\r\n')
    const result = periodsOf(
      calendar(
        vtimezone,
        event(
          'UID:a',
          'DTSTART;TZID=Europe/Stockholm:20261202T090000',
          'DTEND;TZID=Europe/Stockholm:20261202T100000',
        ),
        event(
          'UID:b',
          'DTSTART;TZID=W. Europe Standard Time:20261203T090000',
          'DTEND;TZID=W. Europe Standard Time:20261203T100000',
        ),
        event('UID:c', 'DTSTART:20261204T090000', 'DURATION:PT30M'),
        event('UID:d', 'DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261225'),
      ),
    )
    assert.deepEqual(result.periods, [
      { start: '2026-12-02T08:00:00.000Z', end: '2026-12-02T09:00:00.000Z' },
      { start: '2026-12-03T08:00:00.000Z', end: '2026-12-03T09:00:00.000Z' },
      { start: '2026-12-04T08:00:00.000Z', end: '2026-12-04T08:30:00.000Z' },
      { start: '2026-12-23T23:00:00.000Z', end: '2026-12-24T23:00:00.000Z' },
    ])
  })

  it('leaves out cancelled and free events, and joins periods that overlap', () => {
    const result = periodsOf(
      calendar(
        event('UID:1', 'DTSTART:20261201T080000Z', 'DTEND:20261201T090000Z'),
        event('UID:2', 'DTSTART:20261201T083000Z', 'DTEND:20261201T100000Z'),
        event('UID:3', 'DTSTART:20261201T100000Z', 'DTEND:20261201T103000Z'),
        event('UID:4', 'STATUS:CANCELLED', 'DTSTART:20261202T080000Z', 'DTEND:20261202T090000Z'),
        event('UID:5', 'TRANSP:TRANSPARENT', 'DTSTART:20261203T080000Z', 'DTEND:20261203T090000Z'),
        event('UID:6', 'DTSTART:20250101T080000Z', 'DTEND:20250101T090000Z'),
      ),
    )
    assert.deepEqual(result.periods, [{ start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T10:30:00.000Z' }])
    assert.equal(result.events, 6)
  })

  it('expands a recurring event without end only up to the window’s end, with its exceptions', () => {
    const result = periodsOf(
      calendar(
        event(
          'UID:simning@example.se',
          'DTSTART;TZID=Europe/Stockholm:20260105T170000',
          'DTEND;TZID=Europe/Stockholm:20260105T180000',
          'RRULE:FREQ=WEEKLY;BYDAY=MO',
          'EXDATE;TZID=Europe/Stockholm:20261214T170000',
        ),
        event(
          'UID:simning@example.se',
          'RECURRENCE-ID;TZID=Europe/Stockholm:20261207T170000',
          'DTSTART;TZID=Europe/Stockholm:20261208T170000',
          'DTEND;TZID=Europe/Stockholm:20261208T180000',
        ),
      ),
    )
    assert.equal(result.openEndedRecurrences, 1)
    const starts = result.periods.map((p) => p.start)
    // Mondays from 30 November 2026 to 22 March 2027: 17 of them, one moved to Tuesday, one removed.
    assert.equal(starts.length, 16)
    assert.equal(starts[0], '2026-11-30T16:00:00.000Z')
    assert.ok(starts.includes('2026-12-08T16:00:00.000Z'), 'the moved occurrence')
    assert.ok(!starts.includes('2026-12-07T16:00:00.000Z'))
    assert.ok(!starts.includes('2026-12-14T16:00:00.000Z'), 'the removed occurrence')
    assert.equal(starts.at(-1), '2027-03-22T16:00:00.000Z')
  })

  it('keeps the part inside the window of a long occurrence that starts before it', () => {
    const result = periodsOf(
      calendar(
        event(
          'UID:resa',
          'DTSTART:20250105T000000Z',
          'DURATION:P5D',
          'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SU',
        ),
      ),
    )
    // Every other Sunday from 5 January 2025: 22 November 2026 is one, and lasts into the window.
    assert.deepEqual(result.periods[0], {
      start: '2026-11-25T00:00:00.000Z',
      end: '2026-11-27T00:00:00.000Z',
    })
  })

  it('says why a file cannot be used', () => {
    assert.equal(problemOf(''), 'empty')
    assert.equal(problemOf('<!doctype html><html><body>Logga in</body></html>'), 'not-icalendar')
    assert.equal(problemOf('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026'), 'malformed', 'cut short')
    assert.equal(problemOf(calendar(event('UID:x', 'DTSTART:tomorrow'))), 'malformed')
    assert.equal(
      problemOf(calendar(event('UID:x', 'DTSTART:20261301T080000Z', 'DTEND:20261301T090000Z'))),
      'malformed',
    )
  })

  it('refuses an enormous file before parsing it', () => {
    const huge = new Uint8Array(CALENDAR_LIMITS.maxBytes + 1).fill(65)
    const started = performance.now()
    assert.equal(problemOf(huge), 'too-large')
    assert.ok(performance.now() - started < 50)
  })

  it('refuses a file with more events than it may hold', () => {
    const many = Array.from({ length: 11 }, (_, i) =>
      event(`UID:${i}`, 'DTSTART:20261201T080000Z', 'DTEND:20261201T090000Z'),
    )
    assert.equal(problemOf(calendar(...many), { ...CALENDAR_LIMITS, maxEvents: 10 }), 'too-many-events')
  })

  it('bounds a recurrence without end that repeats too often', () => {
    const started = performance.now()
    assert.equal(
      problemOf(
        calendar(event('UID:m', 'DTSTART:20261125T000000Z', 'DURATION:PT30S', 'RRULE:FREQ=MINUTELY')),
      ),
      'too-many-periods',
    )
    assert.equal(
      problemOf(calendar(event('UID:s', 'DTSTART:19700101T000000Z', 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY'))),
      'too-many-repetitions',
    )
    assert.ok(performance.now() - started < 5_000, 'bounded work')
  })
})

describe('reading a calendar in a worker thread', () => {
  it('gives the same answer as reading it directly', async () => {
    const text = calendar(event('UID:1', 'DTSTART:20261201T080000Z', 'DTEND:20261201T090000Z'))
    assert.deepEqual(await readCalendar(bytes(text), WINDOW), busyPeriodsFromICalendar(bytes(text), WINDOW))
  })

  it('ends the work when a rule would be expanded for ever', async () => {
    // 30 February never comes: ical.js would look for it without end.
    const never = calendar(
      event(
        'UID:n',
        'DTSTART:20260101T090000Z',
        'DTEND:20260101T100000Z',
        'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
      ),
    )
    const started = performance.now()
    assert.deepEqual(await readCalendar(bytes(never), WINDOW, { timeoutMs: 1_000 }), {
      kind: 'invalid',
      problem: 'too-slow',
    })
    assert.ok(performance.now() - started < 3_000)
  })
})
