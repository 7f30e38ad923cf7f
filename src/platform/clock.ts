import { Temporal } from 'temporal-polyfill'

export { Temporal }

/** Swedish law counts days in Swedish time. */
export const TIME_ZONE = 'Europe/Stockholm'

export interface Clock {
  now(): Temporal.Instant
  today(): Temporal.PlainDate
}

/**
 * The one source of time. With a fixed date (tests, demonstrations, simulations), "today" is that
 * date and the time of day still moves, so sessions and idle timeouts keep working.
 */
export function createClock(fixedToday?: string): Clock {
  if (!fixedToday) {
    return {
      now: () => Temporal.Now.instant(),
      today: () => Temporal.Now.plainDateISO(TIME_ZONE),
    }
  }
  const day = Temporal.PlainDate.from(fixedToday)
  return {
    now: () => {
      const time = Temporal.Now.plainTimeISO(TIME_ZONE)
      return day.toZonedDateTime({ timeZone: TIME_ZONE, plainTime: time }).toInstant()
    },
    today: () => day,
  }
}

/** A clock a test moves by hand. */
export function createManualClock(
  start: string,
): Clock & { set(instant: string): void; advance(d: Temporal.DurationLike): void } {
  let current = Temporal.Instant.from(start)
  return {
    now: () => current,
    today: () => current.toZonedDateTimeISO(TIME_ZONE).toPlainDate(),
    set: (instant) => {
      current = Temporal.Instant.from(instant)
    },
    advance: (d) => {
      current = current.add(d)
    },
  }
}
