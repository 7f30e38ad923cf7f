// What every application shares once its facts are known: the idempotency key, so that a double
// submit files one case, and the filing itself – the case with its decision or queue reason, its
// first steps in the history, and the inbox message that tells the applicant of a decision or a
// request – written in one transaction.
import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
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

/**
 * Files the case in the caller's transaction: the case row, "submitted" and the rules' step in the
 * history, and a message to the inbox when there is a decision or a request. Returns the case id.
 */
export async function fileCase(tx: Transaction<CasesTables>, c: NewCase): Promise<string> {
  const decided = c.status === 'decided'
  const rules = `${c.ruleSet.id}@${c.ruleSet.version}`
  const row = await tx
    .insertInto('cases.cases')
    .values({
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
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const events = [
    c.opened
      ? {
          case_id: row.id,
          at: c.at,
          actor_kind: 'rule',
          actor_id: rules,
          kind: c.opened.kind,
          data: JSON.stringify(c.opened.data),
        }
      : {
          case_id: row.id,
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
      case_id: row.id,
      at: c.at,
      actor_kind: 'rule',
      actor_id: rules,
      kind: step,
      data: JSON.stringify(c.step ?? (decided ? { outcome: c.outcome } : { reason: c.queueReason })),
    })
  await tx.insertInto('cases.events').values(events).execute()
  if (decided || c.status === 'waiting-for-applicant')
    await store.postMessage(tx, {
      personId: c.applicantPersonId,
      caseId: row.id,
      kind: decided ? 'decision' : 'request',
      at: c.at,
    })
  return row.id
}
