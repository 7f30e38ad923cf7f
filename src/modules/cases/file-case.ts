// What every application shares once its facts are known: the idempotency key, so that a double
// submit files one case, and the filing itself – the case with its decision or queue reason, its
// first steps in the history, and the inbox message that tells the applicant of a decision or a
// request – written in one transaction.
import { createHash, randomUUID } from 'node:crypto'
import { type Kysely, type OperationNodeSource, type QueryCreator, sql, type Transaction } from 'kysely'
import { insertJobs, type JobsTables } from '../../platform/jobs/queue.ts'
import { INBOX_MESSAGE_POSTED, type InboxMessagePosted } from './cases-events.ts'
import * as store from './cases-store.ts'
import type { CaseOutcome, CaseStatus, CasesTables } from './cases-tables.ts'

/** The answer to an application: a new case, or the same case again for the same key and body. */
export type Filed = {
  kind: 'filed'
  caseId: string
  status: CaseStatus
  outcome: CaseOutcome | null
  replayed: boolean
}
export type Replayed = Filed | { kind: 'idempotency-conflict' }

/** The fingerprint of an application's body, kept with the key. */
export function requestHashOf(application: unknown): string {
  return createHash('sha256').update(JSON.stringify(application)).digest('hex')
}

/**
 * An earlier application with the same key: its case when the body is the same, a conflict when it
 * is not, undefined when the key is new.
 */
export async function findReplay(
  db: Kysely<CasesTables> | Transaction<CasesTables>,
  applicantPersonId: string,
  idempotencyKey: string,
  requestHash: string,
): Promise<Replayed | undefined> {
  const earlier = await store.findByIdempotencyKey(db, applicantPersonId, idempotencyKey)
  if (!earlier) return undefined
  if (earlier.request_hash !== requestHash) return { kind: 'idempotency-conflict' }
  return {
    kind: 'filed',
    caseId: earlier.id,
    status: earlier.status,
    outcome: earlier.outcome,
    replayed: true,
  }
}

/**
 * Runs a filing. Two submits with the same key at the same moment: the unique key lets only one
 * case in, and the other is answered with it.
 */
export async function fileOnce<T>(
  db: Kysely<CasesTables>,
  key: { applicantPersonId: string; idempotencyKey: string; requestHash: string },
  file: () => Promise<T>,
): Promise<T | Replayed> {
  try {
    return await file()
  } catch (error) {
    const again = await findReplay(db, key.applicantPersonId, key.idempotencyKey, key.requestHash)
    if (!again) throw error
    return again
  }
}

/**
 * Who filed an application for the person it concerns, when it was not the person themself: a
 * guardian (custody) or the holder of a power of attorney, with their name as their sign-in gave it.
 */
export interface FiledBy {
  personId: string
  name: string
  basis: 'custody' | 'power-of-attorney'
}

/**
 * Who reads the applicant's data for an application: the applicant, or the one who files it for
 * them, on their behalf and within the service (the right is checked again at the read).
 */
export function applicantReader(applicantPersonId: string, filedBy: FiledBy | undefined, serviceId: string) {
  return filedBy
    ? {
        actor: { kind: 'person' as const, personId: filedBy.personId },
        personId: applicantPersonId,
        onBehalfOf: applicantPersonId,
        scope: `service:${serviceId}`,
      }
    : { actor: { kind: 'person' as const, personId: applicantPersonId }, personId: applicantPersonId }
}

export interface NewCase {
  applicantPersonId: string
  /** Set when someone filed it for the applicant. */
  filedBy?: FiledBy | undefined
  serviceId: string
  agencyId: string
  idempotencyKey: string
  requestHash: string
  application: Record<string, unknown>
  /** The rule set that decided or routed the case (id and version). */
  ruleSet: { id: string; version: string }
  status: CaseStatus
  outcome: CaseOutcome | null
  decision: unknown
  queueReason: string | null
  /** What the history says about the application itself (kept small: no personal details). */
  submitted: Record<string, unknown>
  /** What the history says about the rules' step; by default the outcome or the queue reason. */
  step?: Record<string, unknown>
  /**
   * A case no one applied for (a benefit decided when a register event calls for it): the history
   * opens with this step, taken by the rules, instead of "submitted".
   */
  opened?: { kind: string; data: Record<string, unknown> }
  at: Date
}

/** The step the rules took, as the history names it. */
const STEP: Partial<Record<CaseStatus, string>> = {
  decided: 'decided',
  'in-queue': 'queued',
  'waiting-for-applicant': 'completion-requested',
}

/** A further write of a filing (the care days of a VAB case), built on the filing's transaction. */
export type FilingWrite = OperationNodeSource

/**
 * Files the case in the caller's transaction: the case row, "submitted" and the rules' step in the
 * history, a message to the inbox when there is a decision or a request (with the job that tells of
 * it), and the caller's own further writes for the case. All of it is one statement, a
 * data-modifying WITH, so that filing takes one round trip to the database however much it
 * writes; the case's id is made here so that every part can name it. The foreign keys are checked
 * at the end of the statement, when every part is written. Returns the case id.
 */
export async function fileCase(
  tx: Transaction<CasesTables>,
  c: NewCase,
  also: (caseId: string) => FilingWrite[] = () => [],
): Promise<string> {
  const decided = c.status === 'decided'
  const rules = `${c.ruleSet.id}@${c.ruleSet.version}`
  const caseId = randomUUID()
  const events = [
    c.opened
      ? {
          case_id: caseId,
          at: c.at,
          actor_kind: 'rule',
          actor_id: rules,
          kind: c.opened.kind,
          data: JSON.stringify(c.opened.data),
        }
      : {
          case_id: caseId,
          at: c.at,
          actor_kind: 'person',
          actor_id: c.filedBy?.personId ?? c.applicantPersonId,
          kind: 'submitted',
          data: JSON.stringify(
            c.filedBy
              ? { ...c.submitted, filedBy: { name: c.filedBy.name, basis: c.filedBy.basis } }
              : c.submitted,
          ),
        },
  ]
  const step = STEP[c.status]
  if (step)
    events.push({
      case_id: caseId,
      at: c.at,
      actor_kind: 'rule',
      actor_id: rules,
      kind: step,
      data: JSON.stringify(c.step ?? (decided ? { outcome: c.outcome } : { reason: c.queueReason })),
    })
  const writes: FilingWrite[] = [
    tx.insertInto('cases.cases').values({
      id: caseId,
      person_id: c.applicantPersonId,
      applicant_person_id: c.applicantPersonId,
      service_id: c.serviceId,
      agency_id: c.agencyId,
      status: c.status,
      idempotency_key: c.idempotencyKey,
      request_hash: c.requestHash,
      application: JSON.stringify(c.application),
      rule_set: c.ruleSet.id,
      rule_set_version: c.ruleSet.version,
      outcome: c.outcome,
      decision: JSON.stringify(c.decision),
      queue_reason: c.queueReason,
      submitted_at: c.at,
      updated_at: c.at,
      decided_at: decided ? c.at : null,
      decided_by: decided ? `rules:${rules}` : null,
      filed_by_person_id: c.filedBy?.personId ?? null,
      filed_by_name: c.filedBy?.name ?? null,
      filed_by_basis: c.filedBy?.basis ?? null,
    }),
    tx.insertInto('cases.events').values(events),
  ]
  if (decided || c.status === 'waiting-for-applicant') {
    const kind = decided ? 'decision' : 'request'
    writes.push(
      tx.insertInto('cases.messages').values({
        person_id: c.applicantPersonId,
        case_id: caseId,
        kind,
        created_at: c.at,
      }),
    )
    const told: InboxMessagePosted = { personId: c.applicantPersonId, caseId, kind }
    writes.push(
      insertJobs(tx.withTables<JobsTables>(), [{ name: INBOX_MESSAGE_POSTED, payload: told }], c.at),
    )
  }
  writes.push(...also(caseId))
  let statement = tx as unknown as QueryCreator<CasesTables>
  for (const [i, write] of writes.entries())
    statement = statement.with(`filing_${i}`, () => write as never) as unknown as QueryCreator<CasesTables>
  await statement.selectNoFrom(sql<number>`1`.as('filed')).execute()
  return caseId
}
