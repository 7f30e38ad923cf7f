// npm run bench:notify – e-mail through Samla's real SMTP path on PostgreSQL, end to end: a fresh
// database, persons who chose e-mail, then BENCH_MESSAGES notifications through the notify use
// case (sendNotifications, a thousand at a time), each a message row and a job in one transaction,
// while Samla's job worker takes the jobs in batches (FOR UPDATE SKIP LOCKED), renders each
// template and sends it with nodemailer over pooled SMTP connections to a local SMTP sink. The sink
// (bench/notify-sink.ts, in a worker thread) counts every message by its Message-ID, so that a
// message lost or sent twice shows. The rate is messages accepted by the sink per second, from the
// first notification queued to the last message received. GOV.UK Notify's published peak API rate,
// 360 messages a second, is printed beside it; the goal is three times that, 1,000 a second.
// The last line is the figures as JSON.
//
// Settings (environment): BENCH_DATABASE_URL (the local Unix socket, else 127.0.0.1:5432),
// BENCH_MESSAGES (100000), BENCH_PERSONS (1000), BENCH_ENQUEUE_BATCH (1000), BENCH_CONCURRENCY
// (jobs in flight, 64), BENCH_CLAIM_BATCH (jobs taken per statement, 32), BENCH_SMTP_CONNECTIONS
// (16), BENCH_POOL_SIZE (PostgreSQL connections, 8), BENCH_TIMEOUT_SECONDS (600).
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { loadConfig } from '../src/app/config.ts'
import { createContainer, type Tables } from '../src/app/container.ts'
import { createJobWorker } from '../src/app/jobs.ts'
import type { NotificationRequest } from '../src/modules/notify/index.ts'
import { createClock } from '../src/platform/clock.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import { createInMemoryPopulationRegister } from './generated-register.ts'
import type { SinkMessage, SinkRequest } from './notify-sink.ts'
import { createDatabase, dropDatabase, freshName, urlOf } from './server-databases.ts'

const TODAY = '2026-11-25'
const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number, not ${process.env[name]}`)
  return value
}
const MESSAGES = setting('BENCH_MESSAGES', 100_000)
const PERSONS = setting('BENCH_PERSONS', 1000)
const ENQUEUE_BATCH = setting('BENCH_ENQUEUE_BATCH', 1000)
const CONCURRENCY = setting('BENCH_CONCURRENCY', 64)
const CLAIM_BATCH = setting('BENCH_CLAIM_BATCH', 32)
const SMTP_CONNECTIONS = setting('BENCH_SMTP_CONNECTIONS', 16)
const POOL_SIZE = setting('BENCH_POOL_SIZE', 8)
const TIMEOUT_SECONDS = setting('BENCH_TIMEOUT_SECONDS', 600)
const GOAL_PER_SECOND = 1000
/** GOV.UK Notify's published peak API rate, the peer figure. */
const GOV_UK_NOTIFY_PER_SECOND = 360

const out = (line = '') => process.stdout.write(`${line}\n`)
const round = (value: number, digits = 1) => Number(value.toFixed(digits))

// --- A database of its own on the server ---------------------------------------------------------

// --- CPU of the PostgreSQL backends that serve this run's database -----------------------------
// Only this database's backends count: other work on the same server is not Samla's.

function postgresCpuSeconds(database: string): number {
  let ticks = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${database} `)) continue
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100
}

// --- The SMTP sink ------------------------------------------------------------------------------

function startSink() {
  const worker = new Worker(new URL('./notify-sink.ts', import.meta.url))
  let received = 0
  let onReport: ((m: Extract<SinkMessage, { kind: 'report' }>) => void) | undefined
  const listening = new Promise<number>((resolve, reject) => {
    worker.on('message', (m: SinkMessage) => {
      if (m.kind === 'listening') resolve(m.port)
      else if (m.kind === 'progress') received = m.received
      else onReport?.(m)
    })
    worker.once('error', reject)
  })
  return {
    listening,
    received: () => received,
    report: () =>
      new Promise<Extract<SinkMessage, { kind: 'report' }>>((resolve) => {
        onReport = resolve
        worker.postMessage({ kind: 'report' } satisfies SinkRequest)
      }),
    close: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve())
        worker.postMessage({ kind: 'close' } satisfies SinkRequest)
      }),
  }
}

// --- The run ------------------------------------------------------------------------------------

out(
  `Notify benchmark: e-mail through notify.sendNotifications, the job queue and nodemailer, Node ${process.version}`,
)
out(
  `${MESSAGES.toLocaleString('en')} messages to ${PERSONS} persons, queued ${ENQUEUE_BATCH} at a time; worker concurrency ${CONCURRENCY}, ${CLAIM_BATCH} jobs taken per statement, ${SMTP_CONNECTIONS} SMTP connections, PostgreSQL pool ${POOL_SIZE}`,
)

const sink = startSink()
const sinkPort = await sink.listening
const name = freshName('samla_bench_notify')
const dataDir = mkdtempSync(join(tmpdir(), 'samla-bench-'))
await createDatabase(name)
const cleanup: Array<() => Promise<void>> = [
  async () => rmSync(dataDir, { recursive: true, force: true }),
  () => dropDatabase(name),
  () => sink.close(),
]
let exitCode = 0
try {
  const database = await openDatabase<Tables>({ databaseUrl: urlOf(name), poolSize: POOL_SIZE })
  const config = loadConfig({
    SAMLA_TODAY: TODAY,
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://samla.example',
    SMTP_URL: `smtp://127.0.0.1:${sinkPort}`,
    SMTP_MAX_CONNECTIONS: String(SMTP_CONNECTIONS),
    WORKER_CONCURRENCY: String(CONCURRENCY),
    // As in production: an external identity provider (never asked in this run), so the embedded
    // development one is not built.
    OIDC_ISSUER: 'http://127.0.0.1:9/',
    OIDC_CLIENT_ID: 'samla-bench',
    OIDC_CLIENT_SECRET: randomBytes(24).toString('base64url'),
  })
  const container = await createContainer(config, {
    database,
    clock: createClock(TODAY),
    register: createInMemoryPopulationRegister([]),
  })
  cleanup.unshift(() => container.close())

  const persons = Array.from({ length: PERSONS }, (_, i) => ({ id: randomUUID(), i }))
  for (const p of persons) {
    const saved = await container.notify.savePreferences(p.id, {
      channels: ['email'],
      language: p.i % 2 === 0 ? 'sv' : 'en',
      email: `person-${p.i}@bench.example`,
    })
    if (saved.kind !== 'valid') throw new Error('the bench preferences do not hold')
  }
  const requests: NotificationRequest[] = Array.from({ length: MESSAGES }, (_, i) => ({
    personId: persons[i % PERSONS]?.id ?? '',
    template: i % 3 === 0 ? 'case-request' : 'case-decision',
    data: { caseId: randomUUID() },
    uniqueKey: `bench:${i}`,
  }))

  const worker = createJobWorker(container, { concurrency: CONCURRENCY, batchSize: CLAIM_BATCH, pollMs: 20 })
  const cpuBefore = process.cpuUsage()
  const postgresBefore = postgresCpuSeconds(name)
  const started = performance.timeOrigin + performance.now()
  worker.start()
  let queued = 0
  for (let i = 0; i < requests.length; i += ENQUEUE_BATCH) {
    const results = await container.notify.sendNotifications(requests.slice(i, i + ENQUEUE_BATCH))
    queued += results.filter((r) => r.kind === 'queued').length
  }
  const queuedAt = performance.timeOrigin + performance.now()
  const deadline = Date.now() + TIMEOUT_SECONDS * 1000
  while (sink.received() < MESSAGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  // Every message the sink took is marked sent just after; give the last ones their moment.
  const db = container.database.db
  const counts = async () =>
    Object.fromEntries(
      (
        await db
          .selectFrom('notify.messages')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('status')
          .execute()
      ).map((r) => [r.status, Number(r.n)]),
    ) as Record<string, number>
  let statuses = await counts()
  for (let waited = 0; (statuses.sent ?? 0) < queued && waited < 5000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100))
    statuses = await counts()
  }
  await worker.stop()
  const used = process.cpuUsage(cpuBefore)
  const postgresUsed = postgresCpuSeconds(name) - postgresBefore
  const report = await sink.report()
  const expected = (await db.selectFrom('notify.messages').select('id').execute()).map((r) => r.id)
  const arrived = new Set(report.ids)
  const lost = expected.filter((id) => !arrived.has(id)).length
  const sent = report.ids.length
  const seconds = (report.lastAt - started) / 1000
  const messagesPerSecond = round(sent / seconds)
  const deadJobs = await db
    .selectFrom('jobs.jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'dead')
    .executeTakeFirstOrThrow()

  const cpus = availableParallelism()
  const perMessage = (s: number) => `${((1000 * s) / Math.max(1, sent)).toFixed(3)} ms`
  const rows: Array<[string, string]> = [
    ['Samla: messages delivered per second (queue to sink)', messagesPerSecond.toFixed(1)],
    ['GOV.UK Notify: published peak API rate, per second', GOV_UK_NOTIFY_PER_SECOND.toFixed(1)],
    ['Samla: notifications queued per second', round(queued / ((queuedAt - started) / 1000)).toFixed(1)],
    ['Samla: time from first queued to last delivered', `${seconds.toFixed(1)} s`],
    ['Messages queued', queued.toLocaleString('en')],
    ['Messages the sink received (unique)', sent.toLocaleString('en')],
    ['Messages lost', String(lost)],
    ['Messages sent twice', String(report.duplicates)],
    ['Messages marked sent in notify.messages', (statuses.sent ?? 0).toLocaleString('en')],
    ['Jobs dead', String(Number(deadJobs.n))],
    [
      'CPU: Samla process (incl. sink thread) / its PostgreSQL backends',
      `${((used.user + used.system) / 1e6).toFixed(1)} s / ${postgresUsed.toFixed(1)} s of ${(cpus * seconds).toFixed(0)} s`,
    ],
    [
      'CPU per message: Samla process / its PostgreSQL backends',
      `${perMessage((used.user + used.system) / 1e6)} / ${perMessage(postgresUsed)}`,
    ],
  ]
  const width = Math.max(...rows.map(([label]) => label.length))
  const valueWidth = Math.max(...rows.map(([, value]) => value.length))
  out()
  out(`${'Measure'.padEnd(width)}  ${'Value'.padStart(valueWidth)}`)
  out(`${'-'.repeat(width)}  ${'-'.repeat(valueWidth)}`)
  for (const [label, value] of rows) out(`${label.padEnd(width)}  ${value.padStart(valueWidth)}`)
  out()
  const goal = (met: boolean) => (met ? 'met' : 'NOT met')
  out(
    `Goal ≥ ${GOAL_PER_SECOND.toLocaleString('en')} messages/s (GOV.UK Notify's ${GOV_UK_NOTIFY_PER_SECOND}/s × 3): ${goal(messagesPerSecond >= GOAL_PER_SECOND)} (${messagesPerSecond.toFixed(1)}, ${(messagesPerSecond / GOV_UK_NOTIFY_PER_SECOND).toFixed(1)} × GOV.UK Notify)`,
  )
  out(
    `Every message delivered once: ${lost === 0 && report.duplicates === 0 && sent === MESSAGES ? 'yes' : 'NO'}`,
  )
  if (lost > 0 || report.duplicates > 0 || sent < MESSAGES) exitCode = 1
  const figures = { messagesPerSecond, sent, lost, duplicates: report.duplicates }
  out(
    `{${Object.entries(figures)
      .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
      .join(', ')}}`,
  )
} finally {
  for (const step of cleanup) await step().catch((error: unknown) => console.error(error))
}
process.exitCode = exitCode
