// A worker takes due jobs from jobs.jobs and runs their handlers.
//
// Taking is one statement: the due jobs, oldest first, locked with FOR UPDATE SKIP LOCKED and marked
// running under a lease in the same UPDATE, so workers in any number of processes share the queue
// and a job is never run by two at once. A job that fails is queued again after an exponential
// backoff, until its handler's maximum number of attempts; then it is dead, with its last error, and
// the handler's onDead runs in the transaction that says so. A worker that stops (or hangs) keeps
// its jobs only until the lease ends; then any worker takes them again. Every write after a run is
// fenced by the lease's token, so a worker that comes back late changes nothing.
//
// Handlers may therefore run more than once for one job (after a crash): they are idempotent.
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Clock } from '../clock.ts'
import type { JobsTables } from './queue.ts'

export interface Job<P = unknown> {
  id: number
  name: string
  payload: P
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number
}

export interface JobHandler<P = never> {
  /** Does the job; throws to fail it. Stops early when the signal aborts (the job timed out). */
  run(job: Job<P>, signal: AbortSignal): Promise<void>
  /**
   * Does several jobs of this name at once, when that saves work (one query for all of them):
   * answers, in the order of the jobs, undefined for each job done and the error of each that
   * failed. The worker gives a handler that has it the jobs of one batch together.
   */
  runMany?(jobs: Array<Job<P>>, signal: AbortSignal): Promise<Array<unknown>>
  /** Runs in the transaction that marks the job dead: the place for a fallback. */
  onDead?(job: Job<P>, lastError: string, tx: Transaction<JobsTables>): Promise<void>
  /** Runs in all, the first included (5). */
  maxAttempts?: number
  /** The wait before retry n is baseMs · 2^(n−1), at most maxMs, plus up to a tenth (10 s, 1 h). */
  backoff?: { baseMs: number; maxMs: number }
  /** A run that takes longer has failed (60 s). */
  timeoutMs?: number
}

export type JobHandlers = Record<string, JobHandler>

/** Thrown by a handler when trying again cannot help: the job is dead at once. */
export class JobFailedForGood extends Error {}

export interface JobLog {
  warn(details: Record<string, unknown>, message: string): void
  error(details: Record<string, unknown>, message: string): void
}

export interface WorkerOptions {
  /** Jobs run at the same time by this worker (8). */
  concurrency?: number
  /** Jobs taken in one statement, at most (the concurrency). */
  batchSize?: number
  /** How long to wait before asking again when no job was due (1 s). */
  pollMs?: number
  /** How long a taken job is this worker's (5 min): longer than any handler's timeout. */
  leaseMs?: number
  /** Finished jobs are kept this long, then removed, unique keys with them (7 days). */
  keepDoneMs?: number
  id?: string
}

export interface Worker {
  readonly id: string
  /** Takes and runs jobs until stopped. */
  start(): void
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>
  /** Takes one batch of due jobs, runs them and records the results: the jobs run. */
  runOnce(): Promise<number>
  /** Runs due jobs until none is left. */
  drain(): Promise<number>
  /** Queues jobs again whose lease has ended, and removes old finished jobs. */
  maintain(): Promise<void>
}

const DEFAULTS = { maxAttempts: 5, backoff: { baseMs: 10_000, maxMs: 3_600_000 }, timeoutMs: 60_000 }

/** The wait before the next attempt after `attempt` failed runs. */
export function backoffMs(attempt: number, backoff: { baseMs: number; maxMs: number }): number {
  const delay = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(delay * (1 + Math.random() / 10))
}

interface Taken extends Job {
  token: string
  lastError: string | null
}

type Outcome = { job: Taken; error?: undefined } | { job: Taken; error: unknown }

const describe = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000) || 'failed without a message'

export function createWorker(deps: {
  db: Kysely<JobsTables>
  clock: Clock
  handlers: JobHandlers
  log?: JobLog
  options?: WorkerOptions
}): Worker {
  const { db, clock, handlers } = deps
  const options = deps.options ?? {}
  const concurrency = Math.max(1, options.concurrency ?? 8)
  const batchSize = Math.max(1, Math.min(options.batchSize ?? concurrency, concurrency))
  const pollMs = options.pollMs ?? 1000
  const leaseMs = options.leaseMs ?? 5 * 60_000
  const keepDoneMs = options.keepDoneMs ?? 7 * 86_400_000
  const id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  const names = Object.keys(handlers)
  const now = () => new Date(clock.now().epochMilliseconds)
  let claims = 0

  async function take(limit: number): Promise<Taken[]> {
    if (names.length === 0 || limit <= 0) return []
    const at = now()
    const token = `${id}:${++claims}`
    // Right after a burst of enqueueing, the planner's statistics still think few jobs are queued
    // and pick a bitmap scan that sorts every queued job to return a batch. Forbidding the sort
    // leaves the one plan that reads the due index in order and stops after the batch.
    const rows = await db.transaction().execute(async (tx) => {
      await sql`select set_config('enable_sort', 'off', true)`.execute(tx)
      return (await claim(tx, at, token, limit)).rows
    })
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
      attempt: r.attempts,
      token,
      lastError: r.last_error,
    }))
  }

  function claim(tx: Transaction<JobsTables>, at: Date, token: string, limit: number) {
    return sql<{
      id: number
      name: string
      payload: unknown
      attempts: number
      last_error: string | null
    }>`
      with next as (
        select id from jobs.jobs
        where status = 'queued' and run_at <= ${at} and name = any(${names}::text[])
        order by run_at, id
        limit ${limit}
        for update skip locked
      )
      update jobs.jobs j
      set status = 'running', attempts = j.attempts + 1, locked_by = ${token},
        locked_until = ${new Date(at.getTime() + leaseMs)}
      from next
      where j.id = next.id
      returning j.id, j.name, j.payload, j.attempts, j.last_error`.execute(tx)
  }

  /** Runs jobs of one name: together when the handler can, otherwise each on its own. */
  async function execute(jobs: Taken[]): Promise<Outcome[]> {
    const first = jobs[0]
    if (!first) return []
    const handler = handlers[first.name] as JobHandler<unknown>
    const maxAttempts = handler.maxAttempts ?? DEFAULTS.maxAttempts
    // The lease of a job's last attempt ran out: that attempt counted, and it is over.
    const over = jobs
      .filter((j) => j.attempt > maxAttempts)
      .map((job) => ({
        job,
        error: new JobFailedForGood(job.lastError ?? 'the worker stopped before the job was done'),
      }))
    const due = jobs.filter((j) => j.attempt <= maxAttempts)
    const timeoutMs = handler.timeoutMs ?? DEFAULTS.timeoutMs
    const runMany = handler.runMany
    const ran = runMany
      ? await withTimeout(timeoutMs, (signal) => runMany.call(handler, due, signal)).then(
          (errors) => due.map((job, i) => ({ job, error: errors[i] })),
          (error: unknown) => due.map((job) => ({ job, error: error ?? new Error('failed') })),
        )
      : await Promise.all(
          due.map((job) =>
            withTimeout(timeoutMs, (signal) => handler.run(job, signal)).then(
              () => ({ job }),
              (error: unknown) => ({ job, error: error ?? new Error('failed') }),
            ),
          ),
        )
    return [...over, ...ran]
  }

  /** Runs the work with an abort signal; fails it when it takes longer than the timeout. */
  async function withTimeout<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    try {
      return await Promise.race([
        work(controller.signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`took longer than ${timeoutMs / 1000} s`))
            controller.abort()
          }, timeoutMs)
        }),
      ])
    } finally {
      clearTimeout(timer)
    }
  }

  /** The jobs of a batch, by name: what one handler gets together. */
  function byName(jobs: Taken[]): Taken[][] {
    const groups = new Map<string, Taken[]>()
    for (const job of jobs) {
      const handler = handlers[job.name] as JobHandler<unknown>
      // Jobs whose handler runs one at a time go each in a group of its own.
      const key = handler.runMany ? job.name : `${job.name}#${job.id}`
      groups.set(key, [...(groups.get(key) ?? []), job])
    }
    return [...groups.values()]
  }

  /** Writes what the runs came to: the jobs done in one statement per batch, the others one by one. */
  async function record(outcomes: Outcome[]): Promise<void> {
    const at = now()
    const doneByToken = new Map<string, number[]>()
    for (const o of outcomes)
      if (o.error === undefined)
        doneByToken.set(o.job.token, [...(doneByToken.get(o.job.token) ?? []), o.job.id])
    for (const [token, ids] of doneByToken)
      await db
        .updateTable('jobs.jobs')
        .set({ status: 'done', finished_at: at, locked_by: null, locked_until: null, last_error: null })
        .where('id', 'in', ids)
        .where('locked_by', '=', token)
        .execute()
    for (const o of outcomes) if (o.error !== undefined) await fail(o.job, o.error, at)
  }

  async function fail(job: Taken, error: unknown, at: Date): Promise<void> {
    const handler = handlers[job.name] as JobHandler<unknown>
    const message = describe(error)
    const maxAttempts = handler.maxAttempts ?? DEFAULTS.maxAttempts
    const forGood = error instanceof JobFailedForGood || job.attempt >= maxAttempts
    if (!forGood) {
      const retryAt = new Date(at.getTime() + backoffMs(job.attempt, handler.backoff ?? DEFAULTS.backoff))
      deps.log?.warn(
        {
          job: job.name,
          jobId: job.id,
          attempt: job.attempt,
          retryAt: retryAt.toISOString(),
          error: message,
        },
        'job failed; it will be tried again',
      )
      await db
        .updateTable('jobs.jobs')
        .set({ status: 'queued', run_at: retryAt, last_error: message, locked_by: null, locked_until: null })
        .where('id', '=', job.id)
        .where('locked_by', '=', job.token)
        .execute()
      return
    }
    deps.log?.error(
      { job: job.name, jobId: job.id, attempt: job.attempt, error: message },
      'job failed for good',
    )
    await db.transaction().execute(async (tx) => {
      const marked = await tx
        .updateTable('jobs.jobs')
        .set({ status: 'dead', finished_at: at, last_error: message, locked_by: null, locked_until: null })
        .where('id', '=', job.id)
        .where('locked_by', '=', job.token)
        .executeTakeFirst()
      if (Number(marked.numUpdatedRows) === 1 && handler.onDead) await handler.onDead(job, message, tx)
    })
  }

  async function runOnce(): Promise<number> {
    const jobs = await take(batchSize)
    await record((await Promise.all(byName(jobs).map(execute))).flat())
    return jobs.length
  }

  async function drain(): Promise<number> {
    let total = 0
    for (let n = await runOnce(); n > 0; n = await runOnce()) total += n
    return total
  }

  let lastMaintained = 0
  async function maintain(): Promise<void> {
    lastMaintained = Date.now()
    if (names.length === 0) return
    const at = now()
    await db
      .updateTable('jobs.jobs')
      .set({
        status: 'queued',
        run_at: at,
        locked_by: null,
        locked_until: null,
        last_error: 'the worker stopped before the job was done',
      })
      .where('status', '=', 'running')
      .where('locked_until', '<', at)
      .where('name', 'in', names)
      .execute()
    await db
      .deleteFrom('jobs.jobs')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('jobs.jobs')
          .select('id')
          .where('status', '=', 'done')
          .where('finished_at', '<', new Date(at.getTime() - keepDoneMs))
          .limit(10_000),
      )
      .execute()
  }

  // The loop: take as many jobs as there are free places (when at least half a batch is free, so
  // that taking stays a batch), run them side by side, and write their results in bulk.
  let running = false
  let loop: Promise<void> | undefined
  const inFlight = new Set<Promise<void>>()
  let busy = 0 // jobs running now (a group runs several)
  let finished: Outcome[] = []
  let wake: (() => void) | undefined
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })

  async function flush(): Promise<void> {
    if (finished.length === 0) return
    const outcomes = finished
    finished = []
    await record(outcomes)
  }

  async function cycle(): Promise<void> {
    const want = Math.min(concurrency - busy, batchSize)
    if (busy > 0 && want < Math.ceil(batchSize / 2)) {
      await nap(pollMs) // a finishing job wakes the loop
      return
    }
    await flush()
    if (Date.now() - lastMaintained > Math.max(1000, leaseMs / 4)) await maintain()
    const jobs = await take(want)
    for (const group of byName(jobs)) {
      busy += group.length
      const run: Promise<void> = execute(group).then((outcomes) => {
        finished.push(...outcomes)
        busy -= group.length
        inFlight.delete(run)
        wake?.()
      })
      inFlight.add(run)
    }
    if (jobs.length < want) await nap(pollMs)
  }

  return {
    id,
    start() {
      if (running) return
      running = true
      loop = (async () => {
        while (running) {
          try {
            await cycle()
          } catch (error) {
            deps.log?.error({ error: describe(error) }, 'the job worker could not reach the queue')
            if (running) await nap(Math.max(pollMs, 1000))
          }
        }
      })()
    },
    async stop() {
      running = false
      wake?.()
      await loop
      await Promise.all(inFlight)
      await flush()
    },
    runOnce,
    drain,
    maintain,
  }
}
