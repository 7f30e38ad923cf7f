import type { Kysely, Transaction } from 'kysely'
import type { PeopleTables } from './people-tables.ts'
import type { RegisterPerson } from './population-register.ts'

type Db = Kysely<PeopleTables> | Transaction<PeopleTables>

export async function findPersonRow(db: Db, personId: string) {
  return db.selectFrom('people.persons').selectAll().where('id', '=', personId).executeTakeFirst()
}

export async function findPersonIdByPersonalNumber(
  db: Db,
  personalNumber: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('people.persons')
    .select('id')
    .where('personal_number', '=', personalNumber)
    .executeTakeFirst()
  return row?.id
}

export async function findRelations(db: Db, personId: string) {
  return db
    .selectFrom('people.relations as r')
    .innerJoin('people.persons as p', 'p.id', 'r.related_person_id')
    .select(['r.kind', 'r.custody', 'p.id', 'p.given_name', 'p.family_name', 'p.birth_date'])
    .where('r.person_id', '=', personId)
    .orderBy('p.birth_date')
    .execute()
}

export async function findCircumstances(db: Db, personId: string) {
  return db
    .selectFrom('people.circumstances')
    .select(['kind', 'data', 'source', 'registered_on'])
    .where('person_id', '=', personId)
    .execute()
}

export interface AccessRecord {
  personId: string
  actorKind: string
  actorId: string
  actorAgencyId: string | null
  onBehalfOf: string | null
  purpose: string
  legalBasis: string
  categories: string[]
}

export async function insertAccessRecords(db: Db, records: AccessRecord[]): Promise<void> {
  if (records.length === 0) return
  await db
    .insertInto('people.access_log')
    .values(
      records.map((r) => ({
        person_id: r.personId,
        actor_kind: r.actorKind,
        actor_id: r.actorId,
        actor_agency_id: r.actorAgencyId,
        on_behalf_of: r.onBehalfOf,
        purpose: r.purpose,
        legal_basis: r.legalBasis,
        data_categories: r.categories,
      })),
    )
    .execute()
}

export async function countPersons(db: Db): Promise<number> {
  const row = await db
    .selectFrom('people.persons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function countAccessRecords(db: Db, personId: string): Promise<number> {
  const row = await db
    .selectFrom('people.access_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Writes what the register says about a person; returns their internal id. */
export async function upsertRegisterPerson(db: Db, p: RegisterPerson): Promise<string> {
  const values = {
    personal_number: p.personalNumber,
    given_name: p.givenName,
    family_name: p.familyName,
    birth_date: p.birthDate,
    municipality_id: p.municipality,
    address: JSON.stringify(p.address),
    civil_status: p.civilStatus,
    occupation: JSON.stringify(p.occupation ?? null),
  }
  const row = await db
    .insertInto('people.persons')
    .values(values)
    .onConflict((oc) => oc.column('personal_number').doUpdateSet({ ...values, synced_at: new Date() }))
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function replaceRelations(
  db: Db,
  personId: string,
  relations: Array<{ relatedPersonId: string; kind: 'child' | 'parent' | 'spouse'; custody: boolean }>,
): Promise<void> {
  await db.deleteFrom('people.relations').where('person_id', '=', personId).execute()
  if (relations.length === 0) return
  await db
    .insertInto('people.relations')
    .values(
      relations.map((r) => ({
        person_id: personId,
        related_person_id: r.relatedPersonId,
        kind: r.kind,
        custody: r.custody,
      })),
    )
    .execute()
}

export async function replaceCircumstances(
  db: Db,
  personId: string,
  circumstances: NonNullable<RegisterPerson['circumstances']>,
): Promise<void> {
  await db.deleteFrom('people.circumstances').where('person_id', '=', personId).execute()
  if (circumstances.length === 0) return
  await db
    .insertInto('people.circumstances')
    .values(
      circumstances.map((c) => ({
        person_id: personId,
        kind: c.kind,
        data: JSON.stringify(c.data),
        source: c.source,
        registered_on: c.registeredOn,
      })),
    )
    .execute()
}
