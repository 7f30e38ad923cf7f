// An application for elderly care from the municipality (bistånd: hemtjänst, särskilt boende,
// trygghetslarm …). Whether a person needs the help is an assessment the law leaves to a person, so
// the routing rules send the application to the municipality's social services with the reason;
// only what the municipality has decided to offer without an individual assessment is granted
// directly.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { People } from '../people/index.ts'
import type { CompiledRuleSet } from '../rules/index.ts'
import * as store from './cases-store.ts'
import type { CaseOutcome, CaseStatus, CasesTables } from './cases-tables.ts'

export const CARE_INSATSER = [
  'hemtjanst-omsorg',
  'hemtjanst-service',
  'trygghetslarm',
  'sarskilt-boende',
  'korttidsboende',
  'annat',
] as const

export interface CareApplication {
  insats: (typeof CARE_INSATSER)[number]
  urgentNeed: boolean
  /** In the person's own words: what help is needed, and why. */
  description: string
}

export interface AssessmentDecision {
  kind: 'assessment'
  ruleSet: string
  version: string
  rulesOutcome: string
  reasons: Array<{ rule: string; legalReference: string; sv: string; en: string }>
  provisions: string[]
  caseworker?: { note: string }
}

export type CareSubmitResult =
  | { kind: 'filed'; caseId: string; status: CaseStatus; outcome: CaseOutcome | null; replayed: boolean }
  | { kind: 'person-not-found' }
  | { kind: 'invalid'; problem: 'description-too-short' }
  | { kind: 'idempotency-conflict' }

/**
 * What each municipality has decided to offer without an individual needs assessment. No
 * municipality in the catalogue has published such a decision, so every application is assessed.
 */
const WITHOUT_ASSESSMENT = { alarm: false, service: false, minAge: 0 }

export function createSubmitCareApplication(deps: {
  db: Kysely<CasesTables>
  people: People
  routing: CompiledRuleSet
  clock: Clock
}) {
  const { db, people, routing, clock } = deps

  async function submitCareApplication(input: {
    applicantPersonId: string
    idempotencyKey: string
    application: CareApplication
  }): Promise<CareSubmitResult> {
    const { applicantPersonId, idempotencyKey, application } = input
    const requestHash = createHash('sha256').update(JSON.stringify(application)).digest('hex')
    const earlier = await store.findByIdempotencyKey(db, applicantPersonId, idempotencyKey)
    if (earlier)
      return earlier.request_hash === requestHash
        ? {
            kind: 'filed',
            caseId: earlier.id,
            status: earlier.status,
            outcome: earlier.outcome,
            replayed: true,
          }
        : { kind: 'idempotency-conflict' }
    if (application.description.trim().length < 10)
      return { kind: 'invalid', problem: 'description-too-short' }
    const person = await people.readPerson({
      actor: { kind: 'person', personId: applicantPersonId },
      purpose: 'application',
      personId: applicantPersonId,
    })
    if (!person?.identity || !person.address) return { kind: 'person-not-found' }
    const today = clock.today().toString()
    const { outputs, trace, version } = routing.evaluateWithTrace(
      {
        insats: application.insats,
        applicantBirthDate: person.identity.birthDate,
        livesInMunicipality: true,
        asksForNeedsAssessment: true,
        urgentNeed: application.urgentNeed,
        municipalityAlarmWithoutAssessment: WITHOUT_ASSESSMENT.alarm,
        municipalityServiceWithoutAssessment: WITHOUT_ASSESSMENT.service,
        municipalityMinAgeWithoutAssessment: WITHOUT_ASSESSMENT.minAge,
      },
      today,
    )
    const granted = outputs.outcome === 'granted'
    const reasons = trace
      .filter((t) => t.rule === 'reason' || t.rule === 'outcome' || t.rule === 'priority')
      .map((t) => ({
        rule: t.rule,
        legalReference: t.legalReference,
        sv: routing.explain(t, 'sv'),
        en: routing.explain(t, 'en'),
      }))
    const decision: AssessmentDecision = {
      kind: 'assessment',
      ruleSet: routing.id,
      version,
      rulesOutcome: String(outputs.outcome),
      reasons,
      provisions: [...new Set(reasons.map((r) => r.legalReference))],
    }
    const status: CaseStatus = granted ? 'decided' : 'in-queue'
    const outcome: CaseOutcome | null = granted ? 'approved' : null
    const now = new Date(clock.now().epochMilliseconds)
    try {
      return await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('cases.cases')
          .values({
            person_id: applicantPersonId,
            applicant_person_id: applicantPersonId,
            service_id: 'hemtjanst',
            agency_id: person.address?.municipalityId ?? '',
            status,
            idempotency_key: idempotencyKey,
            request_hash: requestHash,
            application: JSON.stringify({ ...application, description: application.description.trim() }),
            rule_set: routing.id,
            rule_set_version: version,
            outcome,
            decision: JSON.stringify(decision),
            queue_reason: granted ? null : String(outputs.reason),
            submitted_at: now,
            updated_at: now,
            decided_at: granted ? now : null,
            decided_by: granted ? `rules:${routing.id}@${version}` : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        const actor = `${routing.id}@${version}`
        await tx
          .insertInto('cases.events')
          .values([
            {
              case_id: row.id,
              at: now,
              actor_kind: 'person',
              actor_id: applicantPersonId,
              kind: 'submitted',
              data: JSON.stringify({ insats: application.insats }),
            },
            granted
              ? {
                  case_id: row.id,
                  at: now,
                  actor_kind: 'rule',
                  actor_id: actor,
                  kind: 'decided',
                  data: JSON.stringify({ outcome }),
                }
              : {
                  case_id: row.id,
                  at: now,
                  actor_kind: 'rule',
                  actor_id: actor,
                  kind: 'queued',
                  data: JSON.stringify({ reason: outputs.reason }),
                },
          ])
          .execute()
        if (granted)
          await store.postMessage(tx, {
            personId: applicantPersonId,
            caseId: row.id,
            kind: 'decision',
            at: now,
          })
        return { kind: 'filed' as const, caseId: row.id, status, outcome, replayed: false }
      })
    } catch (error) {
      const again = await store.findByIdempotencyKey(db, applicantPersonId, idempotencyKey)
      if (!again) throw error
      return again.request_hash === requestHash
        ? { kind: 'filed', caseId: again.id, status: again.status, outcome: again.outcome, replayed: true }
        : { kind: 'idempotency-conflict' }
    }
  }

  return { submitCareApplication }
}
