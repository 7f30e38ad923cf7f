// The job queue's tables and enqueueing. A job is a row in jobs.jobs: written in the caller's
// transaction when there is one (an outbox row commits or rolls back with the change that causes
// it), taken later by a worker (worker.ts). Jobs carry a name and a JSON payload; platform knows
// nothing of what they mean.
import type { Generated, JSONColumnType, Kysely, QueryCreator, Transaction } from 'kysely'

export type JobStatus = 'queued' | 'running' | 'done' | 'dead'

export type JobsTables = {
  'jobs.jobs': {
    id: Generated<number>
    name: string
    payload: JSONColumnType<object>
    status: Generated<JobStatus>
    run_at: Date
    attempts: Generated<number>
    unique_key: string | null
    locked_by: string | null
    locked_until: Date | null
    last_error: string | null
    created_at: Generated<Date>
    finished_at: Date | null
  }
}

export interface NewJob<P = unknown> {
  name: string
  payload: P
  /** Not before this time; now when left out. */
  runAt?: Date
  /** Enqueueing again with the same key adds nothing: the first job stands. */
  uniqueKey?: string
}

/**
 * Adds jobs to the queue, in one statement. Pass the caller's transaction to write them together
 * with the change that causes them. Returns the ids of the jobs added (not of those a unique key
 * already had).
 */
export async function enqueueJobs(
  db: Kysely<JobsTables> | Transaction<JobsTables>,
  jobs: NewJob[],
  now: Date,
): Promise<number[]> {
  if (jobs.length === 0) return []
  const rows = await insertJobs(db, jobs, now).returning('id').execute()
  return rows.map((r) => r.id)
}

/**
 * The INSERT that adds jobs, not yet run: for a caller that writes them as one step of a larger
 * statement (a data-modifying WITH), so that the change and its outbox rows take one round trip.
 */
export function insertJobs(db: QueryCreator<JobsTables>, jobs: NewJob[], now: Date) {
  return db
    .insertInto('jobs.jobs')
    .values(
      jobs.map((job) => ({
        name: job.name,
        payload: JSON.stringify(job.payload),
        run_at: job.runAt ?? now,
        unique_key: job.uniqueKey ?? null,
      })),
    )
    .onConflict((oc) => oc.column('unique_key').doNothing())
}

/** Adds one job; undefined when its unique key was already taken. */
export async function enqueueJob(
  db: Kysely<JobsTables> | Transaction<JobsTables>,
  job: NewJob,
  now: Date,
): Promise<number | undefined> {
  return (await enqueueJobs(db, [job], now))[0]
}
