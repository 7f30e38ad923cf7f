// Giving a consent where a service asks for it, as in the EU's once-only technical system: the
// person first sees exactly what would be shared (their own figures, read through the one door),
// then consents or declines. Declining changes nothing else: the service goes on without the data.
import type { Kysely } from 'kysely'
import { ownData } from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import { Temporal } from '../../platform/clock.ts'
import type { Agency, Catalog } from '../catalog/index.ts'
import type { People, PersonData } from '../people/index.ts'
import { CONSENT_PURPOSES, type ConsentPurpose, categoriesOf, MAX_VALID_MONTHS } from './consent-purposes.ts'
import * as store from './consent-store.ts'
import type { ConsentTables } from './consent-tables.ts'
import { type ConsentView, endOfDay, lastDayOf, presentConsent } from './present-consent.ts'

export type GrantResult =
  | { kind: 'granted'; consent: ConsentView; replayed: boolean }
  | { kind: 'unknown-recipient' }
  | { kind: 'recipient-not-allowed' }
  | { kind: 'invalid-period' }

export type PreviewResult =
  | {
      kind: 'preview'
      recipient: Agency
      purpose: ConsentPurpose
      categories: string[]
      /** The last day a consent given now would be in force. */
      validThrough: string
      /** Exactly what the recipient would read. */
      data: Pick<PersonData, 'income' | 'pensions'>
    }
  | { kind: 'unknown-recipient' }
  | { kind: 'recipient-not-allowed' }
  | { kind: 'person-not-found' }

export type ConsentTerms =
  | { kind: 'ok'; agency: Agency; validFrom: Date; validUntil: Date }
  | { kind: 'unknown-recipient' }
  | { kind: 'recipient-not-allowed' }
  | { kind: 'invalid-period' }

/**
 * The terms of a consent given now: the recipient must be an agency of a kind the purpose allows,
 * and the last day from today up to MAX_VALID_MONTHS ahead (by default the purpose's usual length).
 */
export async function consentTerms(
  deps: { catalog: Catalog; clock: Clock },
  input: { purpose: ConsentPurpose; recipientAgencyId: string; validThrough?: string | undefined },
): Promise<ConsentTerms> {
  const agency = (await deps.catalog.agenciesById()).get(input.recipientAgencyId)
  if (!agency) return { kind: 'unknown-recipient' }
  const levels: readonly string[] = CONSENT_PURPOSES[input.purpose].recipientLevels
  if (!levels.includes(agency.level)) return { kind: 'recipient-not-allowed' }
  const today = deps.clock.today()
  let lastDay: Temporal.PlainDate
  try {
    lastDay = input.validThrough
      ? Temporal.PlainDate.from(input.validThrough, { overflow: 'reject' })
      : today.add({ months: CONSENT_PURPOSES[input.purpose].validMonths })
  } catch {
    return { kind: 'invalid-period' }
  }
  if (
    Temporal.PlainDate.compare(lastDay, today) < 0 ||
    Temporal.PlainDate.compare(lastDay, today.add({ months: MAX_VALID_MONTHS })) > 0
  )
    return { kind: 'invalid-period' }
  return {
    kind: 'ok',
    agency,
    validFrom: new Date(deps.clock.now().epochMilliseconds),
    validUntil: endOfDay(lastDay),
  }
}

export function createGiveConsent(deps: {
  db: Kysely<ConsentTables>
  people: People
  catalog: Catalog
  clock: Clock
}) {
  const { db, people } = deps

  /** What a consent would share, as the person's own read: the same categories, the same figures. */
  async function previewShare(input: {
    personId: string
    recipientAgencyId: string
    purpose: ConsentPurpose
    /** Someone acting for the person, who would give the consent in their name; and in which errand. */
    reader?: { personId: string; scope: string }
  }): Promise<PreviewResult> {
    const terms = await consentTerms(deps, input)
    if (terms.kind === 'invalid-period') throw new Error('the default period is always valid')
    if (terms.kind !== 'ok') return terms
    const categories = categoriesOf(input.purpose)
    const reader = input.reader && input.reader.personId !== input.personId ? input.reader : undefined
    const own = await people.readPerson({
      actor: { kind: 'person', personId: reader?.personId ?? input.personId },
      purpose: 'consent-preview',
      personId: input.personId,
      ...(reader ? { onBehalfOf: input.personId, scope: reader.scope } : {}),
    })
    if (!own) return { kind: 'person-not-found' }
    return {
      kind: 'preview',
      recipient: terms.agency,
      purpose: input.purpose,
      categories,
      validThrough: lastDayOf(terms.validUntil),
      data: {
        ...(categories.includes('income') ? { income: own.income ?? null } : {}),
        ...(categories.includes('pension') ? { pensions: own.pensions ?? [] } : {}),
      },
    }
  }

  /**
   * Records a consent from today through the last day given (by default the purpose's usual
   * length). Asked twice for the same errand (a double click), it answers with the consent
   * already in force.
   */
  async function grantConsent(input: {
    personId: string
    givenBy: string
    recipientAgencyId: string
    purpose: ConsentPurpose
    reference?: string
    validThrough?: string
  }): Promise<GrantResult> {
    const terms = await consentTerms(deps, input)
    if (terms.kind !== 'ok') return terms
    return ownData(input.personId, () => record(input, terms))
  }

  async function record(
    input: Parameters<typeof grantConsent>[0],
    terms: Extract<ConsentTerms, { kind: 'ok' }>,
  ): Promise<GrantResult> {
    const now = terms.validFrom
    if (input.reference !== undefined) {
      const [earlier] = await store.findConsentsInForce(db, {
        personId: input.personId,
        recipientAgencyId: input.recipientAgencyId,
        purpose: input.purpose,
        at: now,
        reference: input.reference,
      })
      if (earlier) return { kind: 'granted', consent: presentConsent(earlier, now), replayed: true }
    }
    const row = await store.insertConsent(db, {
      personId: input.personId,
      givenBy: input.givenBy,
      recipientAgencyId: input.recipientAgencyId,
      purpose: input.purpose,
      categories: categoriesOf(input.purpose),
      validFrom: now,
      validUntil: terms.validUntil,
      reference: input.reference ?? null,
      givenAt: now,
    })
    return { kind: 'granted', consent: presentConsent(row, now), replayed: false }
  }

  /** The last day a consent for the purpose given today lasts, unless the person chooses another. */
  const defaultValidThrough = (purpose: ConsentPurpose) =>
    deps.clock.today().add({ months: CONSENT_PURPOSES[purpose].validMonths }).toString()

  return { previewShare, grantConsent, defaultValidThrough }
}
