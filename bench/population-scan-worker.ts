// One worker of bench/population.ts: its own Samla on its own connection, scanning the partitions
// it is given when told to. It reports when ready, so that only the scan itself is timed.
import { randomBytes } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import { loadConfig } from '../src/app/config.ts'
import { createContainer, type Tables } from '../src/app/container.ts'
import { createClock } from '../src/platform/clock.ts'
import { openDatabase } from '../src/platform/db/database.ts'

export interface ScanWorkerData {
  databaseUrl: string
  today: string
}
export interface ScanOrder {
  date: string
  partitions: number
  /** The partitions this worker takes, one after the other. */
  take: number[]
}
export interface ScanReport {
  fired: number
  seconds: number
}

const data = workerData as ScanWorkerData
const port = parentPort
if (!port) throw new Error('population-scan-worker runs as a worker thread')

const database = await openDatabase<Tables>({ databaseUrl: data.databaseUrl, poolSize: 1 })
const container = await createContainer(
  loadConfig({
    DATABASE_URL: data.databaseUrl,
    SAMLA_TODAY: data.today,
    LOG_LEVEL: 'silent',
    // An external identity provider, so that the embedded development one is not built.
    OIDC_ISSUER: 'http://127.0.0.1:9/',
    OIDC_CLIENT_ID: 'samla-bench',
    OIDC_CLIENT_SECRET: randomBytes(24).toString('base64url'),
  }),
  { database, clock: createClock(data.today) },
)
port.on('message', async (order: ScanOrder | 'close') => {
  if (order === 'close') {
    await container.close()
    port.close()
    return
  }
  const started = performance.now()
  let fired = 0
  for (const partition of order.take) {
    const result = await container.proactive.scanDateTriggers({
      date: order.date,
      partition,
      partitions: order.partitions,
    })
    if (result.kind !== 'scanned') throw new Error(`scan ${JSON.stringify(order)}: ${result.kind}`)
    fired += result.total
  }
  port.postMessage({ fired, seconds: (performance.now() - started) / 1000 } satisfies ScanReport)
})
port.postMessage('ready')
