import { Temporal, TIME_ZONE } from '../../platform/clock.ts'
import type { ConsentRow } from './consent-store.ts'

export type ConsentStatus = 'in-force' | 'withdrawn' | 'expired' | 'not-yet'

/** A consent as it leaves the module: what, to whom, why, from when and through which day. */
export interface ConsentView {
  id: string
  recipientAgencyId: string
  purpose: string
  categories: string[]
  /** The first and the last day the consent is in force, in Swedish time. */
  validFrom: string
  validThrough: string
  givenAt: string
  /** The person who gave it: the person themself, or someone acting for them. */
  givenBy: string
  /** What it was asked for in, such as an application. */
  reference: string | null
  withdrawnAt: string | null
  status: ConsentStatus
}

const dayOf = (at: Date) =>
  Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(TIME_ZONE).toPlainDate()

export function presentConsent(row: ConsentRow, now: Date): ConsentView {
  const status: ConsentStatus =
    row.withdrawn_at !== null
      ? 'withdrawn'
      : row.valid_until <= now
        ? 'expired'
        : row.valid_from > now
          ? 'not-yet'
          : 'in-force'
  return {
    id: row.id,
    recipientAgencyId: row.recipient_agency_id,
    purpose: row.purpose,
    categories: row.data_categories,
    validFrom: dayOf(row.valid_from).toString(),
    validThrough: lastDayOf(row.valid_until),
    givenAt: row.given_at.toISOString(),
    givenBy: row.given_by,
    reference: row.reference,
    withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
    status,
  }
}

/** The last day in force of a consent that ends at the instant (the first instant after that day). */
export function lastDayOf(validUntil: Date): string {
  return dayOf(new Date(validUntil.getTime() - 1)).toString()
}

/** The instant a consent given today ends: the start of the day after its last day, in Swedish time. */
export function endOfDay(lastDay: Temporal.PlainDate): Date {
  return new Date(lastDay.add({ days: 1 }).toZonedDateTime(TIME_ZONE).epochMilliseconds)
}
