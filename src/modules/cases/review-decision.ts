// Omprövning: a person who is not satisfied asks the agency to review a decision (for
// Försäkringskassan, within two months, SFB 113 kap.). The request is a case of its own in the
// agency's queue; the caseworker decides every day of the original decision again (or, for a
// decision without days, the decision as a whole), and the original case carries the new decision
// ("ändrat" or "inte ändrat") in its history.
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { Temporal } from '../../platform/clock.ts'
import type { CompiledRuleSet } from '../rules/index.ts'
import * as store from './cases-store.ts'
import type { CaseOutcome, CasesTables } from './cases-tables.ts'
import { grantDay, outcomeOf, refuseDay, storeDayOutcomes, withDays } from './decision-days.ts'
import type { FiledBy } from './file-case.ts'
import type { Caseworker } from './handle-case.ts'
import type { BenefitDecision } from './submit-benefit-application.ts'
import type { AssessmentDecision } from './submit-care-application.ts'
import type { DayDecision, VabDecision } from './submit-vab-application.ts'

/** How long after the decision a review may be asked for (SFB 113 kap., UNVERIFIED: two months). */
export const REVIEW_PERIOD = { months: 2 } as const

export type ReviewRequestResult =
  | { kind: 'requested'; reviewCaseId: string; late: boolean; replayed: boolean }
  | { kind: 'not-found' }
  | { kind: 'not-decided' }
  | { kind: 'invalid'; problem: 'text-too-short' }

export type ReviewDecisionResult =
  | { kind: 'reviewed'; changed: boolean; outcome: CaseOutcome }
  | { kind: 'not-found' }
  | { kind: 'already-decided' }
  | { kind: 'invalid'; problems: Array<{ field: string; problem: string }> }

export function createReviewDecision(deps: {
  db: Kysely<CasesTables>
  vab: CompiledRuleSet
  clock: Clock
  reasonsOf: (trace: never, outcome: string) => DayDecision['reasons']
}) {
  const { db, vab, clock } = deps

  async function requestReview(
    applicantPersonId: string,
    caseId: string,
    text: string,
    /** Someone asking for the applicant: a guardian or the holder of a power of attorney. */
    filedBy?: FiledBy,
  ): Promise<ReviewRequestResult> {
    if (text.trim().length < 20) return { kind: 'invalid', problem: 'text-too-short' }
    return db.transaction().execute(async (tx) => {
      const original = await store.findCaseForUpdate(tx, caseId)
      if (!original || original.applicant_person_id !== applicantPersonId)
        return { kind: 'not-found' as const }
      if (original.status !== 'decided' || !original.decided_at) return { kind: 'not-decided' as const }
      const open = await tx
        .selectFrom('cases.cases')
        .select('id')
        .where('applicant_person_id', '=', applicantPersonId)
        .where('queue_reason', '=', 'review-requested')
        .where('status', '=', 'in-queue')
        .where(({ ref, eb }) => eb(ref('application', '->>').key('reviewOf'), '=', caseId))
        .executeTakeFirst()
      if (open) return { kind: 'requested' as const, reviewCaseId: open.id, late: false, replayed: true }
      const decidedOn = Temporal.Instant.fromEpochMilliseconds(original.decided_at.getTime())
        .toZonedDateTimeISO('Europe/Stockholm')
        .toPlainDate()
      const late = Temporal.PlainDate.compare(clock.today(), decidedOn.add(REVIEW_PERIOD)) > 0
      const now = new Date(clock.now().epochMilliseconds)
      const review = await tx
        .insertInto('cases.cases')
        .values({
          person_id: original.person_id,
          applicant_person_id: applicantPersonId,
          service_id: original.service_id,
          agency_id: original.agency_id,
          status: 'in-queue',
          application: JSON.stringify({ reviewOf: caseId, text: text.trim(), late }),
          rule_set: original.rule_set,
          rule_set_version: original.rule_set_version,
          decision: JSON.stringify(null),
          queue_reason: 'review-requested',
          submitted_at: now,
          updated_at: now,
          filed_by_person_id: filedBy?.personId ?? null,
          filed_by_name: filedBy?.name ?? null,
          filed_by_basis: filedBy?.basis ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const by = filedBy ? { filedBy: { name: filedBy.name, basis: filedBy.basis } } : {}
      await tx
        .insertInto('cases.events')
        .values([
          {
            case_id: review.id,
            at: now,
            actor_kind: 'person',
            actor_id: filedBy?.personId ?? applicantPersonId,
            kind: 'submitted',
            data: JSON.stringify({ reviewOf: caseId, ...by }),
          },
          {
            case_id: caseId,
            at: now,
            actor_kind: 'person',
            actor_id: filedBy?.personId ?? applicantPersonId,
            kind: 'review-requested',
            data: JSON.stringify({ review: review.id, ...by }),
          },
        ])
        .execute()
      return { kind: 'requested' as const, reviewCaseId: review.id, late, replayed: false }
    })
  }

  async function decideReview(
    caseworker: Caseworker,
    reviewCaseId: string,
    choice: {
      days: Record<string, 'approved' | 'rejected'>
      note: string
      /** For a decision without days: the outcome as a whole, and the amount granted. */
      outcome?: 'approved' | 'rejected'
      amount?: number
    },
  ): Promise<ReviewDecisionResult> {
    return db.transaction().execute(async (tx) => {
      const review = await store.findCaseForUpdate(tx, reviewCaseId, caseworker.agencyId)
      if (!review || review.agency_id !== caseworker.agencyId || review.queue_reason !== 'review-requested')
        return { kind: 'not-found' as const }
      if (review.status !== 'in-queue') return { kind: 'already-decided' as const }
      const originalId = String((review.application as { reviewOf?: string }).reviewOf ?? '')
      const original = await store.findCaseForUpdate(tx, originalId, caseworker.agencyId)
      if (!original) return { kind: 'not-found' as const }
      const decision = original.decision as unknown as VabDecision | BenefitDecision | AssessmentDecision
      const problems: Array<{ field: string; problem: string }> = []
      const note = choice.note.trim()
      if (note.length < 10) problems.push({ field: 'note', problem: 'note-too-short' })
      const now = new Date(clock.now().epochMilliseconds)
      const actor = `${caseworker.agencyId}:${caseworker.subject}`
      let changed: boolean
      let outcome: CaseOutcome
      if ('days' in decision) {
        // Every day of the original decision is decided again.
        const days: DayDecision[] = decision.days.map((day) => {
          const chosen = choice.days[day.date] ?? (day.outcome === 'approved' ? 'approved' : 'rejected')
          if (chosen === (day.outcome === 'approved' ? 'approved' : 'rejected')) return day
          if (chosen === 'rejected') return refuseDay(day)
          const granted = grantDay(vab, day, deps.reasonsOf)
          if (!granted) problems.push({ field: `day-${day.date}`, problem: 'rules-refuse' })
          return granted ?? day
        })
        if (problems.length > 0) return { kind: 'invalid' as const, problems }
        changed = days.some((d, i) => d.outcome !== decision.days[i]?.outcome)
        outcome = changed ? outcomeOf(days) : (original.outcome ?? 'rejected')
        if (changed) {
          const updated = { ...withDays(decision, days), caseworker: { reasons: [], note } }
          await tx
            .updateTable('cases.cases')
            .set({
              outcome,
              decision: JSON.stringify(updated),
              decided_at: now,
              decided_by: `caseworker:${caseworker.subject}`,
              updated_at: now,
            })
            .where('id', '=', originalId)
            .execute()
          await storeDayOutcomes(tx, originalId, days)
        }
      } else {
        // A decision as a whole (a benefit, a needs assessment): granted or refused again, and for
        // a benefit the amount granted.
        const chosen = choice.outcome
        if (chosen !== 'approved' && chosen !== 'rejected')
          problems.push({ field: 'outcome', problem: 'choose' })
        if (choice.amount !== undefined && !(Number.isFinite(choice.amount) && choice.amount >= 0))
          problems.push({ field: 'amount', problem: 'amount' })
        if (problems.length > 0 || !chosen) return { kind: 'invalid' as const, problems }
        const amount =
          decision.kind === 'benefit' && chosen === 'approved'
            ? (choice.amount ?? decision.caseworker?.amount)
            : undefined
        changed =
          chosen !== original.outcome ||
          (decision.kind === 'benefit' && amount !== decision.caseworker?.amount)
        outcome = chosen
        if (changed)
          await tx
            .updateTable('cases.cases')
            .set({
              outcome,
              decision: JSON.stringify({
                ...decision,
                caseworker: { note, ...(amount !== undefined ? { amount } : {}) },
              }),
              decided_at: now,
              decided_by: `caseworker:${caseworker.subject}`,
              updated_at: now,
            })
            .where('id', '=', originalId)
            .execute()
      }
      await tx
        .updateTable('cases.cases')
        .set({
          status: 'decided',
          outcome: changed ? 'approved' : 'rejected',
          decision: JSON.stringify({ review: { of: originalId, changed, note: choice.note.trim() } }),
          decided_at: now,
          decided_by: `caseworker:${caseworker.subject}`,
          updated_at: now,
        })
        .where('id', '=', reviewCaseId)
        .execute()
      await tx
        .insertInto('cases.events')
        .values([
          {
            case_id: reviewCaseId,
            at: now,
            actor_kind: 'caseworker',
            actor_id: actor,
            kind: 'reviewed',
            data: JSON.stringify({ changed }),
          },
          {
            case_id: originalId,
            at: now,
            actor_kind: 'caseworker',
            actor_id: actor,
            kind: changed ? 'changed-on-review' : 'kept-on-review',
            data: JSON.stringify({ review: reviewCaseId }),
          },
        ])
        .execute()
      await store.postMessage(tx, {
        personId: review.applicant_person_id ?? review.person_id,
        caseId: originalId,
        kind: 'decision',
        at: now,
      })
      return { kind: 'reviewed' as const, changed, outcome }
    })
  }

  return { requestReview, decideReview }
}
