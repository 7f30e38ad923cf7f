// Queries on interop's own tables.
import type { Kysely, Transaction } from 'kysely'
import type { ChangeKind, DeathData, DeliveryStatus, InteropTables, MoveData } from './interop-tables.ts'

type Db = Kysely<InteropTables> | Transaction<InteropTables>

export interface NewChange {
  id: string
  personId: string
  kind: ChangeKind
  occurredOn: string
  source: 'samla' | 'register'
  data: (MoveData | DeathData) & { personalNumber: string }
  idempotencyKey?: string
  requestHash?: string
  registerEventId?: string
  recordedAt: Date
}

/** Adds the change unless the person already has one of its kind on that date: true when added. */
export async function insertChange(db: Db, change: NewChange): Promise<boolean> {
  const rows = await db
    .insertInto('interop.changes')
    .values({
      id: change.id,
      person_id: change.personId,
      kind: change.kind,
      occurred_on: change.occurredOn,
      source: change.source,
      data: JSON.stringify(change.data),
      idempotency_key: change.idempotencyKey ?? null,
      request_hash: change.requestHash ?? null,
      register_event_id: change.registerEventId ?? null,
      recorded_at: change.recordedAt,
    })
    .onConflict((oc) => oc.columns(['person_id', 'kind', 'occurred_on']).doNothing())
    .returning('id')
    .execute()
  return rows.length === 1
}

export function findChangeByKey(db: Db, personId: string, idempotencyKey: string) {
  return db
    .selectFrom('interop.changes')
    .selectAll()
    .where('person_id', '=', personId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst()
}

export function findChangeOn(db: Db, personId: string, kind: ChangeKind, occurredOn: string) {
  return db
    .selectFrom('interop.changes')
    .selectAll()
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .where('occurred_on', '=', occurredOn)
    .executeTakeFirst()
}

export function listChanges(db: Db, personId: string, kind: ChangeKind) {
  return db
    .selectFrom('interop.changes')
    .selectAll()
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .orderBy('recorded_at', 'desc')
    .execute()
}

export async function insertDeliveries(
  db: Db,
  rows: Array<{
    id: string
    changeId: string
    personId: string
    agencyId: string
    stage: 1 | 2
    status: DeliveryStatus
    eventId: string
    createdAt: Date
  }>,
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('interop.deliveries')
    .values(
      rows.map((r) => ({
        id: r.id,
        change_id: r.changeId,
        person_id: r.personId,
        agency_id: r.agencyId,
        stage: r.stage,
        status: r.status,
        event_id: r.eventId,
        attempts: 0,
        created_at: r.createdAt,
      })),
    )
    .execute()
}

export function listDeliveries(db: Db, changeId: string) {
  return db
    .selectFrom('interop.deliveries')
    .selectAll()
    .where('change_id', '=', changeId)
    .orderBy('stage')
    .orderBy('agency_id')
    .execute()
}

export function findDeliveryWithChange(db: Db, deliveryId: string) {
  return db
    .selectFrom('interop.deliveries as d')
    .innerJoin('interop.changes as c', 'c.id', 'd.change_id')
    .select([
      'd.id',
      'd.change_id',
      'd.person_id',
      'd.agency_id',
      'd.stage',
      'd.status',
      'd.event_id',
      'c.kind',
      'c.occurred_on',
      'c.source',
      'c.data',
      'c.recorded_at',
    ])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst()
}

export async function markDelivered(
  db: Db,
  deliveryId: string,
  update: { receiptId: string; attempts: number; at: Date },
): Promise<void> {
  await db
    .updateTable('interop.deliveries')
    .set({
      status: 'delivered',
      receipt_id: update.receiptId,
      attempts: update.attempts,
      delivered_at: update.at,
      last_error: null,
    })
    .where('id', '=', deliveryId)
    .where('status', '!=', 'delivered')
    .execute()
}

export async function markFailed(
  db: Db,
  deliveryId: string,
  update: { status: 'failed' | 'dead'; error: string; attempts?: number },
): Promise<void> {
  await db
    .updateTable('interop.deliveries')
    .set({
      status: update.status,
      last_error: update.error,
      ...(update.attempts !== undefined ? { attempts: update.attempts } : {}),
    })
    .where('id', '=', deliveryId)
    .where('status', '!=', 'delivered')
    .execute()
}

/** The deliveries of stage 2 still waiting, now queued: the ids of those moved. */
export async function releaseWaiting(db: Db, changeId: string) {
  return db
    .updateTable('interop.deliveries')
    .set({ status: 'pending' })
    .where('change_id', '=', changeId)
    .where('status', '=', 'waiting')
    .returning(['id', 'agency_id', 'person_id'])
    .execute()
}
