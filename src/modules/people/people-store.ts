import { type Kysely, sql, type Transaction } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import { type ChainHead, type ChainRecord, contentHash, microsOf } from './access-chain.ts'
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

/** A person's row with their family (the relations and the relatives' names), in one query. */
export async function findPersonWithFamily(db: Db, personId: string) {
  return db
    .selectFrom('people.persons as person')
    .selectAll('person')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('people.relations as r')
          .innerJoin('people.persons as p', 'p.id', 'r.related_person_id')
          .select(['r.kind', 'r.custody', 'p.id', 'p.given_name', 'p.family_name', 'p.birth_date'])
          .whereRef('r.person_id', '=', 'person.id')
          .orderBy('p.birth_date'),
      ).as('family'),
    )
    .where('person.id', '=', personId)
    .executeTakeFirst()
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
  /** The consent the read relies on, when it relies on one. */
  consentId?: string | null
  /** When the read happened; the database's clock when not given. */
  readAt?: Date
}

/**
 * Appends records to their persons' chains: one statement, however many records; the insert
 * trigger gives each its sequence number and hashes (db/migrations/0008_access_chain.sql).
 */
export async function insertAccessRecords(db: Db, records: AccessRecord[]): Promise<void> {
  if (records.length === 0) return
  // A register import records everyone: a statement of a few thousand at a time.
  if (records.length > 5000) {
    for (let i = 0; i < records.length; i += 5000) await insertAccessRecords(db, records.slice(i, i + 5000))
    return
  }
  // In the order of the persons' ids: two statements that lock the same chains lock them in the
  // same order, so they wait for each other instead of deadlocking.
  const ordered =
    records.length === 1 ? records : [...records].sort((a, b) => (a.personId < b.personId ? -1 : 1))
  const rows = ordered.map((r) => {
    const readAt = r.readAt ?? new Date()
    const content = {
      personId: r.personId,
      actorKind: r.actorKind,
      actorId: r.actorId,
      actorAgencyId: r.actorAgencyId,
      onBehalfOf: r.onBehalfOf,
      consentId: r.consentId ?? null,
      purpose: r.purpose,
      legalBasis: r.legalBasis,
      categories: r.categories,
      readAtMicros: microsOf(readAt),
    }
    // The content's hash is computed here, so that the database only links it into the chain.
    return { ...content, readAt: readAt.toISOString(), contentHash: contentHash(content).toString('hex') }
  })
  // One statement with one parameter, however many records: short to send, parse and plan.
  await sql`
    insert into people.access_log (person_id, actor_kind, actor_id, actor_agency_id, on_behalf_of,
      consent_id, purpose, legal_basis, data_categories, read_at, content_hash)
    select "personId", "actorKind", "actorId", "actorAgencyId", "onBehalfOf", "consentId", purpose,
      "legalBasis", categories, "readAt", decode("contentHash", 'hex')
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r ("personId" uuid, "actorKind" text,
      "actorId" text, "actorAgencyId" text, "onBehalfOf" uuid, "consentId" uuid, purpose text,
      "legalBasis" text, categories text[], "readAt" timestamptz, "contentHash" text)`.execute(db)
}

/** Who read: a kind of actor, with "self" and "other-person" told apart among persons. */
export type ReaderFilter =
  | 'self'
  | 'other-person'
  | 'caseworker'
  | 'service-owner'
  | 'agency-system'
  | 'rule'
  | 'samla'

export interface AccessRecordFilter {
  reader?: ReaderFilter
  agencyId?: string
  purpose?: string
  /** From this instant (inclusive) … */
  from?: Date
  /** … to this instant (exclusive). */
  to?: Date
}

function filtered(db: Db, personId: string, filter: AccessRecordFilter) {
  let query = db.selectFrom('people.access_log').where('person_id', '=', personId)
  const { reader } = filter
  if (reader === 'self') query = query.where('actor_kind', '=', 'person').where('actor_id', '=', personId)
  else if (reader === 'other-person')
    query = query.where('actor_kind', '=', 'person').where('actor_id', '<>', personId)
  else if (reader) query = query.where('actor_kind', '=', reader)
  if (filter.agencyId) query = query.where('actor_agency_id', '=', filter.agencyId)
  if (filter.purpose) query = query.where('purpose', '=', filter.purpose)
  if (filter.from) query = query.where('read_at', '>=', filter.from)
  if (filter.to) query = query.where('read_at', '<', filter.to)
  return query
}

/** A person's access records, newest first, a page at a time, with how many there are in all. */
export async function listAccessRecords(
  db: Db,
  personId: string,
  filter: AccessRecordFilter,
  page: { offset: number; limit: number },
) {
  const [rows, total] = await Promise.all([
    filtered(db, personId, filter)
      .select([
        'id',
        'seq',
        'actor_kind',
        'actor_id',
        'actor_agency_id',
        'on_behalf_of',
        'consent_id',
        'purpose',
        'legal_basis',
        'data_categories',
        'read_at',
        'hash',
      ])
      .orderBy('seq', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    filtered(db, personId, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(total.n) }
}

/** The agencies and purposes that occur in a person's records: what the filters offer. */
export async function accessRecordFacets(db: Db, personId: string) {
  const rows = await db
    .selectFrom('people.access_log')
    .select(['actor_agency_id', 'purpose'])
    .distinct()
    .where('person_id', '=', personId)
    .execute()
  return {
    agencyIds: [...new Set(rows.map((r) => r.actor_agency_id).filter((a): a is string => a !== null))],
    purposes: [...new Set(rows.map((r) => r.purpose))],
  }
}

const readAtMicros = sql<string>`((extract(epoch from read_at) * 1000000)::bigint)::text`

/** Every record, ordered by person and sequence number, from after a point: a batch of a walk. */
export async function listChainRecords(
  db: Db,
  after: { personId: string; seq: number; id: number } | undefined,
  limit: number,
): Promise<ChainRecord[]> {
  let query = db
    .selectFrom('people.access_log')
    .select([
      'id',
      'person_id',
      'seq',
      'actor_kind',
      'actor_id',
      'actor_agency_id',
      'on_behalf_of',
      'consent_id',
      'purpose',
      'legal_basis',
      'data_categories',
      readAtMicros.as('read_at_micros'),
      'content_hash',
      'prev_hash',
      'hash',
    ])
    .orderBy('person_id')
    .orderBy('seq')
    .orderBy('id')
    .limit(limit)
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('person_id', 'seq', 'id'), '>', eb.tuple(after.personId, after.seq, after.id)),
    )
  const rows = await query.execute()
  return rows.map((r) => ({
    id: Number(r.id),
    personId: r.person_id,
    seq: Number(r.seq),
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actorAgencyId: r.actor_agency_id,
    onBehalfOf: r.on_behalf_of,
    consentId: r.consent_id,
    purpose: r.purpose,
    legalBasis: r.legal_basis,
    categories: r.data_categories,
    readAtMicros: r.read_at_micros,
    contentHash: r.content_hash,
    prevHash: r.prev_hash,
    hash: r.hash,
  }))
}

export async function findChainHeads(db: Db, personIds: string[]): Promise<ChainHead[]> {
  if (personIds.length === 0) return []
  const rows = await db
    .selectFrom('people.access_chain_heads')
    .select(['person_id', 'seq', 'hash'])
    .where('person_id', 'in', personIds)
    .execute()
  return rows.map((r) => ({ personId: r.person_id, seq: Number(r.seq), hash: r.hash }))
}

/**
 * Seals the chains: each head moves forward to its chain's last record. It reads the records from
 * where the seal before the previous one stopped, so that an INSERT still on its way at the last
 * seal is sealed now; one seal at a time.
 */
export async function sealChains(db: Kysely<PeopleTables>): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(1094926658)`.execute(tx)
    const since = await tx
      .selectFrom('people.access_chain_seals')
      .select('up_to_id')
      .orderBy('id', 'desc')
      .offset(1)
      .limit(1)
      .executeTakeFirst()
    const last = await tx
      .selectFrom('people.access_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow()
    const result = await sql`
      insert into people.access_chain_heads as h (person_id, seq, hash, sealed_at)
      select distinct on (person_id) person_id, seq, hash, now()
        from people.access_log
       where id > ${Number(since?.up_to_id ?? 0)}
       order by person_id, seq desc
      on conflict (person_id) do update
        set seq = excluded.seq, hash = excluded.hash, sealed_at = excluded.sealed_at
        where h.seq < excluded.seq`.execute(tx)
    await tx
      .insertInto('people.access_chain_seals')
      .values({ up_to_id: Number(last.id ?? 0) })
      .execute()
    // Two seals back is all a seal needs.
    await tx
      .deleteFrom('people.access_chain_seals')
      .where('id', 'not in', (eb) =>
        eb.selectFrom('people.access_chain_seals').select('id').orderBy('id', 'desc').limit(3),
      )
      .execute()
    return Number(result.numAffectedRows ?? 0)
  })
}

/** Chains whose head is kept but which have no records left. */
export async function listHeadsWithoutRecords(db: Db): Promise<ChainHead[]> {
  const rows = await db
    .selectFrom('people.access_chain_heads as h')
    .select(['h.person_id', 'h.seq', 'h.hash'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('people.access_log as l').select('l.id').whereRef('l.person_id', '=', 'h.person_id'),
        ),
      ),
    )
    .orderBy('h.person_id')
    .execute()
  return rows.map((r) => ({ personId: r.person_id, seq: Number(r.seq), hash: r.hash }))
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

/** Whether the register gives the guardian custody of the child, and the child is under 18 on the day. */
export async function hasCustodyOfMinor(
  db: Db,
  guardianId: string,
  childId: string,
  onDate: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('people.relations as r')
    .innerJoin('people.persons as p', 'p.id', 'r.related_person_id')
    .select('p.id')
    .where('r.person_id', '=', guardianId)
    .where('r.related_person_id', '=', childId)
    .where('r.kind', '=', 'child')
    .where('r.custody', '=', true)
    .where(sql<boolean>`p.birth_date + interval '18 years' > ${onDate}::date`)
    .executeTakeFirst()
  return row !== undefined
}
