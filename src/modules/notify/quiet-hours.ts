// Quiet hours: no SMS and no push while the person sleeps. A message that would arrive then waits
// until the quiet hours are over, in Swedish time (summer time included).
import { Temporal, TIME_ZONE } from '../../platform/clock.ts'
import type { Channel } from './notify-tables.ts'
import type { QuietHours } from './preferences.ts'

/** Channels that may wake someone; e-mail waits in the inbox by itself and goes at once. */
const INTRUSIVE: readonly Channel[] = ['sms', 'push']

/** When a message through the channel may be sent: now, or when the quiet hours end. */
export function sendTimeFor(
  channel: Channel,
  now: Temporal.Instant,
  quietHours: QuietHours | null,
): Temporal.Instant {
  if (!quietHours || !INTRUSIVE.includes(channel)) return now
  const local = now.toZonedDateTimeISO(TIME_ZONE)
  const time = local.toPlainTime()
  const from = Temporal.PlainTime.from(quietHours.from)
  const until = Temporal.PlainTime.from(quietHours.until)
  const afterFrom = Temporal.PlainTime.compare(time, from) >= 0
  const beforeUntil = Temporal.PlainTime.compare(time, until) < 0
  const overMidnight = Temporal.PlainTime.compare(from, until) > 0
  const quiet = overMidnight ? afterFrom || beforeUntil : afterFrom && beforeUntil
  if (!quiet) return now
  const day = beforeUntil ? local.toPlainDate() : local.toPlainDate().add({ days: 1 })
  return day.toZonedDateTime({ timeZone: TIME_ZONE, plainTime: until }).toInstant()
}
