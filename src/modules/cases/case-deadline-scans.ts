// Set-based reads of the cases for scans over everyone's cases (the date triggers): each returns a
// query, not rows, for the caller's INSERT … SELECT, with the columns recipient_id (whose case it
// is), subject_id (the case) and subject_given_name (null: a case has no name). The SQL over the
// cases' table stays here.
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { CaseStatus, CasesTables } from './cases-tables.ts'

/** A case not yet decided or withdrawn. */
export const OPEN_STATUSES: CaseStatus[] = ['submitted', 'in-progress', 'in-queue', 'waiting-for-applicant']

export function createCaseDeadlineScans(db: Kysely<CasesTables>) {
  return {
    /** Open cases submitted on one of the days (Swedish time). */
    openCasesSubmittedOn: (days: string[]) =>
      db
        .selectFrom('cases.cases as c')
        .select([
          'c.person_id as recipient_id',
          'c.id as subject_id',
          sql<string | null>`null::text`.as('subject_given_name'),
        ])
        .where('c.status', 'in', OPEN_STATUSES)
        .where(sql<string>`(c.submitted_at at time zone 'Europe/Stockholm')::date`, 'in', days),
  }
}

export type CaseDeadlineScans = ReturnType<typeof createCaseDeadlineScans>
