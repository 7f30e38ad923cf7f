// npm run bench:population – a synthetic national population in PostgreSQL, and one full scan of
// its date triggers split across two workers, next to the floor: the time PostgreSQL takes to hand
// over the whole persons table by `COPY (select * from people.persons) TO STDOUT`, measured in the
// same run on the same table. The population (10.5 million persons by default) is written by
// `samla simulate`'s use case into a fresh database, dropped at the end. The scan runs in two
// worker threads, each with its own Samla and connection; the bench's memory is the peak RSS of
// its one process, workers included. A second scan of the same day must fire nothing, and the
// table of fired triggers must hold no (person, kind, occasion) twice.
// Goals on these 2 cores: the scan within 2× the floor, peak RSS under 1 GB, no trigger twice.
// The last line is the figures as JSON.
//
// Settings (environment): BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_PERSONS (10500000), BENCH_SEED (1), BENCH_TODAY (2026-11-25: the population's day and the
// day scanned), BENCH_TAX_DAY (1; also scans the day the tax return opens, when everyone with an
// income gets a trigger: the scan that touches every row, reported apart; 0 skips it).
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { loadConfig } from '../src/app/config.ts'
import { createContainer, type Tables } from '../src/app/container.ts'
import { taxReturnOpens } from '../src/modules/journeys/index.ts'
import { createClock, Temporal } from '../src/platform/clock.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import { createProgress } from '../src/platform/progress.ts'
import type { ScanOrder, ScanReport, ScanWorkerData } from './population-scan-worker.ts'

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const PERSONS = Number(process.env.BENCH_PERSONS ?? 10_500_000)
const SEED = Number(process.env.BENCH_SEED ?? 1)
const TODAY = process.env.BENCH_TODAY ?? '2026-11-25'
const TAX_DAY = process.env.BENCH_TAX_DAY !== '0'
const WORKERS = 2
const GOAL_FLOOR_FACTOR = 2
const GOAL_RSS_MB = 1024
if (!Number.isSafeInteger(PERSONS) || PERSONS < 1) throw new Error(`BENCH_PERSONS must be a whole number`)

const out = (line = '') => process.stdout.write(`${line}\n`)
const seconds = (from: number) => (performance.now() - from) / 1000

function urlOf(database: string): string {
  const url = new URL(SERVER_URL)
  url.pathname = `/${database}`
  return url.toString()
}
async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

// Peak memory: the RSS of this process (the worker threads are in it), sampled every 50 ms.
let peakRss = process.memoryUsage.rss()
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
}, 50)
sampler.unref()

/** Reads the whole persons table through COPY … TO STDOUT and throws the bytes away. */
async function copyFloor(url: string): Promise<{ seconds: number; bytes: number }> {
  return onServer(url, async (client) => {
    const started = performance.now()
    let bytes = 0
    const stream = client.query(copyTo('copy (select * from people.persons) to stdout'))
    for await (const chunk of stream) bytes += (chunk as Buffer).length
    return { seconds: seconds(started), bytes }
  })
}

/** Starts the workers, each with its own Samla and connection; resolves when all are ready. */
async function startWorkers(url: string): Promise<Worker[]> {
  const workers = Array.from(
    { length: WORKERS },
    () =>
      new Worker(new URL('./population-scan-worker.ts', import.meta.url), {
        workerData: { databaseUrl: url, today: TODAY } satisfies ScanWorkerData,
        // A worker only waits for PostgreSQL: a small heap is plenty, and keeps the bench's memory honest.
        resourceLimits: { maxOldGenerationSizeMb: 128 },
      }),
  )
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve())
          w.once('error', reject)
        }),
    ),
  )
  return workers
}

/** One full scan of a day: partition i to worker i, all at once. */
async function scan(workers: Worker[], date: string): Promise<{ seconds: number; fired: number }> {
  const started = performance.now()
  const reports = await Promise.all(
    workers.map(
      (w, i) =>
        new Promise<ScanReport>((resolve, reject) => {
          w.once('message', resolve)
          w.once('error', reject)
          w.postMessage({ date, partitions: WORKERS, take: [i] } satisfies ScanOrder)
        }),
    ),
  )
  return { seconds: seconds(started), fired: reports.reduce((sum, r) => sum + r.fired, 0) }
}

const name = `samla_population_${randomBytes(6).toString('hex')}`
const url = urlOf(name)
out(
  `Population benchmark: ${PERSONS.toLocaleString('en')} persons, seed ${SEED}, as of ${TODAY}, Node ${process.version}`,
)
await onServer(SERVER_URL, (c) => c.query(`create database ${name}`))
let workers: Worker[] = []
try {
  // --- The population -----------------------------------------------------------------------------
  const database = await openDatabase<Tables>({ databaseUrl: url, poolSize: 2 })
  const container = await createContainer(
    loadConfig({
      DATABASE_URL: url,
      SAMLA_TODAY: TODAY,
      LOG_LEVEL: 'silent',
      OIDC_ISSUER: 'http://127.0.0.1:9/',
      OIDC_CLIENT_ID: 'samla-bench',
      OIDC_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    }),
    { database, clock: createClock(TODAY) },
  )
  // The workers start now, beside the migrated database, and wait for the scan: their start is
  // not timed, and they see the same migrations as the population is written with.
  workers = await startWorkers(url)
  const progress = createProgress('Persons')
  const generated = performance.now()
  const simulated = await container.people.simulatePopulation({
    persons: PERSONS,
    seed: SEED,
    today: container.clock.today(),
    onProgress: ({ persons, total }) => progress.update(persons, total),
  })
  progress.finish()
  if (simulated.kind !== 'simulated') throw new Error('the fresh database already had a population')
  const generationSeconds = seconds(generated)
  const generationRssMb = peakRss / 1e6 // the workers' start included
  await container.close()
  // Both readers below see the tables as a running system would: vacuumed and analysed.
  await onServer(url, (c) => c.query('vacuum analyze people.persons, people.relations'))
  const sizes = await onServer(
    url,
    async (c) =>
      (
        await c.query<{ persons: string; relations: string }>(
          `select pg_size_pretty(pg_total_relation_size('people.persons')) as persons,
                  pg_size_pretty(pg_total_relation_size('people.relations')) as relations`,
        )
      ).rows[0],
  )

  // --- The floor, then the scan -------------------------------------------------------------------
  const floor = await copyFloor(url)
  const first = await scan(workers, TODAY)
  const second = await scan(workers, TODAY)
  let taxDay: { date: string; seconds: number; fired: number } | undefined
  if (TAX_DAY) {
    const date = taxReturnOpens(Temporal.PlainDate.from(TODAY).year).date.toString()
    taxDay = { date, ...(await scan(workers, date)) }
  }
  const duplicates = await onServer(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(
      `select count(*) - count(distinct (person_id, kind, occasion)) as n from proactive.fired_triggers`,
    )
    return Number(rows[0]?.n ?? 0)
  })
  const byKind = await onServer(
    url,
    async (c) =>
      (
        await c.query<{ kind: string; n: string }>(
          `select kind, count(*) as n from proactive.fired_triggers where fired_on = $1 group by kind order by kind`,
          [TODAY],
        )
      ).rows,
  )
  for (const w of workers) w.postMessage('close')
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))))
  workers = []

  // --- Figures ------------------------------------------------------------------------------------
  const duplicateTriggers = duplicates + second.fired
  const peakRssMb = Math.round(peakRss / 1e6)
  const rows: Array<[string, string]> = [
    [
      `Generation (${simulated.households.toLocaleString('en')} households, ${simulated.relations.toLocaleString('en')} relations, ${simulated.circumstances.toLocaleString('en')} register events)`,
      `${generationSeconds.toFixed(1)} s (${Math.round(PERSONS / generationSeconds).toLocaleString('en')} persons/s)`,
    ],
    ['Tables: people.persons / people.relations, with indexes', `${sizes?.persons} / ${sizes?.relations}`],
    [
      'Floor: COPY (select * from people.persons) TO STDOUT',
      `${floor.seconds.toFixed(2)} s (${(floor.bytes / 1e9).toFixed(2)} GB)`,
    ],
    [`Scan of ${TODAY}, ${WORKERS} workers: triggers fired`, `${first.seconds.toFixed(2)} s: ${first.fired}`],
    ...byKind.map(({ kind, n }) => [`  ${kind}`, String(n)] as [string, string]),
    ['Scan / floor', `${(first.seconds / floor.seconds).toFixed(3)}×`],
    ['Second scan of the same day: triggers fired', `${second.seconds.toFixed(2)} s: ${second.fired}`],
    ['Duplicate (person, kind, occasion) rows', String(duplicates)],
    ...(taxDay
      ? [
          [
            `Scan of ${taxDay.date}, the tax return opens: triggers fired`,
            `${taxDay.seconds.toFixed(1)} s: ${taxDay.fired}`,
          ] as [string, string],
        ]
      : []),
    [
      'Peak RSS, bench process with its workers (during generation)',
      `${peakRssMb} MB (${Math.round(generationRssMb)} MB)`,
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
    `Goal: scan within ${GOAL_FLOOR_FACTOR}× the floor: ${goal(first.seconds <= GOAL_FLOOR_FACTOR * floor.seconds)} (${first.seconds.toFixed(2)} s vs ${floor.seconds.toFixed(2)} s)`,
  )
  if (taxDay)
    out(
      `Goal: the tax-return day's scan within ${GOAL_FLOOR_FACTOR}× the floor: ${goal(taxDay.seconds <= GOAL_FLOOR_FACTOR * floor.seconds)} (${taxDay.seconds.toFixed(2)} s vs ${floor.seconds.toFixed(2)} s)`,
    )
  out(`Goal: peak RSS under ${GOAL_RSS_MB} MB: ${goal(peakRssMb < GOAL_RSS_MB)} (${peakRssMb} MB)`)
  out(`Goal: no trigger fired twice: ${goal(duplicateTriggers === 0)} (${duplicateTriggers})`)
  const figures = {
    persons: PERSONS,
    scanSeconds: Number(first.seconds.toFixed(3)),
    copyFloorSeconds: Number(floor.seconds.toFixed(3)),
    peakRssMb,
    duplicateTriggers,
    ...(taxDay ? { taxDayScanSeconds: Number(taxDay.seconds.toFixed(3)), taxDayTriggers: taxDay.fired } : {}),
  }
  out(
    `{${Object.entries(figures)
      .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
      .join(', ')}}`,
  )
  if (duplicateTriggers > 0) process.exitCode = 1
} finally {
  for (const w of workers) await w.terminate()
  await onServer(SERVER_URL, (c) => c.query(`drop database if exists ${name} with (force)`))
}
