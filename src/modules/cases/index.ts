// cases: applications, automated decisions with reasons, the caseworker queue, and "Mina ärenden".
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { People } from '../people/index.ts'
import type { CompiledRuleSet } from '../rules/index.ts'
import * as store from './cases-store.ts'
import type { CasesTables } from './cases-tables.ts'
import { createCompleteCase } from './complete-case.ts'
import { createCaseHandling } from './handle-case.ts'
import { createRecordCareDays } from './record-care-days.ts'
import { createReviewDecision } from './review-decision.ts'
import { createSubmitCareApplication } from './submit-care-application.ts'
import { createSubmitVabApplication } from './submit-vab-application.ts'

export { careHttp } from './care-http.ts'
export { casesHttp } from './cases-http.ts'
export type { CaseOutcome, CaseStatus, CasesTables } from './cases-tables.ts'
export { caseworkerHttp } from './caseworker-http.ts'
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
  }
}

export function createCases(deps: {
  db: Kysely<CasesTables>
  people: People
  vab: CompiledRuleSet
  /** The routing rules for elderly-care applications (bistånd). */
  routing: CompiledRuleSet
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
  const handling = createCaseHandling({ ...deps, reasonsOf })
  const { sendCertificate } = createCompleteCase({ ...deps, reasonsOf })
  const recording = createRecordCareDays(deps)
  const review = createReviewDecision({ ...deps, reasonsOf })
  const { submitCareApplication } = createSubmitCareApplication(deps)

  return {
    listCasesOf,
    getCase,
    listMessages,
    markRead,
    submitVabApplication,
    submitCareApplication,
    sendCertificate,
    ...recording,
    ...review,
    ...handling,
  }
}
