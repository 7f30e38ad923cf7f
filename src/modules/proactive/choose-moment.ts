// When to remind a person. Pure: the deadline, today, the free days of a shared calendar and the
// person's hours in; the moment out. No I/O.
//
// What Samla uses to time a reminder is this, and nothing else: the deadline, the days the
// person's shared calendar shows free (only when they share one with the agency concerned, and
// only free or busy, never what the appointments are), the hours they prefer to be contacted, and
// their quiet hours. Samla infers no mood, no emotion and no state of mind, from this or from any
// other data: a good moment is a free weekday before the deadline, at an hour the person chose.
import { Temporal, TIME_ZONE } from '../../platform/clock.ts'

export interface Hours {
  /** HH:MM, Swedish time. */
  from: string
  until: string
}

export interface TimingPreferences {
  /** When the person prefers to be contacted, within one day; office hours when not chosen. */
  preferredHours: Hours | null
  /** When nothing may reach the person; may run past midnight (21:00 to 07:00). */
  quietHours: Hours | null
}

/** Without preferred hours: office hours, when the agencies' help lines are open. */
export const DEFAULT_HOURS: Hours = { from: '09:00', until: '17:00' }

export type PlannedBy = 'calendar' | 'default' | 'person'

export type MomentPlan =
  | { kind: 'planned'; at: Temporal.Instant; plannedBy: 'calendar' | 'default' }
  /** No day is left before the deadline. */
  | { kind: 'too-late' }

export type MovedMoment =
  | { kind: 'moved'; at: Temporal.Instant }
  | { kind: 'in-the-past' }
  | { kind: 'not-before-deadline' }
  /** The day is today, and the person's hours for today are over. */
  | { kind: 'no-time-left-today' }

/** The hours within which to look: the preferred ones, or office hours. */
export function hoursOf(preferences: TimingPreferences): Hours {
  return preferences.preferredHours ?? DEFAULT_HOURS
}

const time = (hhmm: string) => Temporal.PlainTime.from(hhmm)
const isWeekday = (day: Temporal.PlainDate) => day.dayOfWeek <= 5

function isQuiet(t: Temporal.PlainTime, quiet: Hours | null): boolean {
  if (!quiet) return false
  const from = time(quiet.from)
  const until = time(quiet.until)
  const afterFrom = Temporal.PlainTime.compare(t, from) >= 0
  const beforeUntil = Temporal.PlainTime.compare(t, until) < 0
  return Temporal.PlainTime.compare(from, until) > 0 ? afterFrom || beforeUntil : afterFrom && beforeUntil
}

/**
 * The first moment of the day within the person's hours that is not in their quiet hours and not
 * already past. When the quiet hours cover all the preferred hours, the end of the quiet hours:
 * never in quiet hours comes first. Undefined when the day holds no such moment any more.
 */
export function momentOn(
  day: Temporal.PlainDate,
  preferences: TimingPreferences,
  now: Temporal.Instant,
): Temporal.Instant | undefined {
  const hours = hoursOf(preferences)
  const from = time(hours.from)
  const until = time(hours.until)
  const zoned = (t: Temporal.PlainTime) =>
    day.toZonedDateTime({ timeZone: TIME_ZONE, plainTime: t }).toInstant()
  const candidates = [from]
  if (preferences.quietHours) candidates.push(time(preferences.quietHours.until))
  const local = now.toZonedDateTimeISO(TIME_ZONE)
  if (local.toPlainDate().equals(day)) {
    // Today: from the next quarter of an hour.
    const minutes = local.hour * 60 + local.minute + 1
    const next = Math.ceil(minutes / 15) * 15
    if (next < 24 * 60) candidates.push(new Temporal.PlainTime(Math.floor(next / 60), next % 60))
  }
  const within = (t: Temporal.PlainTime) =>
    Temporal.PlainTime.compare(t, from) >= 0 && Temporal.PlainTime.compare(t, until) < 0
  const allowed = candidates
    .filter((t) => within(t) && !isQuiet(t, preferences.quietHours))
    .map(zoned)
    .filter((i) => Temporal.Instant.compare(i, now) > 0)
    .sort(Temporal.Instant.compare)
  if (allowed[0]) return allowed[0]
  // The quiet hours cover all the preferred hours: the moment they end, outside any quiet time.
  if (preferences.quietHours && [from, until].every((t) => isQuiet(t, preferences.quietHours))) {
    const end = zoned(time(preferences.quietHours.until))
    if (Temporal.Instant.compare(end, now) > 0) return end
  }
  return undefined
}

/**
 * The moment for a reminder with this deadline: the first weekday from tomorrow to the day before
 * the deadline that the shared calendar shows free (when one is shared), or else the first weekday
 * from tomorrow; at the first allowed time of the person's hours that day. The trigger's own day is
 * left out: that day the person sees it in Samla.
 */
export function chooseMoment(input: {
  now: Temporal.Instant
  /** The last day to act; the reminder comes before it. */
  deadline: Temporal.PlainDate
  /** The free days (YYYY-MM-DD) of a calendar shared with the agency; undefined when none is. */
  freeDays?: readonly string[]
  preferences: TimingPreferences
}): MomentPlan {
  const { now, deadline, preferences } = input
  const today = now.toZonedDateTimeISO(TIME_ZONE).toPlainDate()
  const days: Temporal.PlainDate[] = []
  for (let d = today.add({ days: 1 }); Temporal.PlainDate.compare(d, deadline) < 0; d = d.add({ days: 1 }))
    days.push(d)
  const weekdays = days.filter(isWeekday)

  if (input.freeDays) {
    const free = new Set(input.freeDays)
    for (const day of weekdays) {
      if (!free.has(day.toString())) continue
      const at = momentOn(day, preferences, now)
      if (at) return { kind: 'planned', at, plannedBy: 'calendar' }
    }
  }
  // The rest of today counts only when no other day is left before the deadline.
  const fallback = [...weekdays, ...days.filter((d) => !isWeekday(d))]
  if (Temporal.PlainDate.compare(today, deadline) < 0) fallback.push(today)
  for (const day of fallback) {
    const at = momentOn(day, preferences, now)
    if (at) return { kind: 'planned', at, plannedBy: 'default' }
  }
  return { kind: 'too-late' }
}

/** The person moves a reminder to a day of their choice: today or later, and before the deadline. */
export function moveMoment(input: {
  now: Temporal.Instant
  day: Temporal.PlainDate
  deadline: Temporal.PlainDate
  preferences: TimingPreferences
}): MovedMoment {
  const today = input.now.toZonedDateTimeISO(TIME_ZONE).toPlainDate()
  if (Temporal.PlainDate.compare(input.day, today) < 0) return { kind: 'in-the-past' }
  if (Temporal.PlainDate.compare(input.day, input.deadline) >= 0) return { kind: 'not-before-deadline' }
  const at = momentOn(input.day, input.preferences, input.now)
  return at ? { kind: 'moved', at } : { kind: 'no-time-left-today' }
}
