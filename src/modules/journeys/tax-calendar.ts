import { Temporal } from '../../platform/clock.ts'

/**
 * The last day to file the income tax return: 2 May, or the next weekday when 2 May falls on a
 * weekend (skatteförfarandelagen 30 kap.; 2026: Saturday 2 May, so Monday 4 May).
 */
export function taxReturnDeadline(year: number): Temporal.PlainDate {
  const second = Temporal.PlainDate.from({ year, month: 5, day: 2 })
  return moveToWeekday(second)
}

/** The day the e-service opens, where Skatteverket has published it; mid-March otherwise. */
const KNOWN_OPENING_DAYS: Record<number, string> = { 2026: '2026-03-17' }

export function taxReturnOpens(year: number): { date: Temporal.PlainDate; verified: boolean } {
  const known = KNOWN_OPENING_DAYS[year]
  if (known) return { date: Temporal.PlainDate.from(known), verified: true }
  return { date: moveToWeekday(Temporal.PlainDate.from({ year, month: 3, day: 16 })), verified: false }
}

/** The next filing season that has not ended on the given day. */
export function nextTaxReturnYear(today: Temporal.PlainDate): number {
  return Temporal.PlainDate.compare(today, taxReturnDeadline(today.year)) <= 0 ? today.year : today.year + 1
}

export function moveToWeekday(date: Temporal.PlainDate): Temporal.PlainDate {
  if (date.dayOfWeek === 6) return date.add({ days: 2 })
  if (date.dayOfWeek === 7) return date.add({ days: 1 })
  return date
}
