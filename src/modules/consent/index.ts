// consent: the person's consents (what, to whom, why, until when), asked for where a service needs
// them with a preview of exactly what would be shared, and withdrawn at once; shared data sources
// (a calendar, as busy periods only); and what agencies may read without consent, by law. The
// people module asks this one, through the check the composition root passes it, whether a read
// that rests on consent may happen.
import type { Kysely } from 'kysely'
import { ownData } from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import type { JobsTables } from '../../platform/jobs/queue.ts'
import type { Catalog } from '../catalog/index.ts'
import type { ConsentCheck, People } from '../people/index.ts'
import * as store from './consent-store.ts'
import type { ConsentTables } from './consent-tables.ts'
import { createGiveConsent } from './give-consent.ts'
import { type LegalBasis, loadLegalBases } from './legal-bases.ts'
import { type ConsentView, presentConsent } from './present-consent.ts'
import { createShareCalendar } from './share-calendar.ts'
import { createWithdrawConsent } from './withdraw-consent.ts'

export { CALENDAR_WITHDRAWN, type CalendarWithdrawn } from './consent-events.ts'
export { consentApi, consentPages } from './consent-http.ts'
export { CONSENT_PURPOSES, type ConsentPurpose, isConsentPurpose } from './consent-purposes.ts'
export type { ConsentTables } from './consent-tables.ts'
export type { GrantResult, PreviewResult } from './give-consent.ts'
export type { LegalBasis } from './legal-bases.ts'
export { CALENDAR_LIMITS } from './parse-calendar.ts'
export type { ConsentStatus, ConsentView } from './present-consent.ts'
export {
  CALENDAR_HORIZON_DAYS,
  type CalendarSource,
  type FreeDaysResult,
  type SharedCalendar,
  type ShareResult,
} from './share-calendar.ts'
export type { WithdrawResult } from './withdraw-consent.ts'

/** The tables that hold a person's data: read only inside an access scope. */
export const CONSENT_PERSONAL_TABLES = [
  'consent.consents',
  'consent.calendar_sources',
  'consent.busy_periods',
] as const

export type Consent = ReturnType<typeof createConsent>

export function createConsent(deps: {
  db: Kysely<ConsentTables & JobsTables>
  people: People
  catalog: Catalog
  clock: Clock
  /** data/consent/legal-bases.yaml */
  legalBasesFile: string
  /** Development and tests: calendar links to this machine over plain http. */
  allowLocalHttp: boolean
}) {
  const { db, clock } = deps
  const now = () => new Date(clock.now().epochMilliseconds)

  /**
   * The people module's check for reads that rest on consent: an agency's system may read the
   * categories for the purpose while a consent of the person to that agency, for that purpose and
   * covering those categories, is in force. Answers the consent's id for the access record.
   */
  const consentCheck: ConsentCheck = async ({ actor, personId, purpose, categories }) => {
    if (actor.kind !== 'agency-system') return undefined
    const inForce = await store.findConsentsInForce(db, {
      personId,
      recipientAgencyId: actor.agencyId,
      purpose,
      at: now(),
    })
    return inForce.find((c) => categories.every((category) => c.data_categories.includes(category)))?.id
  }

  /** Every consent the person has given, newest first, in force or not. */
  async function listConsents(personId: string): Promise<ConsentView[]> {
    const at = now()
    const rows = await ownData(personId, () => store.listConsents(db, personId))
    return rows.map((row) => presentConsent(row, at))
  }

  let legalBases: Promise<LegalBasis[]> | undefined
  /** What agencies may read without consent, by law, with the references and how sure they are. */
  const listLegalBases = () => {
    legalBases ??= loadLegalBases(deps.legalBasesFile)
    return legalBases
  }

  const give = createGiveConsent(deps)
  const withdraw = createWithdrawConsent(deps)
  const calendar = createShareCalendar({
    ...deps,
    findValidConsent: ({ personId, agencyId, purpose }) =>
      consentCheck({
        actor: { kind: 'agency-system', agencyId },
        personId,
        purpose,
        categories: ['calendar'],
      }),
  })

  return {
    consentCheck,
    listConsents,
    listLegalBases,
    ...give,
    ...withdraw,
    ...calendar,
  }
}
