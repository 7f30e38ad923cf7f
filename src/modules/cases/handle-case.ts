// The caseworker (journey 7): the agency's queue of cases the rules could not decide, one case
// with the application, the rules' reasons and the parts of the person's picture the case needs,
// and a decision with reasons – recorded in the case's history.
import type { Kysely, Transaction } from 'kysely'
import { withoutRecord } from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Actor, People } from '../people/index.ts'
import type { CompiledRuleSet } from '../rules/index.ts'
import * as store from './cases-store.ts'
import type { CaseOutcome, CaseStatus, CasesTables } from './cases-tables.ts'
import { grantDay, outcomeOf, refuseDay, storeDayOutcomes, withDays } from './decision-days.ts'
import type { BenefitDecision } from './submit-benefit-application.ts'
import type { AssessmentDecision } from './submit-care-application.ts'
import type { DayDecision, VabDecision } from './submit-vab-application.ts'

export interface Caseworker {
  subject: string
  agencyId: string
}

export const QUEUE_STATUSES = ['in-queue', 'waiting-for-applicant', 'decided'] as const
export type QueueStatus = (typeof QUEUE_STATUSES)[number]

export interface CaseworkerDecision {
  /** For each day the rules left open: grant or refuse. */
  days: Record<string, 'approved' | 'rejected'>
  /** Reasons chosen from the rules' reasons for the case, by rule id. */
  reasons: string[]
  /** The caseworker's own words, shown in the decision. */
  note: string
}

export type DecideResult =
  | { kind: 'decided'; outcome: CaseOutcome }
  | { kind: 'not-found' }
  | { kind: 'already-decided' }
  | { kind: 'invalid'; problems: Array<{ field: string; problem: string }> }

const OPEN: CaseStatus[] = ['in-queue', 'waiting-for-applicant']

const actorOf = (caseworker: Caseworker): Actor => ({
  kind: 'caseworker',
  subject: caseworker.subject,
  agencyId: caseworker.agencyId,
})

/** Whose data a case holds: the person it is about, and who applied for them. */
const personsOf = (row: { person_id: string; applicant_person_id: string | null }) =>
  row.applicant_person_id && row.applicant_person_id !== row.person_id
    ? [row.person_id, row.applicant_person_id]
    : [row.person_id]

export function createCaseHandling(deps: {
  db: Kysely<CasesTables>
  people: People
  vab: CompiledRuleSet
  clock: Clock
  reasonsOf: (trace: never, outcome: string) => DayDecision['reasons']
}) {
  const { db, people, vab, clock } = deps

  /** A caseworker's work on cases at their agency: every case read is recorded for its persons. */
  const asCaseworker = <T>(
    caseworker: Caseworker,
    work: (
      saw: (row: { person_id: string; applicant_person_id: string | null }, categories?: string[]) => void,
    ) => Promise<T>,
  ) =>
    people.access.read({ actor: actorOf(caseworker), purpose: 'case-handling' }, (scope) =>
      work((row, categories = ['cases']) => {
        for (const personId of personsOf(row)) scope.record(personId, categories)
      }),
    )

  /** What every caseworker step leaves: an event in the case's history and a message to the applicant. */
  async function recordStep(
    tx: Transaction<CasesTables>,
    step: {
      row: { id: string; applicant_person_id: string | null; person_id: string }
      caseworker: Caseworker
      at: Date
      kind: string
      data: Record<string, unknown>
      message: 'decision' | 'request'
    },
  ) {
    await tx
      .insertInto('cases.events')
      .values({
        case_id: step.row.id,
        at: step.at,
        actor_kind: 'caseworker',
        actor_id: `${step.caseworker.agencyId}:${step.caseworker.subject}`,
        kind: step.kind,
        data: JSON.stringify(step.data),
      })
      .execute()
    await store.postMessage(tx, {
      personId: step.row.applicant_person_id ?? step.row.person_id,
      caseId: step.row.id,
      kind: step.message,
      at: step.at,
    })
  }

  /** Whether a case at the caseworker's agency concerns the person: the legal basis to read. */
  async function caseworkerMayRead(actor: Actor, personId: string, caseId: string): Promise<boolean> {
    if (actor.kind !== 'caseworker') return false
    const row = await withoutRecord('access-policy', () => store.findCase(db, caseId))
    return Boolean(
      row &&
        row.agency_id === actor.agencyId &&
        (row.person_id === personId || row.applicant_person_id === personId),
    )
  }

  /** The agency's queue; that a person has a case there is their data, so each listing is recorded. */
  const listQueue = (caseworker: Caseworker, filter: { status: QueueStatus }) =>
    asCaseworker(caseworker, async (saw) => {
      const rows = await store.listAgencyCases(db, caseworker.agencyId, filter.status)
      for (const r of rows) saw(r)
      return queueOf(rows)
    })

  function queueOf(rows: Awaited<ReturnType<typeof store.listAgencyCases>>) {
    const now = clock.now().epochMilliseconds
    return rows.map((r) => ({
      id: r.id,
      serviceId: r.service_id,
      status: r.status,
      queueReason: r.queue_reason,
      submittedAt: r.submitted_at.toISOString(),
      ageDays: Math.floor((now - r.submitted_at.getTime()) / 86_400_000),
    }))
  }

  /** The case as the caseworker sees it; reading the person's data is logged for the person. */
  const openCase = (caseworker: Caseworker, caseId: string) =>
    asCaseworker(caseworker, async (saw) => {
      const row = await store.findCase(db, caseId, caseworker.agencyId)
      if (!row) return undefined
      const opened = await caseAsSeen(caseworker, row)
      saw(row, opened.documents.length > 0 ? ['cases', 'documents'] : ['cases'])
      return opened
    })

  async function caseAsSeen(
    caseworker: Caseworker,
    row: NonNullable<Awaited<ReturnType<typeof store.findCase>>>,
  ) {
    const caseId = row.id
    const actor = actorOf(caseworker)
    const person = await people.readPerson({
      actor,
      purpose: 'case-handling',
      personId: row.person_id,
      caseId,
    })
    const events = await store.listEvents(db, caseId)
    const documents = await store.listDocuments(db, caseId)
    return {
      id: row.id,
      documents: documents.map((d) => ({
        id: d.id,
        kind: d.kind,
        fileName: d.file_name,
        contentType: d.content_type,
        sizeBytes: d.size_bytes,
        uploadedAt: d.uploaded_at.toISOString(),
      })),
      serviceId: row.service_id,
      status: row.status,
      outcome: row.outcome,
      queueReason: row.queue_reason,
      submittedAt: row.submitted_at.toISOString(),
      application: row.application,
      decision: row.decision as unknown as VabDecision | null,
      ruleSet: row.rule_set,
      ruleSetVersion: row.rule_set_version,
      person,
      events: events.map((e) => ({
        at: e.at.toISOString(),
        kind: e.kind,
        actorKind: e.actor_kind,
        actorId: e.actor_id,
        data: e.data,
      })),
    }
  }

  async function decideCase(
    caseworker: Caseworker,
    caseId: string,
    choice: CaseworkerDecision,
  ): Promise<DecideResult> {
    return db.transaction().execute(async (tx) => {
      const row = await store.findCaseForUpdate(tx, caseId, caseworker.agencyId)
      if (!row || row.agency_id !== caseworker.agencyId) return { kind: 'not-found' as const }
      if (!OPEN.includes(row.status)) return { kind: 'already-decided' as const }
      const decision = row.decision as unknown as VabDecision
      const problems: Array<{ field: string; problem: string }> = []
      const openDays = decision.days.filter(
        (d) => d.outcome === 'manual-review' || d.outcome === 'needs-certificate',
      )
      const days: DayDecision[] = decision.days.map((day) => {
        if (!openDays.includes(day)) return day
        const chosen = choice.days[day.date]
        if (!chosen) {
          problems.push({ field: `day-${day.date}`, problem: 'choose' })
          return day
        }
        if (chosen === 'rejected') return refuseDay(day)
        const granted = grantDay(vab, day, deps.reasonsOf)
        if (!granted) problems.push({ field: `day-${day.date}`, problem: 'rules-refuse' })
        return granted ?? day
      })
      const known = new Set(decision.days.flatMap((d) => d.reasons.map((r) => r.rule)))
      for (const r of choice.reasons)
        if (!known.has(r)) problems.push({ field: 'reasons', problem: 'unknown-reason' })
      if (choice.note.trim().length < 10) problems.push({ field: 'note', problem: 'note-too-short' })
      if (problems.length > 0) return { kind: 'invalid' as const, problems }

      const outcome = outcomeOf(days)
      const chosenReasons = decision.days
        .flatMap((d) => d.reasons)
        .filter(
          (r, i, all) => choice.reasons.includes(r.rule) && all.findIndex((x) => x.rule === r.rule) === i,
        )
      const updated = {
        ...withDays(decision, days),
        caseworker: { reasons: chosenReasons, note: choice.note.trim() },
      }
      const now = new Date(clock.now().epochMilliseconds)
      await tx
        .updateTable('cases.cases')
        .set({
          status: 'decided',
          outcome,
          decision: JSON.stringify(updated),
          decided_at: now,
          decided_by: `caseworker:${caseworker.subject}`,
          updated_at: now,
        })
        .where('id', '=', caseId)
        .execute()
      await storeDayOutcomes(tx, caseId, days)
      await recordStep(tx, {
        row,
        caseworker,
        at: now,
        kind: 'decided',
        data: { outcome },
        message: 'decision',
      })
      return { kind: 'decided' as const, outcome }
    })
  }

  /** A document of a case at the caseworker's agency. */
  const readDocument = (caseworker: Caseworker, caseId: string, documentId: string) =>
    asCaseworker(caseworker, async (saw) => {
      const row = await store.findCase(db, caseId, caseworker.agencyId)
      if (!row) return undefined
      const document = await store.findDocument(db, caseId, documentId)
      if (document) saw(row, ['documents'])
      return document
    })

  /** A caseworker's step on one case at their agency, recorded for the case's persons. */
  const onCase =
    <A extends unknown[], R>(step: (caseworker: Caseworker, caseId: string, ...rest: A) => Promise<R>) =>
    (caseworker: Caseworker, caseId: string, ...rest: A) =>
      asCaseworker(caseworker, async (saw) => {
        const row = await store.findCase(db, caseId, caseworker.agencyId)
        if (row) saw(row)
        return step(caseworker, caseId, ...rest)
      })

  /** The caseworker asks the applicant for more: the case waits for them, and a message says so. */
  async function requestCompletion(
    caseworker: Caseworker,
    caseId: string,
    text: string,
  ): Promise<'requested' | 'not-found' | 'not-open' | 'too-short'> {
    if (text.trim().length < 10) return 'too-short'
    return db.transaction().execute(async (tx) => {
      const row = await store.findCaseForUpdate(tx, caseId, caseworker.agencyId)
      if (!row || row.agency_id !== caseworker.agencyId) return 'not-found' as const
      if (!OPEN.includes(row.status)) return 'not-open' as const
      const now = new Date(clock.now().epochMilliseconds)
      await tx
        .updateTable('cases.cases')
        .set({ status: 'waiting-for-applicant', queue_reason: 'certificate-needed', updated_at: now })
        .where('id', '=', caseId)
        .execute()
      await recordStep(tx, {
        row,
        caseworker,
        at: now,
        kind: 'completion-requested',
        data: { text: text.trim() },
        message: 'request',
      })
      return 'requested' as const
    })
  }

  /**
   * A needs assessment, or a benefit the rules could not decide: the caseworker grants or refuses,
   * in their own words (FL 32 §), and for a benefit may state the amount granted.
   */
  async function decideAssessment(
    caseworker: Caseworker,
    caseId: string,
    choice: { outcome: 'approved' | 'rejected'; note: string; amount?: number },
  ): Promise<DecideResult> {
    if (choice.note.trim().length < 10)
      return { kind: 'invalid', problems: [{ field: 'note', problem: 'note-too-short' }] }
    if (choice.amount !== undefined && !(Number.isFinite(choice.amount) && choice.amount >= 0))
      return { kind: 'invalid', problems: [{ field: 'amount', problem: 'amount' }] }
    return db.transaction().execute(async (tx) => {
      const row = await store.findCaseForUpdate(tx, caseId, caseworker.agencyId)
      const decision = row?.decision as unknown as AssessmentDecision | BenefitDecision | null
      if (
        !row ||
        row.agency_id !== caseworker.agencyId ||
        (decision?.kind !== 'assessment' && decision?.kind !== 'benefit')
      )
        return { kind: 'not-found' as const }
      if (!OPEN.includes(row.status)) return { kind: 'already-decided' as const }
      const now = new Date(clock.now().epochMilliseconds)
      await tx
        .updateTable('cases.cases')
        .set({
          status: 'decided',
          outcome: choice.outcome,
          decision: JSON.stringify({
            ...decision,
            caseworker: {
              note: choice.note.trim(),
              ...(decision.kind === 'benefit' && choice.outcome === 'approved' && choice.amount !== undefined
                ? { amount: choice.amount }
                : {}),
            },
          }),
          decided_at: now,
          decided_by: `caseworker:${caseworker.subject}`,
          updated_at: now,
        })
        .where('id', '=', caseId)
        .execute()
      await recordStep(tx, {
        row,
        caseworker,
        at: now,
        kind: 'decided',
        data: { outcome: choice.outcome },
        message: 'decision',
      })
      return { kind: 'decided' as const, outcome: choice.outcome }
    })
  }

  return {
    caseworkerMayRead,
    listQueue,
    openCase,
    decideCase: onCase(decideCase),
    decideAssessment: onCase(decideAssessment),
    readDocument,
    requestCompletion: onCase(requestCompletion),
    onCase,
  }
}
