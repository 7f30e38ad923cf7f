// cases: applications, automated decisions with reasons, the caseworker queue, and "Mina ärenden".
import type { Kysely } from 'kysely'
import { ownData } from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import type { People } from '../people/index.ts'
import type { CompiledRuleSet } from '../rules/index.ts'
import { BENEFIT_SERVICES } from './benefit-services.ts'
import { createCaseDeadlineScans } from './case-deadline-scans.ts'
import * as store from './cases-store.ts'
import type { CasesTables } from './cases-tables.ts'
import { createCompleteCase } from './complete-case.ts'
import { createGrantChildAllowance } from './grant-child-allowance.ts'
import { createCaseHandling } from './handle-case.ts'
import { createCasesPersonalData } from './personal-data.ts'
import { createProvideFeeBasis, type FeeConsent } from './provide-fee-basis.ts'
import { createRecordCareDays } from './record-care-days.ts'
import { createReviewDecision } from './review-decision.ts'
import { createSubmitBenefitApplication } from './submit-benefit-application.ts'
import { createSubmitCareApplication } from './submit-care-application.ts'
import { createSubmitVabApplication } from './submit-vab-application.ts'

export { benefitHttp } from './benefit-http.ts'
export { careFeeHttp } from './care-fee-http.ts'
export { careHttp } from './care-http.ts'
export type { CaseDeadlineScans } from './case-deadline-scans.ts'
/** The tables that hold a person's data: read only inside an access scope (see people's record-reads.ts). */
export const CASES_PERSONAL_TABLES = [
  'cases.cases',
  'cases.events',
  'cases.care_days',
  'cases.recorded_care_days',
  'cases.documents',
  'cases.messages',
] as const
export { INBOX_MESSAGE_POSTED, type InboxMessagePosted } from './cases-events.ts'
export { casesHttp } from './cases-http.ts'
export type { CaseOutcome, CaseStatus, CasesTables } from './cases-tables.ts'
export { caseworkerHttp } from './caseworker-http.ts'
export type { BirthRegistered, ChildAllowanceGrant } from './grant-child-allowance.ts'
export { type Caseworker, type CaseworkerDecision, QUEUE_STATUSES } from './handle-case.ts'
export {
  CARE_FRACTIONS,
  CARE_REASONS,
  type DayDecision,
  type VabApplication,
  type VabDecision,
} from './submit-vab-application.ts'
export { vabHttp } from './vab-http.ts'

/** The services that can be applied for in Samla, and where. */
const APPLICATION_PATHS: Record<string, string> = {
  'tillfallig-foraldrapenning-vab': '/vab',
  hemtjanst: '/ansok/hemtjanst',
  ...Object.fromEntries(BENEFIT_SERVICES.map((s) => [s.serviceId, `/ansok/${s.slug}`])),
}
export const applicationPath = (serviceId: string): string | undefined => APPLICATION_PATHS[serviceId]

export interface CaseSummary {
  id: string
  serviceId: string
  agencyId: string
  status: string
  outcome: string | null
  submittedAt: string
  updatedAt: string
  /** Who filed it for the person, and on what right; null when the person filed it themself. */
  filedBy: { name: string; basis: 'custody' | 'power-of-attorney' } | null
  /** A benefit paid each month (barnbidrag): how much to the person, and when it first comes. */
  payment?: { perMonth: number; firstMonth: string; firstDate: string }
}

export type Cases = ReturnType<typeof createCases>

function summary(r: Awaited<ReturnType<typeof store.findCase>> & object): CaseSummary {
  return {
    id: r.id,
    serviceId: r.service_id,
    agencyId: r.agency_id,
    status: r.status,
    outcome: r.outcome,
    submittedAt: r.submitted_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    filedBy: r.filed_by_basis && r.filed_by_name ? { name: r.filed_by_name, basis: r.filed_by_basis } : null,
    ...(r.outcome === 'approved' && r.decision?.payment
      ? { payment: r.decision.payment as NonNullable<CaseSummary['payment']> }
      : {}),
  }
}

export function createCases(deps: {
  db: Kysely<CasesTables>
  people: People
  vab: CompiledRuleSet
  /** The routing rules for elderly-care applications (bistånd). */
  routing: CompiledRuleSet
  /** Every rule set, by id: the benefits applied for through forms built from their inputs. */
  rules: Map<string, CompiledRuleSet>
  /** The catalogue's competent authority for a service: an agency id, or a role such as $municipality. */
  competentAuthority?: (serviceId: string) => Promise<string | undefined>
  /** Consents the municipality asks for, to fetch income for the elderly-care fee. */
  consent: FeeConsent
  clock: Clock
}) {
  const { db } = deps

  /** The person's own cases, newest change first. Only the person themself may list them. */
  async function listCasesOf(viewerPersonId: string, personId: string): Promise<CaseSummary[] | undefined> {
    if (viewerPersonId !== personId) return undefined
    return (await store.listCasesOfPerson(db, personId)).map(summary)
  }

  /** One case with its application, decision and history, if it is the viewer's own. */
  async function getCase(viewerPersonId: string, caseId: string) {
    const row = await store.findCase(db, caseId)
    if (!row || (row.person_id !== viewerPersonId && row.applicant_person_id !== viewerPersonId))
      return undefined
    const events = await store.listEvents(db, caseId)
    return {
      ...summary(row),
      application: row.application,
      decision: row.decision,
      ruleSet: row.rule_set,
      ruleSetVersion: row.rule_set_version,
      queueReason: row.queue_reason,
      decidedAt: row.decided_at?.toISOString() ?? null,
      decidedBy: row.decided_by,
      events: events.map((e) => ({
        at: e.at.toISOString(),
        kind: e.kind,
        actorKind: e.actor_kind,
        data: e.data,
      })),
    }
  }

  /** The person's inbox: decisions and requests, newest first. */
  async function listMessages(personId: string) {
    return (await store.listMessages(db, personId)).map((m) => ({
      id: m.id,
      caseId: m.case_id,
      kind: m.kind,
      serviceId: m.service_id,
      agencyId: m.agency_id,
      createdAt: m.created_at.toISOString(),
      read: m.read_at !== null,
    }))
  }

  const markRead = (personId: string, caseId: string) =>
    store.markMessagesRead(db, personId, caseId, new Date(deps.clock.now().epochMilliseconds))

  const { submitVabApplication, reasonsOf } = createSubmitVabApplication(deps)
  const { onCase, ...caseHandling } = createCaseHandling({ ...deps, reasonsOf })
  const { sendCertificate } = createCompleteCase({ ...deps, reasonsOf })
  const recording = createRecordCareDays(deps)
  const review = createReviewDecision({ ...deps, reasonsOf })
  const { submitCareApplication } = createSubmitCareApplication(deps)
  const benefits = createSubmitBenefitApplication(deps)
  const feeBasis = createProvideFeeBasis(deps)
  const { grantChildAllowance } = createGrantChildAllowance(deps)

  // Whose data each use case touches. A person's own errands read and write that person's cases
  // (what the rules read of others' claims is recorded where it is read); the caseworker's use
  // cases in handle-case.ts and review-decision.ts record each read for the person it concerns.
  return {
    listCasesOf: own(listCasesOf, (viewerPersonId) => viewerPersonId),
    getCase: own(getCase, (viewerPersonId) => viewerPersonId),
    listMessages: own(listMessages, (personId) => personId),
    markRead: own(markRead, (personId) => personId),
    submitVabApplication: own(submitVabApplication, (input) => input.applicantPersonId),
    submitCareApplication: own(submitCareApplication, (input) => input.applicantPersonId),
    ...benefits,
    submitBenefitApplication: own(benefits.submitBenefitApplication, (input) => input.applicantPersonId),
    sendCertificate: own(sendCertificate, (applicantPersonId) => applicantPersonId),
    ...recording,
    recordCareDay: own(recording.recordCareDay, (personId) => personId),
    listRecordedDays: own(recording.listRecordedDays, (personId) => personId),
    ...review,
    requestReview: own(review.requestReview, (applicantPersonId) => applicantPersonId),
    ...caseHandling,
    decideReview: onCase(review.decideReview),
    /** What the download of everything Samla holds about a person gets from this module. */
    personalData: createCasesPersonalData({ db }),
    feeBasisRequest: own(feeBasis.feeBasisRequest, (input) => input.applicantPersonId),
    provideFeeBasis: own(feeBasis.provideFeeBasis, (input) => input.applicantPersonId),
    /** Barnbidrag without application when a birth is registered: a decided case for each guardian. */
    grantChildAllowance,
    /** Queries over everyone's cases for set-based scans (the date triggers). */
    scans: createCaseDeadlineScans(db),
  }
}

/** A use case on the person's own errands, run in that person's own access scope. */
function own<A extends unknown[], R>(
  useCase: (...args: A) => Promise<R>,
  personOf: (...args: A) => string,
): (...args: A) => Promise<R> {
  return (...args) => ownData(personOf(...args), () => useCase(...args))
}
