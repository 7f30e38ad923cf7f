// From an iCalendar file to the periods when the person is busy, inside a bounded window: only
// start and end leave this function, never a title, description, place or attendee. ical.js parses
// the file and expands recurrence rules; the limits below keep the work bounded whatever the file
// holds (a recurrence without end is expanded only up to the window's end, and only so far).
import ICAL from 'ical.js'
import { Temporal, TIME_ZONE } from '../../platform/clock.ts'

export const CALENDAR_LIMITS = {
  /** Checked before anything is parsed. */
  maxBytes: 1024 * 1024,
  /** Events (VEVENT) in one file. */
  maxEvents: 5_000,
  /** Busy periods inside the window, before overlapping ones are joined. */
  maxPeriods: 5_000,
  /** Steps through recurrence rules, from each rule's start to the window's end, all rules together. */
  maxRecurrenceSteps: 50_000,
} as const

export type CalendarLimits = { [K in keyof typeof CALENDAR_LIMITS]: number }

export interface BusyPeriod {
  /** An instant, ISO 8601 in UTC. */
  start: string
  end: string
}

export type CalendarProblem =
  | 'empty'
  | 'not-icalendar'
  | 'malformed'
  | 'too-large'
  | 'too-many-events'
  | 'too-many-periods'
  | 'too-many-repetitions'
  | 'too-slow'

export type ParsedCalendar =
  | {
      kind: 'parsed'
      periods: BusyPeriod[]
      /** Events in the file, kept or not. */
      events: number
      /** Recurring events without an end, expanded up to the window's end only. */
      openEndedRecurrences: number
    }
  | { kind: 'invalid'; problem: CalendarProblem }

/** Stops the reading with the reason the person is told. */
class LimitReached extends Error {
  readonly problem: CalendarProblem
  constructor(problem: CalendarProblem) {
    super(problem)
    this.problem = problem
  }
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The busy periods in [from, until) of an iCalendar file, joined where they overlap or touch.
 * Cancelled and transparent ("free") events are left out; all-day events are busy all day in
 * Swedish time; times without a zone are read as Swedish time.
 */
export function busyPeriodsFromICalendar(
  content: Uint8Array,
  window: { from: string; until: string },
  limits: CalendarLimits = CALENDAR_LIMITS,
): ParsedCalendar {
  if (content.byteLength > limits.maxBytes) return { kind: 'invalid', problem: 'too-large' }
  const text = new TextDecoder('utf-8').decode(content).replace(/^\uFEFF/, '')
  if (text.trim() === '') return { kind: 'invalid', problem: 'empty' }
  if (!/^\s*BEGIN:VCALENDAR/i.test(text)) return { kind: 'invalid', problem: 'not-icalendar' }
  // A file cut short (a broken download, a half copy) is not read as if it were whole.
  if (!/END:VCALENDAR\s*$/i.test(text)) return { kind: 'invalid', problem: 'malformed' }
  let root: ICAL.Component
  try {
    const parsed = ICAL.parse(text) as unknown[]
    // Several calendars in one file: the first is the one shared.
    root = new ICAL.Component((Array.isArray(parsed[0]) ? parsed[0] : parsed) as never)
  } catch {
    return { kind: 'invalid', problem: 'malformed' }
  }
  if (root.name !== 'vcalendar') return { kind: 'invalid', problem: 'not-icalendar' }
  const components = root.getAllSubcomponents('vevent')
  if (components.length > limits.maxEvents) return { kind: 'invalid', problem: 'too-many-events' }
  try {
    return expand(components, Date.parse(window.from), Date.parse(window.until), limits)
  } catch (error) {
    if (error instanceof LimitReached) return { kind: 'invalid', problem: error.problem }
    // A value ical.js cannot read (a date like 2026-13-45, a rule it does not understand).
    return { kind: 'invalid', problem: 'malformed' }
  }
}

function expand(
  components: ICAL.Component[],
  from: number,
  until: number,
  limits: CalendarLimits,
): ParsedCalendar {
  const periods: Array<[number, number]> = []
  const add = (start: number, end: number) => {
    if (end <= from || start >= until || end <= start) return
    if (periods.length >= limits.maxPeriods) throw new LimitReached('too-many-periods')
    periods.push([Math.max(start, from), Math.min(end, until)])
  }
  // Changed occurrences of a recurring event (RECURRENCE-ID) belong to the event with their UID.
  const exceptions = new Map<string, ICAL.Component[]>()
  const masters: ICAL.Component[] = []
  for (const component of components) {
    const uid = String(component.getFirstPropertyValue('uid') ?? '')
    if (component.hasProperty('recurrence-id') && uid !== '') {
      exceptions.set(uid, [...(exceptions.get(uid) ?? []), component])
    } else masters.push(component)
  }
  const uids = new Set(masters.map((c) => String(c.getFirstPropertyValue('uid') ?? '')))
  // A changed occurrence whose event is not in the file stands on its own.
  for (const [uid, list] of exceptions) if (!uids.has(uid)) masters.push(...list)

  let steps = 0
  let openEnded = 0
  for (const component of masters) {
    if (!isBusy(component)) continue
    if (!component.hasProperty('dtstart')) continue
    const start = readTime(component, 'dtstart')
    const uid = String(component.getFirstPropertyValue('uid') ?? '')
    const recurring =
      (component.hasProperty('rrule') || component.hasProperty('rdate')) &&
      !component.hasProperty('recurrence-id')
    if (!recurring) {
      const [s, e] = span(component, start)
      add(s, e)
      continue
    }
    const zone = zoneName(component, 'dtstart')
    // Passing the exceptions (even none) keeps ical.js from searching every other event for them.
    const event = new ICAL.Event(component, { exceptions: exceptions.get(uid) ?? [] })
    const rules = component.getAllProperties('rrule').map((p) => p.getFirstValue() as ICAL.Recur)
    if (rules.some((r) => !r.isFinite())) openEnded++
    // How far before the window an occurrence may start and still reach into it: its length, and a
    // day either way for the zone. With changed occurrences, which may move, nothing is passed by.
    const changes = (exceptions.get(uid) ?? []).length > 0
    const reach = (event.duration?.toSeconds() ?? 0) * 1000 + 2 * DAY_MS
    const iterator = event.iterator()
    for (;;) {
      if (++steps > limits.maxRecurrenceSteps) throw new LimitReached('too-many-repetitions')
      const next = iterator.next()
      if (!next) break
      // The wall-clock time is within a day of the instant, whatever the zone: occurrences long
      // before the window are passed without the exact (slower) conversion.
      const rough = Date.UTC(next.year, next.month - 1, next.day, next.hour, next.minute, next.second)
      if (!changes && rough + reach < from) continue
      if (instant(next, zone) >= until) break
      const details = event.getOccurrenceDetails(next)
      const changed = details.item !== event
      if (changed && !isBusy(details.item.component)) continue
      const itemZone = changed ? zoneName(details.item.component, 'dtstart') : zone
      add(instant(details.startDate, itemZone), endOf(details.startDate, details.endDate, itemZone, itemZone))
    }
  }
  return {
    kind: 'parsed',
    periods: join(periods).map(([s, e]) => ({
      start: new Date(s).toISOString(),
      end: new Date(e).toISOString(),
    })),
    events: components.length,
    openEndedRecurrences: openEnded,
  }
}

/** Cancelled events and those marked as free (TRANSP:TRANSPARENT) do not make the person busy. */
function isBusy(component: ICAL.Component): boolean {
  const status = String(component.getFirstPropertyValue('status') ?? '').toUpperCase()
  const transparency = String(component.getFirstPropertyValue('transp') ?? '').toUpperCase()
  return status !== 'CANCELLED' && transparency !== 'TRANSPARENT'
}

/** Start and end of a single event: DTEND, or DTSTART plus DURATION, or one day for a date. */
function span(component: ICAL.Component, start: ICAL.Time): [number, number] {
  const dtend = component.hasProperty('dtend') ? readTime(component, 'dtend') : undefined
  const duration = component.getFirstPropertyValue('duration')
  const startZone = zoneName(component, 'dtstart')
  let end: ICAL.Time | undefined
  let endZone = startZone
  if (dtend instanceof ICAL.Time) {
    end = dtend
    endZone = zoneName(component, 'dtend')
  } else if (duration instanceof ICAL.Duration) {
    end = start.clone()
    end.addDuration(duration)
  }
  return [instant(start, startZone), endOf(start, end, startZone, endZone)]
}

/** A date or date-time property, checked as written: ical.js would move 2026-13-01 to January. */
function readTime(component: ICAL.Component, property: 'dtstart' | 'dtend'): ICAL.Time {
  const value = component.getFirstPropertyValue(property)
  const written = component.getFirstProperty(property)?.jCal[3]
  const date = typeof written === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(written) : null
  if (!(value instanceof ICAL.Time) || !date) throw new LimitReached('malformed')
  try {
    Temporal.PlainDate.from(
      { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) },
      { overflow: 'reject' },
    )
  } catch {
    throw new LimitReached('malformed')
  }
  return value
}

/** The zone a property names (TZID), for times ical.js could not place in a zone itself. */
function zoneName(component: ICAL.Component, property: 'dtstart' | 'dtend'): string | undefined {
  const tzid = component.getFirstProperty(property)?.getParameter('tzid')
  return typeof tzid === 'string' ? tzid : undefined
}

function endOf(
  start: ICAL.Time,
  end: ICAL.Time | undefined,
  startZone: string | undefined,
  endZone: string | undefined,
): number {
  const s = instant(start, startZone)
  const e = end ? instant(end, endZone) : s
  // An all-day event without a (later) end lasts the day.
  return start.isDate && e <= s ? s + DAY_MS : e
}

/**
 * The instant of a time: UTC and zones the file defines (VTIMEZONE) as ical.js reads them; a zone
 * known only by its name is looked up (Europe/Stockholm and other IANA names); floating times and
 * unknown zones are read as Swedish time.
 */
function instant(time: ICAL.Time, named: string | undefined): number {
  const zone = time.zone
  if (zone && zone.tzid !== 'floating' && !time.isDate) return time.toUnixTime() * 1000
  const local = Temporal.PlainDateTime.from({
    year: time.year,
    month: time.month,
    day: time.day,
    hour: time.isDate ? 0 : time.hour,
    minute: time.isDate ? 0 : time.minute,
    second: time.isDate ? 0 : Math.min(time.second, 59),
  })
  return local.toZonedDateTime(knownZone(named)).epochMilliseconds
}

const zones = new Map<string, string>()
function knownZone(name: string | undefined): string {
  if (!name) return TIME_ZONE
  const cached = zones.get(name)
  if (cached) return cached
  let zone = TIME_ZONE
  try {
    zone = Temporal.Now.zonedDateTimeISO(name.replace(/^\//, '')).timeZoneId
  } catch {
    zone = TIME_ZONE
  }
  zones.set(name, zone)
  return zone
}

/** Sorts the periods and joins those that overlap or touch. */
function join(periods: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...periods].sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const [s, e] of sorted) {
    const last = out.at(-1)
    if (last && s <= last[1]) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
}
