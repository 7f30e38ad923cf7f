// proactive.offers: the offers and reminders Samla has planned for a person, each with its reason,
// deadline and moment, and the job that sends it at the moment (written in the same transaction).
import type { Kysely, Selectable, Transaction } from 'kysely'
import { sql } from 'kysely'
import { enqueueJobs, type JobsTables } from '../../platform/jobs/queue.ts'
import type { TriggerKind } from './date-rules.ts'
import type { OfferDraft } from './offer-rules.ts'
import type { ProactiveTables } from './proactive-tables.ts'

type Db = Kysely<ProactiveTables & JobsTables> | Transaction<ProactiveTables & JobsTables>
export type OfferRow = Selectable<ProactiveTables['proactive.offers']>
export type PlannedBy = OfferRow['planned_by']

/** The job that sends a reminder at its moment; a job for an earlier moment finds it moved and does nothing. */
export const SEND_REMINDER_JOB = 'proactive.send-reminder'
export interface SendReminderPayload {
  offerId: string
  /** The moment the job was queued for (ISO): the offer must still be planned for it. */
  scheduledFor: string
}

const sendJob = (offerId: string, at: Date) => ({
  name: SEND_REMINDER_JOB,
  payload: { offerId, scheduledFor: at.toISOString() } satisfies SendReminderPayload,
  runAt: at,
  uniqueKey: `${SEND_REMINDER_JOB}:${offerId}:${at.toISOString()}`,
})

/** The triggers fired on the day, in the range of person-id hashes, that give an offer and have none yet. */
export async function findTriggersWithoutOffer(
  db: Db,
  q: { date: string; sources: TriggerKind[]; range: { from: number; to: number }; limit: number },
) {
  if (q.sources.length === 0) return []
  return db
    .selectFrom('proactive.fired_triggers as t')
    .select(['t.person_id', 't.kind', 't.occasion', 't.due_on'])
    .where('t.fired_on', '=', q.date)
    .where('t.kind', 'in', q.sources)
    .where(sql<boolean>`uuid_hash(t.person_id) between ${q.range.from} and ${q.range.to}`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('proactive.offers as o')
            .select(sql`1`.as('one'))
            .whereRef('o.person_id', '=', 't.person_id')
            .whereRef('o.source', '=', 't.kind')
            .whereRef('o.occasion', '=', 't.occasion'),
        ),
      ),
    )
    .orderBy('t.person_id')
    .limit(q.limit)
    .execute()
}

/** Writes the offer and the job that sends it; nothing when the person has it already. */
export async function insertOffer(
  db: Db,
  o: {
    personId: string
    source: TriggerKind
    occasion: string
    draft: OfferDraft
    at: Date
    plannedBy: PlannedBy
    now: Date
  },
): Promise<string | undefined> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('proactive.offers')
      .values({
        person_id: o.personId,
        kind: o.draft.kind,
        source: o.source,
        occasion: o.occasion,
        agency_id: o.draft.agencyId,
        reason_key: o.draft.reason.key,
        reason_params: JSON.stringify(o.draft.reason.params),
        deadline: o.draft.deadline,
        scheduled_for: o.at,
        planned_by: o.plannedBy,
        created_at: o.now,
        updated_at: o.now,
      })
      .onConflict((oc) => oc.columns(['person_id', 'source', 'occasion']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (row) await enqueueJobs(tx, [sendJob(row.id, o.at)], o.now)
    return row?.id
  })
}

/** Plans a scheduled offer for another moment, with the job for it. False when it is no longer scheduled. */
export async function reschedule(
  db: Db,
  r: { personId: string; offerId: string; at: Date; plannedBy: PlannedBy; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('proactive.offers')
      .set({ scheduled_for: r.at, planned_by: r.plannedBy, updated_at: r.now })
      .where('person_id', '=', r.personId)
      .where('id', '=', r.offerId)
      .where('status', '=', 'scheduled')
      .returning('id')
      .executeTakeFirst()
    if (row) await enqueueJobs(tx, [sendJob(row.id, r.at)], r.now)
    return row !== undefined
  })
}

export async function listOffersOf(db: Db, personId: string): Promise<OfferRow[]> {
  return db
    .selectFrom('proactive.offers')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('scheduled_for')
    .orderBy('id')
    .execute()
}

export async function findOffer(db: Db, offerId: string, personId?: string): Promise<OfferRow | undefined> {
  let query = db.selectFrom('proactive.offers').selectAll().where('id', '=', offerId)
  if (personId) query = query.where('person_id', '=', personId)
  return query.executeTakeFirst()
}

/** The person's scheduled offers concerning the agency that were timed with its shared calendar. */
export async function plannedWithCalendar(db: Db, personId: string, agencyId: string): Promise<OfferRow[]> {
  return db
    .selectFrom('proactive.offers')
    .selectAll()
    .where('person_id', '=', personId)
    .where('agency_id', '=', agencyId)
    .where('status', '=', 'scheduled')
    .where('planned_by', '=', 'calendar')
    .execute()
}

export async function dismissOffer(
  db: Db,
  d: { personId: string; offerId: string; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('proactive.offers')
    .set({ status: 'dismissed', dismissed_at: d.now, updated_at: d.now })
    .where('person_id', '=', d.personId)
    .where('id', '=', d.offerId)
    .where('status', '=', 'scheduled')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function markSent(db: Db, offerId: string, scheduledFor: Date, now: Date): Promise<void> {
  await db
    .updateTable('proactive.offers')
    .set({ status: 'sent', sent_at: now, updated_at: now })
    .where('id', '=', offerId)
    .where('status', '=', 'scheduled')
    .where('scheduled_for', '=', scheduledFor)
    .execute()
}
