// The basis for the elderly-care fee: the municipality needs the applicant's income to work out the
// fee under the maximum fee, and asks, as the EU's once-only system does, whether it may fetch it
// from the sources. The applicant (or whoever applies for them) sees exactly what would be shared,
// then chooses: consent, and the municipality's system fetches income and pension at once through
// the one door, which lets it only while the consent is in force; or gives the figure themselves;
// or later. Declining changes nothing about the application itself.
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { Consent, PreviewResult } from '../consent/index.ts'
import type { People } from '../people/index.ts'
import * as store from './cases-store.ts'
import type { CasesTables } from './cases-tables.ts'
import type { FiledBy } from './file-case.ts'

export const FEE_SERVICE = 'hemtjanst'

export type FeeBasisChoice =
  | { kind: 'consent' }
  | { kind: 'own'; netIncomePerMonthSek: number }
  | { kind: 'later' }

export type FeeBasisResult =
  | { kind: 'recorded'; basis: 'fetched' | 'given' | 'later'; consentId?: string }
  | { kind: 'not-found' }
  | { kind: 'consent-refused'; reason: string }
  | { kind: 'consent-missing' }

export type FeeBasisRequest =
  | {
      kind: 'request'
      caseId: string
      agencyId: string
      preview: Extract<PreviewResult, { kind: 'preview' }>
    }
  | { kind: 'not-found' }

/** What the fee basis needs of the consent module. */
export type FeeConsent = Pick<Consent, 'grantConsent' | 'previewShare'>

export function createProvideFeeBasis(deps: {
  db: Kysely<CasesTables>
  people: People
  consent: FeeConsent
  clock: Clock
}) {
  const { db, people, consent, clock } = deps

  /** The applicant's elderly-care case that the municipality still handles, or undefined. */
  async function openCareCase(applicantPersonId: string, caseId: string) {
    const row = await store.findCase(db, caseId)
    if (!row || row.person_id !== applicantPersonId || row.service_id !== FEE_SERVICE) return undefined
    return row.status === 'withdrawn' ? undefined : row
  }

  /** The municipality's question, with the preview of exactly what it would fetch. */
  async function feeBasisRequest(input: {
    applicantPersonId: string
    caseId: string
    filedBy?: FiledBy | undefined
  }): Promise<FeeBasisRequest> {
    const row = await openCareCase(input.applicantPersonId, input.caseId)
    if (!row) return { kind: 'not-found' }
    const preview = await consent.previewShare({
      personId: input.applicantPersonId,
      recipientAgencyId: row.agency_id,
      purpose: 'fee-calculation',
      ...(input.filedBy
        ? { reader: { personId: input.filedBy.personId, scope: `service:${FEE_SERVICE}` } }
        : {}),
    })
    if (preview.kind !== 'preview') return { kind: 'not-found' }
    return { kind: 'request', caseId: row.id, agencyId: row.agency_id, preview }
  }

  async function provideFeeBasis(input: {
    applicantPersonId: string
    caseId: string
    filedBy?: FiledBy | undefined
    choice: FeeBasisChoice
  }): Promise<FeeBasisResult> {
    const { applicantPersonId, caseId, filedBy, choice } = input
    const row = await openCareCase(applicantPersonId, caseId)
    if (!row) return { kind: 'not-found' }
    const now = new Date(clock.now().epochMilliseconds)
    const by = filedBy ? { filedBy: { name: filedBy.name, basis: filedBy.basis } } : {}
    const event = (kind: string, actor: { kind: string; id: string }, data: Record<string, unknown>) =>
      db
        .insertInto('cases.events')
        .values({
          case_id: caseId,
          at: now,
          actor_kind: actor.kind,
          actor_id: actor.id,
          kind,
          data: JSON.stringify(data),
        })
        .execute()
    const applicant = { kind: 'person', id: filedBy?.personId ?? applicantPersonId }

    if (choice.kind === 'own') {
      await event('fee-basis-given', applicant, { netIncomePerMonthSek: choice.netIncomePerMonthSek, ...by })
      return { kind: 'recorded', basis: 'given' }
    }
    if (choice.kind === 'later') {
      await event('fee-basis-later', applicant, by)
      return { kind: 'recorded', basis: 'later' }
    }

    const granted = await consent.grantConsent({
      personId: applicantPersonId,
      givenBy: filedBy?.personId ?? applicantPersonId,
      recipientAgencyId: row.agency_id,
      purpose: 'fee-calculation',
      reference: caseId,
    })
    if (granted.kind !== 'granted') return { kind: 'consent-refused', reason: granted.kind }
    // The municipality's system fetches at once, through the one door, on the strength of the consent.
    const fetched = await people.readPerson({
      actor: { kind: 'agency-system', agencyId: row.agency_id },
      purpose: 'fee-calculation',
      personId: applicantPersonId,
    })
    if (!fetched) return { kind: 'consent-missing' }
    const pensions = fetched.pensions ?? []
    await event(
      'fee-basis-fetched',
      { kind: 'agency-system', id: row.agency_id },
      {
        consentId: granted.consent.id,
        income: fetched.income ?? null,
        pensions,
        netPensionPerMonthSek: pensions.reduce((sum, p) => sum + p.grossPerMonthSek - p.taxPerMonthSek, 0),
        ...by,
      },
    )
    return { kind: 'recorded', basis: 'fetched', consentId: granted.consent.id }
  }

  return { feeBasisRequest, provideFeeBasis }
}
