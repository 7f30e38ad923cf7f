import type { Kysely, Transaction } from 'kysely'
import { sql } from 'kysely'
import { enqueueJob, type JobsTables } from '../../platform/jobs/queue.ts'
import { INBOX_MESSAGE_POSTED, type InboxMessagePosted } from './cases-events.ts'
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

/** A case; with an agency, only when the case is at that agency (so that no other case is read). */
export async function findCase(db: Db, caseId: string, agencyId?: string) {
  return db
    .selectFrom('cases.cases')
    .selectAll()
    .where('id', '=', caseId)
    .$if(agencyId !== undefined, (q) => q.where('agency_id', '=', agencyId as string))
    .executeTakeFirst()
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

type About = { childPersonId: string } | { applicantPersonId: string }

/**
 * Applications for a service about one child (by anyone), or by one applicant: what was asked and
 * decided before. Requests for review are cases of their own and are left out.
 */
export async function earlierApplications(db: Db, serviceId: string, about: About) {
  return db
    .selectFrom('cases.cases')
    .select(['id', 'person_id', 'applicant_person_id', 'status', 'outcome', 'application'])
    .where('service_id', '=', serviceId)
    .where(({ eb, ref }) =>
      'childPersonId' in about
        ? eb(ref('application', '->>').key('childPersonId'), '=', about.childPersonId)
        : eb('applicant_person_id', '=', about.applicantPersonId),
    )
    .where(({ eb, ref }) => eb(ref('application', '->>').key('reviewOf'), 'is', null))
    .orderBy('submitted_at')
    .execute()
}

/** Applications about the same child (or by the same applicant) are decided one after the other. */
export async function lockApplications(
  db: Transaction<CasesTables>,
  serviceId: string,
  about: About,
): Promise<void> {
  const subject =
    'childPersonId' in about ? `child:${about.childPersonId}` : `person:${about.applicantPersonId}`
  await sql`select pg_advisory_xact_lock(hashtext(${`${serviceId}:${subject}`}))`.execute(db)
}

export async function findCaseForUpdate(db: Transaction<CasesTables>, caseId: string, agencyId?: string) {
  return db
    .selectFrom('cases.cases')
    .selectAll()
    .where('id', '=', caseId)
    .$if(agencyId !== undefined, (q) => q.where('agency_id', '=', agencyId as string))
    .forUpdate()
    .executeTakeFirst()
}

/** An agency's cases in one status, oldest first: the queue. */
export async function listAgencyCases(db: Db, agencyId: string, status: string) {
  return db
    .selectFrom('cases.cases')
    .select([
      'id',
      'person_id',
      'applicant_person_id',
      'service_id',
      'status',
      'queue_reason',
      'submitted_at',
    ])
    .where('agency_id', '=', agencyId)
    .where('status', '=', status as never)
    .orderBy('submitted_at')
    .limit(200)
    .execute()
}

/**
 * A message to the person's inbox, in the transaction of the decision or request it tells of, and
 * the event that tells the rest of Samla (notify tells the person where they want to hear it).
 */
export async function postMessage(
  tx: Transaction<CasesTables>,
  message: { personId: string; caseId: string; kind: 'decision' | 'request'; at: Date },
) {
  await tx
    .insertInto('cases.messages')
    .values({
      person_id: message.personId,
      case_id: message.caseId,
      kind: message.kind,
      created_at: message.at,
    })
    .execute()
  const event: InboxMessagePosted = { personId: message.personId, caseId: message.caseId, kind: message.kind }
  await enqueueJob(tx.withTables<JobsTables>(), { name: INBOX_MESSAGE_POSTED, payload: event }, message.at)
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
