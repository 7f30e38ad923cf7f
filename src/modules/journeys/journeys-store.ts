import type { Kysely } from 'kysely'
import type { JourneysTables } from './journeys-tables.ts'

type Db = Kysely<JourneysTables>

/**
 * Starts a life event for the person, or moves it on: a later event's date replaces the earlier
 * one (the date of birth replaces the expected date), the first start stays.
 */
export async function startLifeEvent(
  db: Db,
  s: {
    personId: string
    lifeEventId: string
    on: string
    anchorDate: string | null
    anchorKind: string | null
    registerEventId: string
  },
): Promise<void> {
  await db
    .insertInto('journeys.started_life_events')
    .values({
      person_id: s.personId,
      life_event_id: s.lifeEventId,
      started_on: s.on,
      anchor_date: s.anchorDate,
      anchor_kind: s.anchorKind,
      register_event_id: s.registerEventId,
      updated_on: s.on,
    })
    .onConflict((oc) =>
      oc.columns(['person_id', 'life_event_id']).doUpdateSet({
        anchor_date: s.anchorDate,
        anchor_kind: s.anchorKind,
        register_event_id: s.registerEventId,
        updated_on: s.on,
      }),
    )
    .execute()
}

/** A step of the person's plan changed: the latest change of a step is the one shown. */
export async function recordStepChange(
  db: Db,
  c: {
    personId: string
    lifeEventId: string
    stepId: string
    status: 'done' | 'granted'
    reason: string
    params: Record<string, string | number>
    on: string
    registerEventId: string
  },
): Promise<void> {
  const values = {
    person_id: c.personId,
    life_event_id: c.lifeEventId,
    step_id: c.stepId,
    status: c.status,
    reason: c.reason,
    params: JSON.stringify(c.params),
    changed_on: c.on,
    register_event_id: c.registerEventId,
  }
  await db
    .insertInto('journeys.step_changes')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['person_id', 'life_event_id', 'step_id']).doUpdateSet({
        status: values.status,
        reason: values.reason,
        params: values.params,
        changed_on: values.changed_on,
        register_event_id: values.register_event_id,
      }),
    )
    .execute()
}

export async function findStartedLifeEvent(db: Db, personId: string, lifeEventId: string) {
  return db
    .selectFrom('journeys.started_life_events')
    .selectAll()
    .where('person_id', '=', personId)
    .where('life_event_id', '=', lifeEventId)
    .executeTakeFirst()
}

export async function listStepChanges(db: Db, personId: string, lifeEventId: string) {
  return db
    .selectFrom('journeys.step_changes')
    .select(['step_id', 'status', 'reason', 'params', 'changed_on'])
    .where('person_id', '=', personId)
    .where('life_event_id', '=', lifeEventId)
    .execute()
}

export async function listStartedLifeEvents(db: Db, personId: string) {
  return db
    .selectFrom('journeys.started_life_events')
    .select(['life_event_id', 'started_on', 'anchor_date', 'anchor_kind'])
    .where('person_id', '=', personId)
    .orderBy('started_on', 'desc')
    .execute()
}
