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

/**
 * A worker for every job Samla knows. On PGlite (one connection, shared with the web requests of
 * the same process) it asks for due jobs once a second; on PostgreSQL four times a second.
 */
export function createJobWorker(c: Container, options: WorkerOptions & { log?: JobLog } = {}): Worker {
  const { log, ...rest } = options
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
