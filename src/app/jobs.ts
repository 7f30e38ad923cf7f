// The jobs Samla runs: job name -> handler, and the worker that runs them. `samla start` runs a
// worker beside the web server, `samla worker` runs workers only; tests use the same list.
import { INBOX_MESSAGE_POSTED } from '../modules/cases/index.ts'
import { DELIVER_MESSAGE } from '../modules/notify/index.ts'
import {
  createWorker,
  type JobHandlers,
  type JobLog,
  type Worker,
  type WorkerOptions,
} from '../platform/jobs/worker.ts'
import type { Container } from './container.ts'

export function jobHandlers(c: Container): JobHandlers {
  return {
    // A decision or request in a person's inbox: notify tells them where they want to hear it.
    [INBOX_MESSAGE_POSTED]: c.notify.handlers.tellOfInboxMessage,
    [DELIVER_MESSAGE]: c.notify.handlers.deliverMessage,
    // One partition of a day's date triggers (samla triggers --jobs).
    ...c.proactive.jobHandlers,
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
