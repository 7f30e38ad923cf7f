// The register events' own table, and the changes an event makes to persons, relations and
// circumstances, as the population register would make them.
import type { Kysely, Transaction } from 'kysely'
import type { PeopleTables } from './people-tables.ts'

type Db = Kysely<PeopleTables> | Transaction<PeopleTables>

export async function findEventBySourceId(db: Db, sourceEventId: string) {
  return db
    .selectFrom('people.register_events')
    .select(['id', 'kind', 'person_id', 'person_ids', 'request_hash'])
    .where('source_event_id', '=', sourceEventId)
    .executeTakeFirst()
}

export async function findEvent(db: Db, eventId: string) {
  return db.selectFrom('people.register_events').selectAll().where('id', '=', eventId).executeTakeFirst()
}

export async function insertEvent(
  db: Db,
  e: {
    source: string
    sourceEventId: string
    kind: string
    occurredOn: string
    personId: string
    personIds: string[]
    data: Record<string, unknown>
    requestHash: string
    receivedAt: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('people.register_events')
    .values({
      source: e.source,
      source_event_id: e.sourceEventId,
      kind: e.kind,
      occurred_on: e.occurredOn,
      person_id: e.personId,
      person_ids: e.personIds,
      data: JSON.stringify(e.data),
      request_hash: e.requestHash,
      received_at: e.receivedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertNewborn(
  db: Db,
  child: {
    personalNumber: string
    givenName: string
    familyName: string
    birthDate: string
    municipalityId: string
    address: { street: string; postalCode: string; city: string }
  },
): Promise<string> {
  const row = await db
    .insertInto('people.persons')
    .values({
      personal_number: child.personalNumber,
      given_name: child.givenName,
      family_name: child.familyName,
      birth_date: child.birthDate,
      municipality_id: child.municipalityId,
      address: JSON.stringify(child.address),
      civil_status: 'unmarried',
      occupation: JSON.stringify(null),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Adds relations, keeping those already there. */
export async function addRelations(
  db: Db,
  relations: Array<{
    personId: string
    relatedPersonId: string
    kind: 'child' | 'parent' | 'spouse'
    custody: boolean
  }>,
): Promise<void> {
  if (relations.length === 0) return
  await db
    .insertInto('people.relations')
    .values(
      relations.map((r) => ({
        person_id: r.personId,
        related_person_id: r.relatedPersonId,
        kind: r.kind,
        custody: r.custody,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['person_id', 'related_person_id', 'kind'])
        .doUpdateSet((eb) => ({ custody: eb.ref('excluded.custody') })),
    )
    .execute()
}

export async function upsertCircumstance(
  db: Db,
  c: {
    personId: string
    kind: 'pregnancy' | 'planned-move' | 'planned-business'
    data: Record<string, unknown>
    source: string
    registeredOn: string
  },
): Promise<void> {
  const values = {
    person_id: c.personId,
    kind: c.kind,
    data: JSON.stringify(c.data),
    source: c.source,
    registered_on: c.registeredOn,
  }
  await db
    .insertInto('people.circumstances')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['person_id', 'kind']).doUpdateSet({
        data: values.data,
        source: values.source,
        registered_on: values.registered_on,
      }),
    )
    .execute()
}

export async function deleteCircumstance(
  db: Db,
  personId: string,
  kind: 'pregnancy' | 'planned-move' | 'planned-business',
): Promise<void> {
  await db
    .deleteFrom('people.circumstances')
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .execute()
}

export async function updateAddress(
  db: Db,
  personId: string,
  municipalityId: string,
  address: { street: string; postalCode: string; city: string },
): Promise<void> {
  await db
    .updateTable('people.persons')
    .set({ municipality_id: municipalityId, address: JSON.stringify(address), synced_at: new Date() })
    .where('id', '=', personId)
    .execute()
}

/** The person has died: the date is kept, and a spouse becomes a widow or widower. */
export async function markDead(db: Db, personId: string, diedOn: string): Promise<void> {
  await db
    .updateTable('people.persons')
    .set({ died_on: diedOn, synced_at: new Date() })
    .where('id', '=', personId)
    .execute()
  await db
    .updateTable('people.persons')
    .set({ civil_status: 'widowed', synced_at: new Date() })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('people.relations')
        .select('related_person_id')
        .where('person_id', '=', personId)
        .where('kind', '=', 'spouse'),
    )
    .execute()
}

export async function marry(db: Db, personId: string, spouseId: string): Promise<void> {
  await db
    .updateTable('people.persons')
    .set({ civil_status: 'married', synced_at: new Date() })
    .where('id', 'in', [personId, spouseId])
    .execute()
  await addRelations(db, [
    { personId, relatedPersonId: spouseId, kind: 'spouse', custody: false },
    { personId: spouseId, relatedPersonId: personId, kind: 'spouse', custody: false },
  ])
}
