import { type Kysely, sql, type Transaction } from 'kysely'
import type { ConsentTables } from './consent-tables.ts'

type Db = Kysely<ConsentTables> | Transaction<ConsentTables>

export type ConsentRow = ConsentTables['consent.consents'] & { id: string; given_at: Date }

export async function insertConsent(
  db: Db,
  c: {
    personId: string
    givenBy: string
    recipientAgencyId: string
    purpose: string
    categories: string[]
    validFrom: Date
    validUntil: Date
    reference: string | null
    givenAt: Date
  },
): Promise<ConsentRow> {
  return (await db
    .insertInto('consent.consents')
    .values({
      person_id: c.personId,
      given_by: c.givenBy,
      recipient_agency_id: c.recipientAgencyId,
      purpose: c.purpose,
      data_categories: c.categories,
      valid_from: c.validFrom,
      valid_until: c.validUntil,
      reference: c.reference,
      given_at: c.givenAt,
      withdrawn_at: null,
      withdrawn_by: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()) as ConsentRow
}

export async function listConsents(db: Db, personId: string): Promise<ConsentRow[]> {
  return (await db
    .selectFrom('consent.consents')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('given_at', 'desc')
    .execute()) as ConsentRow[]
}

export async function findConsent(db: Db, personId: string, consentId: string) {
  return (await db
    .selectFrom('consent.consents')
    .selectAll()
    .where('person_id', '=', personId)
    .where('id', '=', consentId)
    .executeTakeFirst()) as ConsentRow | undefined
}

/** Consents in force at the instant: not withdrawn, and the instant inside their period. */
export async function findConsentsInForce(
  db: Db,
  q: { personId: string; recipientAgencyId: string; purpose: string; at: Date; reference?: string | null },
): Promise<ConsentRow[]> {
  let query = db
    .selectFrom('consent.consents')
    .selectAll()
    .where('person_id', '=', q.personId)
    .where('recipient_agency_id', '=', q.recipientAgencyId)
    .where('purpose', '=', q.purpose)
    .where('withdrawn_at', 'is', null)
    .where('valid_from', '<=', q.at)
    .where('valid_until', '>', q.at)
  if (q.reference !== undefined)
    query =
      q.reference === null ? query.where('reference', 'is', null) : query.where('reference', '=', q.reference)
  return (await query.orderBy('given_at', 'desc').execute()) as ConsentRow[]
}

/**
 * Marks the consent withdrawn and removes what was kept under it (a shared calendar's periods and
 * its link). Locks the row, so two withdrawals at once give one result. Undefined when the person
 * has no such consent.
 */
export async function withdrawConsent(
  tx: Transaction<ConsentTables>,
  w: { personId: string; consentId: string; withdrawnBy: string; at: Date },
): Promise<{ row: ConsentRow; changed: boolean } | undefined> {
  const row = (await tx
    .selectFrom('consent.consents')
    .selectAll()
    .where('person_id', '=', w.personId)
    .where('id', '=', w.consentId)
    .forUpdate()
    .executeTakeFirst()) as ConsentRow | undefined
  if (!row) return undefined
  await tx.deleteFrom('consent.calendar_sources').where('consent_id', '=', w.consentId).execute()
  if (row.withdrawn_at !== null) return { row, changed: false }
  const updated = (await tx
    .updateTable('consent.consents')
    .set({ withdrawn_at: w.at, withdrawn_by: w.withdrawnBy })
    .where('id', '=', w.consentId)
    .returningAll()
    .executeTakeFirstOrThrow()) as ConsentRow
  return { row: updated, changed: true }
}

export async function insertCalendar(
  tx: Transaction<ConsentTables>,
  c: {
    consentId: string
    personId: string
    kind: 'file' | 'link'
    linkUrl: string | null
    readAt: Date
    horizonFrom: Date
    horizonUntil: Date
    periods: Array<{ start: string; end: string }>
  },
): Promise<void> {
  await tx
    .insertInto('consent.calendar_sources')
    .values({
      consent_id: c.consentId,
      person_id: c.personId,
      kind: c.kind,
      link_url: c.linkUrl,
      read_at: c.readAt,
      horizon_from: c.horizonFrom,
      horizon_until: c.horizonUntil,
    })
    .execute()
  // In batches: a few thousand rows fit well within PostgreSQL's limit on parameters.
  for (let i = 0; i < c.periods.length; i += 1000) {
    await tx
      .insertInto('consent.busy_periods')
      .values(
        c.periods.slice(i, i + 1000).map((p) => ({
          consent_id: c.consentId,
          person_id: c.personId,
          starts_at: new Date(p.start),
          ends_at: new Date(p.end),
        })),
      )
      .execute()
  }
}

/** The person's shared calendars still kept, with how many busy periods each holds. */
export async function listCalendars(db: Db, personId: string) {
  return db
    .selectFrom('consent.calendar_sources as s')
    .leftJoin('consent.busy_periods as b', 'b.consent_id', 's.consent_id')
    .select([
      's.consent_id',
      's.kind',
      's.link_url',
      's.read_at',
      's.horizon_from',
      's.horizon_until',
      (eb) => eb.fn.count<number>('b.starts_at').as('periods'),
    ])
    .where('s.person_id', '=', personId)
    .groupBy(['s.consent_id', 's.kind', 's.link_url', 's.read_at', 's.horizon_from', 's.horizon_until'])
    .execute()
}

export async function findCalendar(db: Db, personId: string, consentId: string) {
  return db
    .selectFrom('consent.calendar_sources')
    .selectAll()
    .where('person_id', '=', personId)
    .where('consent_id', '=', consentId)
    .executeTakeFirst()
}

/** Busy periods that overlap [from, until), in order. */
export async function listBusyPeriods(
  db: Db,
  q: { personId: string; consentId: string; from: Date; until: Date },
): Promise<Array<{ starts_at: Date; ends_at: Date }>> {
  return db
    .selectFrom('consent.busy_periods')
    .select(['starts_at', 'ends_at'])
    .where('person_id', '=', q.personId)
    .where('consent_id', '=', q.consentId)
    .where('starts_at', '<', q.until)
    .where('ends_at', '>', q.from)
    .orderBy('starts_at')
    .execute()
}

/** How many busy periods Samla keeps for the person, across every sharing. */
export async function countBusyPeriods(db: Db, personId: string): Promise<number> {
  const row = await db
    .selectFrom('consent.busy_periods')
    .select(sql<number>`count(*)`.as('n'))
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
