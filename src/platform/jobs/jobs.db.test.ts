import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Kysely } from 'kysely'
import { ENGINES, openTestDatabase, type TestDatabase } from '../../../test/helpers/databases.ts'
import { PATHS } from '../../app/container.ts'
import { createManualClock } from '../clock.ts'
import { migrate, readMigrations } from '../db/migrate.ts'
import { enqueueJob, enqueueJobs, type JobsTables } from './queue.ts'
import { createWorker, JobFailedForGood } from './worker.ts'

for (const engine of ENGINES) {
  describe(`the job queue on ${engine}`, () => {
    const clock = createManualClock('2026-11-25T08:00:00Z')
    const at = () => new Date(clock.now().epochMilliseconds)
    let t: TestDatabase
    let db: Kysely<JobsTables>
    before(async () => {
      t = await openTestDatabase(engine)
      await migrate(t.database.runScript, await readMigrations(PATHS.migrations))
      db = t.database.db
    })
    after(() => t.drop())
    beforeEach(async () => {
      await db.deleteFrom('jobs.jobs').execute()
    })

    const jobRow = (id: number) =>
      db.selectFrom('jobs.jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

    it('gives each job to one worker only, however many take at once', async () => {
      await enqueueJobs(
        db,
        Array.from({ length: 120 }, (_, i) => ({ name: 'count', payload: { n: i } })),
        at(),
      )
      const runs = new Map<number, number>()
      const byWorker = new Map<string, number>()
      let running = 0
      let mostAtOnce = 0
      const workers = ['a', 'b'].map((id) =>
        createWorker({
          db,
          clock,
          options: { id, concurrency: 6, pollMs: 5 },
          handlers: {
            count: {
              run: async (job: { payload: { n: number } }) => {
                running++
                mostAtOnce = Math.max(mostAtOnce, running)
                runs.set(job.payload.n, (runs.get(job.payload.n) ?? 0) + 1)
                byWorker.set(id, (byWorker.get(id) ?? 0) + 1)
                await sleep(2)
                running--
              },
            },
          },
        }),
      )
      for (const w of workers) w.start()
      for (let waited = 0; waited < 20_000; waited += 20) {
        const left = await db
          .selectFrom('jobs.jobs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '!=', 'done')
          .executeTakeFirstOrThrow()
        if (Number(left.n) === 0) break
        await sleep(20)
      }
      await Promise.all(workers.map((w) => w.stop()))
      assert.equal(runs.size, 120, 'every job ran')
      assert.deepEqual(
        [...runs.values()].filter((n) => n !== 1),
        [],
        'no job ran twice',
      )
      assert.ok((byWorker.get('a') ?? 0) > 0 && (byWorker.get('b') ?? 0) > 0, 'both workers took a share')
      assert.ok(mostAtOnce > 1, 'jobs ran side by side')
    })

    it('lets only one of two workers that ask at the same moment take a job', async () => {
      await enqueueJob(db, { name: 'once', payload: {} }, at())
      let ran = 0
      const handlers = {
        once: {
          run: async () => {
            ran++
          },
        },
      }
      const a = createWorker({ db, clock, handlers, options: { id: 'a' } })
      const b = createWorker({ db, clock, handlers, options: { id: 'b' } })
      const taken = await Promise.all([a.runOnce(), b.runOnce()])
      assert.deepEqual(taken.sort(), [0, 1])
      assert.equal(ran, 1)
    })

    it('tries a failing job again with a growing wait, then marks it dead with its last error', async () => {
      clock.set('2026-11-25T08:00:00Z')
      const id = (await enqueueJob(db, { name: 'flaky', payload: { to: 'x' } }, at())) as number
      const deadCalls: string[] = []
      const worker = createWorker({
        db,
        clock,
        options: { id: 'w' },
        handlers: {
          flaky: {
            maxAttempts: 3,
            backoff: { baseMs: 60_000, maxMs: 3_600_000 },
            run: async (job) => {
              throw new Error(`refused on attempt ${job.attempt}`)
            },
            onDead: async (job, lastError, tx) => {
              deadCalls.push(lastError)
              // What a fallback does: another job, in the transaction that marks this one dead.
              await enqueueJob(tx, { name: 'fallback', payload: { after: job.id } }, at())
            },
          },
        },
      })

      assert.equal(await worker.runOnce(), 1)
      let row = await jobRow(id)
      assert.equal(row.status, 'queued')
      assert.equal(row.attempts, 1)
      assert.equal(row.last_error, 'refused on attempt 1')
      const firstWait = row.run_at.getTime() - at().getTime()
      assert.ok(firstWait >= 60_000 && firstWait <= 66_000, `first wait ${firstWait} ms`)
      assert.equal(await worker.runOnce(), 0, 'not due before the wait is over')

      clock.advance({ milliseconds: firstWait })
      assert.equal(await worker.runOnce(), 1)
      row = await jobRow(id)
      const secondWait = row.run_at.getTime() - at().getTime()
      assert.ok(secondWait >= 120_000 && secondWait <= 132_000, `second wait ${secondWait} ms`)

      clock.advance({ milliseconds: secondWait })
      assert.equal(await worker.runOnce(), 1)
      row = await jobRow(id)
      assert.equal(row.status, 'dead')
      assert.equal(row.attempts, 3)
      assert.equal(row.last_error, 'refused on attempt 3')
      assert.deepEqual(deadCalls, ['refused on attempt 3'])
      const fallback = await db
        .selectFrom('jobs.jobs')
        .select(['name', 'payload'])
        .where('name', '=', 'fallback')
        .execute()
      assert.deepEqual(fallback, [{ name: 'fallback', payload: { after: id } }])
    })

    it('gives a handler that can the jobs of a batch together, and records each job’s own outcome', async () => {
      const ids = await enqueueJobs(
        db,
        [0, 1, 2, 3, 4].map((n) => ({ name: 'many', payload: { n } })),
        at(),
      )
      const batches: number[][] = []
      const worker = createWorker({
        db,
        clock,
        options: { batchSize: 10 },
        handlers: {
          many: {
            run: async () => assert.fail('the batch handler runs instead'),
            runMany: async (jobs: Array<{ payload: { n: number } }>) => {
              batches.push(jobs.map((j) => j.payload.n))
              return jobs.map((j) =>
                j.payload.n === 1
                  ? new Error('try again')
                  : j.payload.n === 3
                    ? new JobFailedForGood('never')
                    : undefined,
              )
            },
          },
        },
      })
      assert.equal(await worker.runOnce(), 5)
      assert.deepEqual(batches, [[0, 1, 2, 3, 4]])
      const statuses = await Promise.all(ids.map(async (id) => (await jobRow(id)).status))
      assert.deepEqual(statuses, ['done', 'queued', 'done', 'dead', 'done'])
    })

    it('marks a job dead at once when the handler says trying again cannot help', async () => {
      const id = (await enqueueJob(db, { name: 'hopeless', payload: {} }, at())) as number
      const worker = createWorker({
        db,
        clock,
        handlers: {
          hopeless: {
            run: async () => {
              throw new JobFailedForGood('no such address')
            },
          },
        },
      })
      await worker.runOnce()
      const row = await jobRow(id)
      assert.equal(row.status, 'dead')
      assert.equal(row.attempts, 1)
      assert.equal(row.last_error, 'no such address')
    })

    it('leaves no job behind when the transaction that enqueued it rolls back', async () => {
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await enqueueJob(tx, { name: 'outbox', payload: { case: 1 } }, at())
          throw new Error('the business change failed')
        }),
        /the business change failed/,
      )
      const rows = await db.selectFrom('jobs.jobs').select('id').execute()
      assert.deepEqual(rows, [])
      await db.transaction().execute(async (tx) => {
        await enqueueJob(tx, { name: 'outbox', payload: { case: 2 } }, at())
      })
      assert.equal((await db.selectFrom('jobs.jobs').select('id').execute()).length, 1)
    })

    it('enqueues a job with a unique key once', async () => {
      const first = await enqueueJob(db, { name: 'once', payload: { a: 1 }, uniqueKey: 'k-1' }, at())
      const second = await enqueueJob(db, { name: 'once', payload: { a: 2 }, uniqueKey: 'k-1' }, at())
      assert.equal(typeof first, 'number')
      assert.equal(second, undefined)
      const rows = await db.selectFrom('jobs.jobs').select('payload').execute()
      assert.deepEqual(rows, [{ payload: { a: 1 } }])
    })

    it('gives the job of a worker that stopped to another when the lease ends, and ignores the first one’s late result', async () => {
      clock.set('2026-11-25T08:00:00Z')
      const id = (await enqueueJob(db, { name: 'slow', payload: {} }, at())) as number
      let release: () => void = () => {}
      let started: () => void = () => {}
      const hasStarted = new Promise<void>((resolve) => {
        started = resolve
      })
      const stuck = createWorker({
        db,
        clock,
        options: { id: 'stuck', leaseMs: 60_000 },
        handlers: {
          slow: {
            timeoutMs: 3_600_000,
            run: () =>
              new Promise<void>((resolve) => {
                started()
                release = resolve
              }),
          },
        },
      })
      const late = stuck.runOnce()
      await hasStarted
      assert.equal((await jobRow(id)).status, 'running')

      const other = createWorker({
        db,
        clock,
        options: { id: 'other' },
        handlers: { slow: { run: async () => {} } },
      })
      await other.maintain()
      assert.equal(await other.runOnce(), 0, 'the lease still holds')
      clock.advance({ seconds: 61 })
      await other.maintain()
      assert.equal(await other.runOnce(), 1)
      let row = await jobRow(id)
      assert.equal(row.status, 'done')
      assert.equal(row.attempts, 2)

      release()
      await late
      row = await jobRow(id)
      assert.equal(row.status, 'done', 'the late worker changes nothing')
      assert.equal(row.attempts, 2)
    })

    it('fails a run that takes longer than its timeout', async () => {
      const id = (await enqueueJob(db, { name: 'hangs', payload: {} }, at())) as number
      const worker = createWorker({
        db,
        clock,
        handlers: {
          hangs: {
            timeoutMs: 20,
            maxAttempts: 1,
            run: (_job, signal) =>
              new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
          },
        },
      })
      await worker.runOnce()
      const row = await jobRow(id)
      assert.equal(row.status, 'dead')
      assert.match(row.last_error ?? '', /took longer than 0.02 s/)
    })
  })
}
