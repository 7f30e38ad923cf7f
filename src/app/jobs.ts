// The jobs Samla runs: job name -> handler, and the worker that runs them. `samla start` runs a
// worker beside the web server, `samla worker` runs workers only; tests use the same list.
import { INBOX_MESSAGE_POSTED } from '../modules/cases/index.ts'
import { CALENDAR_WITHDRAWN } from '../modules/consent/index.ts'
import { DELIVER_CHANGE, REGISTER_EVENT_RECORDED } from '../modules/interop/index.ts'
import { DELIVER_MESSAGE } from '../modules/notify/index.ts'
import {
  createWorker,
  type JobHandlers,
  type JobLog,
  type Worker,
  type WorkerOptions,
} from '../platform/jobs/worker.ts'
import type { Container } from './container.ts'
import { allOf, followRegisterEvents } from './register-event-handlers.ts'

export function jobHandlers(c: Container): JobHandlers {
  return {
    // A decision or request in a person's inbox: notify tells them where they want to hear it.
    [INBOX_MESSAGE_POSTED]: c.notify.handlers.tellOfInboxMessage,
    [DELIVER_MESSAGE]: c.notify.handlers.deliverMessage,
    // A move or a death stored in the population register: interop tells the agencies that need
    // it (a move already reported in Samla is not passed twice), each change to each agency a job.
    // Every register event also starts or moves on life events in the plans of those it concerns,
    // and a birth has barnbidrag decided without application (register-event-handlers.ts).
    [REGISTER_EVENT_RECORDED]: allOf<never>(c.interop.handlers.passOnRegisterEvent, followRegisterEvents(c)),
    [DELIVER_CHANGE]: c.interop.handlers.deliverChange,
    // One partition of a day's date triggers (samla triggers --jobs), then its reminders, each
    // planned and, at its moment, sent.
    ...c.proactive.jobHandlers,
    // A calendar no longer shared: the reminders planned from it are planned again without it.
    [CALENDAR_WITHDRAWN]: c.proactive.calendarWithdrawn,
  }
}

/** How often a running worker asks for the day's date scan. */
const DAILY_SCAN_ASK_MS = 60 * 60_000

/**
 * A worker for every job Samla knows. On PGlite (one connection, shared with the web requests of
 * the same process) it asks for due jobs once a second; on PostgreSQL four times a second.
 * With `dailyScan`, the worker also asks, when it starts and every hour, for today's scan of the
 * date triggers: the scan's unique keys make all those asks, from every worker, one scan a day.
 */
export function createJobWorker(
  c: Container,
  options: WorkerOptions & { log?: JobLog; dailyScan?: boolean } = {},
): Worker {
  const { log, dailyScan, ...rest } = options
  const worker = createJobRunner(c, log, rest)
  if (!dailyScan) return worker
  const partitions = c.database.engine === 'postgres' ? 2 : 1
  const ask = () =>
    c.proactive
      .enqueueDateScan(c.clock.today().toString(), partitions)
      .catch((error: unknown) => log?.error({ err: error }, 'queueing the day’s date scan failed'))
  let timer: ReturnType<typeof setInterval> | undefined
  let asking: Promise<unknown> = Promise.resolve()
  return {
    id: worker.id,
    runOnce: () => worker.runOnce(),
    drain: () => worker.drain(),
    maintain: () => worker.maintain(),
    start() {
      worker.start()
      asking = ask()
      timer = setInterval(() => {
        asking = ask()
      }, DAILY_SCAN_ASK_MS)
      timer.unref()
    },
    async stop() {
      clearInterval(timer)
      await asking
      await worker.stop()
    },
  }
}

function createJobRunner(c: Container, log: JobLog | undefined, rest: WorkerOptions): Worker {
  return createWorker({
    db: c.database.db,
    clock: c.clock,
    handlers: jobHandlers(c),
    ...(log ? { log } : {}),
    options: {
      concurrency: c.config.workerConcurrency,
      pollMs: c.database.engine === 'pglite' ? 1000 : 250,
      ...rest,
    },
  })
}
