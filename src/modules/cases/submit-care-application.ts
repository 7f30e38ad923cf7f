// An application for elderly care from the municipality (bistånd: hemtjänst, särskilt boende,
// trygghetslarm …). Whether a person needs the help is an assessment the law leaves to a person, so
// the routing rules send the application to the municipality's social services with the reason;
// only what the municipality has decided to offer without an individual assessment is granted
// directly.
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { People } from '../people/index.ts'
import type { CompiledRuleSet } from '../rules/index.ts'
import type { CaseOutcome, CaseStatus, CasesTables } from './cases-tables.ts'
import {
  applicantReader,
  type Filed,
  type FiledBy,
  fileCase,
  fileOnce,
  findReplay,
  requestHashOf,
} from './file-case.ts'

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
  | Filed
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
    /** Someone filing for the applicant: a guardian or the holder of a power of attorney. */
    filedBy?: FiledBy | undefined
  }): Promise<CareSubmitResult> {
    const { applicantPersonId, idempotencyKey, application, filedBy } = input
    const requestHash = requestHashOf(application)
    const earlier = await findReplay(db, applicantPersonId, idempotencyKey, requestHash)
    if (earlier) return earlier
    if (application.description.trim().length < 10)
      return { kind: 'invalid', problem: 'description-too-short' }
    const person = await people.readPerson({
      ...applicantReader(applicantPersonId, filedBy, 'hemtjanst'),
      purpose: 'application',
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
    const key = { applicantPersonId, idempotencyKey, requestHash }
    return fileOnce(db, key, () =>
      db.transaction().execute(async (tx) => {
        const caseId = await fileCase(tx, {
          applicantPersonId,
          filedBy,
          serviceId: 'hemtjanst',
          agencyId: person.address?.municipalityId ?? '',
          idempotencyKey,
          requestHash,
          application: { ...application, description: application.description.trim() },
          ruleSet: { id: routing.id, version },
          status,
          outcome,
          decision,
          queueReason: granted ? null : String(outputs.reason),
          submitted: { insats: application.insats },
          at: now,
        })
        return { kind: 'filed' as const, caseId, status, outcome, replayed: false }
      }),
    )
  }

  return { submitCareApplication }
}
