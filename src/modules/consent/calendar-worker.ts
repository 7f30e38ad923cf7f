// Runs in a worker thread: reads one iCalendar file into busy periods. A rule that ical.js would
// expand for ever cannot stop the server; the thread is ended when its time is up.
import { parentPort, workerData } from 'node:worker_threads'
import { busyPeriodsFromICalendar } from './parse-calendar.ts'

const { content, window } = workerData as { content: Uint8Array; window: { from: string; until: string } }
parentPort?.postMessage(busyPeriodsFromICalendar(content, window))
