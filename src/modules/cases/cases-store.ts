import type { Kysely, Transaction } from 'kysely'
import { sql } from 'kysely'
import type { CasesTables } from './cases-tables.ts'

type Db = Kysely<CasesTables> | Transaction<CasesTables>

export async function findByIdempotencyKey(db: Db, applicantPersonId: string, key: string) {
  return db
    .selectFrom('cases.cases')
    .selectAll()
    .where('applicant_person_id', '=', applicantPersonId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst()
}

export async function findCase(db: Db, caseId: string) {
  return db.selectFrom('cases.cases').selectAll().where('id', '=', caseId).executeTakeFirst()
}

export async function listCasesOfPerson(db: Db, personId: string) {
  return db
    .selectFrom('cases.cases')
    .selectAll()
    .where((eb) => eb.or([eb('person_id', '=', personId), eb('applicant_person_id', '=', personId)]))
    .orderBy('updated_at', 'desc')
    .execute()
}

export async function listEvents(db: Db, caseId: string) {
  return db
    .selectFrom('cases.events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute()
}

/** Care days already claimed for a child in a span of dates, by anyone, with their outcome. */
export async function careDaysOfChild(db: Db, childPersonId: string, from: string, to: string) {
  return db
    .selectFrom('cases.care_days')
    .select(['care_date', 'fraction', 'outcome', 'claimant_person_id'])
    .where('child_person_id', '=', childPersonId)
    .where('care_date', '>=', from)
    .where('care_date', '<=', to)
    .orderBy('care_date')
    .execute()
}

export async function lockChild(db: Transaction<CasesTables>, childPersonId: string): Promise<void> {
  // Two applications for the same child are decided one after the other, so that each sees the
  // other's days (the year's count, two people claiming one day).
  await sql`select pg_advisory_xact_lock(hashtext(${`care-days:${childPersonId}`}))`.execute(db)
}

export async function findCaseForUpdate(db: Transaction<CasesTables>, caseId: string) {
  return db.selectFrom('cases.cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirst()
}

/** An agency's cases in one status, oldest first: the queue. */
export async function listAgencyCases(db: Db, agencyId: string, status: string) {
  return db
    .selectFrom('cases.cases')
    .select(['id', 'service_id', 'status', 'queue_reason', 'submitted_at'])
    .where('agency_id', '=', agencyId)
    .where('status', '=', status as never)
    .orderBy('submitted_at')
    .limit(200)
    .execute()
}

/** A message to the person's inbox, in the transaction of the decision or request it tells of. */
export async function postMessage(
  db: Db,
  message: { personId: string; caseId: string; kind: 'decision' | 'request'; at: Date },
) {
  await db
    .insertInto('cases.messages')
    .values({
      person_id: message.personId,
      case_id: message.caseId,
      kind: message.kind,
      created_at: message.at,
    })
    .execute()
}

export async function listMessages(db: Db, personId: string) {
  return db
    .selectFrom('cases.messages as m')
    .innerJoin('cases.cases as c', 'c.id', 'm.case_id')
    .select(['m.id', 'm.case_id', 'm.kind', 'm.created_at', 'm.read_at', 'c.service_id', 'c.agency_id'])
    .where('m.person_id', '=', personId)
    .orderBy('m.created_at', 'desc')
    .limit(100)
    .execute()
}

export async function markMessagesRead(db: Db, personId: string, caseId: string, at: Date) {
  await db
    .updateTable('cases.messages')
    .set({ read_at: at })
    .where('person_id', '=', personId)
    .where('case_id', '=', caseId)
    .where('read_at', 'is', null)
    .execute()
}

export async function listDocuments(db: Db, caseId: string) {
  return db
    .selectFrom('cases.documents')
    .select(['id', 'kind', 'file_name', 'content_type', 'size_bytes', 'uploaded_at'])
    .where('case_id', '=', caseId)
    .orderBy('uploaded_at')
    .execute()
}

export async function findDocument(db: Db, caseId: string, documentId: string) {
  return db
    .selectFrom('cases.documents')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', documentId)
    .executeTakeFirst()
}
