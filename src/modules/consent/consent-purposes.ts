// The purposes a person can consent to: what each shares (the categories the people module names
// for the purpose), which agencies may ask, and for how long a consent lasts unless the person says
// otherwise.
import type { AgencyLevel } from '../catalog/index.ts'
import { type DataCategory, PURPOSES } from '../people/index.ts'

export const CONSENT_PURPOSES = {
  /** A municipality works out the fee for elderly care from income and pension. */
  'fee-calculation': { recipientLevels: ['municipality'], validMonths: 12 },
  /** An agency proposes a time from the person's busy periods. */
  scheduling: { recipientLevels: ['state', 'region', 'municipality'], validMonths: 12 },
} as const satisfies Record<string, { recipientLevels: readonly AgencyLevel[]; validMonths: number }>

export type ConsentPurpose = keyof typeof CONSENT_PURPOSES

/** A consent lasts at most this long; a new one can be given after. */
export const MAX_VALID_MONTHS = 24

export function isConsentPurpose(value: string): value is ConsentPurpose {
  return Object.hasOwn(CONSENT_PURPOSES, value)
}

export function categoriesOf(purpose: ConsentPurpose): DataCategory[] {
  return [...PURPOSES[purpose].categories]
}
