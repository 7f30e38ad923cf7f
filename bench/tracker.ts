// npm run bench:tracker – what the data tracker costs on a hot read path: people.readPerson for a
// person's profile (their register data and their family's names), on PostgreSQL in a fresh
// database, many reads at once. The same code runs with the access records appended to the
// persons' hash chains, and without (the records go nowhere), in alternating rounds of one run, so
// that both see the same machine. Every read must find its person. After the run every chain is
// verified. Goal: the records cost under 20 % of the throughput.
// The last line is the figures as JSON.
//
// Settings (environment): BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_PARENTS (2000), BENCH_CONCURRENCY (32), BENCH_POOL_SIZE (8), BENCH_SECONDS (4, a round),
// BENCH_ROUNDS (3), BENCH_WARMUP_SECONDS (1).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { loadConfig } from '../src/app/config.ts'
import { createContainer, seed, type Tables } from '../src/app/container.ts'
import { createPeople, type People } from '../src/modules/people/index.ts'
import { createClock } from '../src/platform/clock.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import { createInMemoryPopulationRegister, generatePopulation } from './generated-register.ts'
import { seededRandom } from './seeded-random.ts'

const TODAY = '2026-11-25'
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number, not ${process.env[name]}`)
  return value
}
const PARENTS = setting('BENCH_PARENTS', 2000)
const CONCURRENCY = setting('BENCH_CONCURRENCY', 32)
const POOL_SIZE = setting('BENCH_POOL_SIZE', 8)
const SECONDS = setting('BENCH_SECONDS', 4)
const ROUNDS = Math.max(1, setting('BENCH_ROUNDS', 3))
const WARMUP_SECONDS = setting('BENCH_WARMUP_SECONDS', 1)
const GOAL_COST = 0.2

const out = (line = '') => process.stdout.write(`${line}\n`)

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

interface Phase {
  reads: number
  seconds: number
  latenciesMs: number[]
}

/** CONCURRENCY readers for `seconds`, each reading one parent's profile after another. */
async function read(people: People, personIds: string[], seconds: number, seedValue: number): Promise<Phase> {
  const random = seededRandom(seedValue)
  const latenciesMs: number[] = []
  let reads = 0
  const started = performance.now()
  const until = started + seconds * 1000
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const personId = random.pick(personIds)
        const t0 = performance.now()
        const person = await people.readPerson({
          actor: { kind: 'person', personId },
          purpose: 'profile',
          personId,
        })
        if (!person?.identity || !person.family?.length) throw new Error(`no profile for ${personId}`)
        latenciesMs.push(performance.now() - t0)
        reads++
      }
    }),
  )
  return { reads, seconds: (performance.now() - started) / 1000, latenciesMs }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number
}
const round = (value: number, digits = 1) => Number(value.toFixed(digits))

out(
  `Tracker benchmark: people.readPerson for a profile, with and without access records, Node ${process.version}`,
)
out(
  `${PARENTS} parents and their children, concurrency ${CONCURRENCY}, pool ${POOL_SIZE}, ${ROUNDS} rounds of ${SECONDS} s each way after ${WARMUP_SECONDS} s warm-up`,
)

const name = `samla_bench_${randomBytes(6).toString('hex')}`
const dataDir = mkdtempSync(join(tmpdir(), 'samla-bench-'))
await admin(`create database ${name}`)
const url = new URL(SERVER_URL)
url.pathname = `/${name}`
const database = await openDatabase<Tables>({ databaseUrl: url.toString(), poolSize: POOL_SIZE })
try {
  const setupStarted = performance.now()
  const { persons } = generatePopulation(PARENTS)
  const register = createInMemoryPopulationRegister(persons)
  const container = await createContainer(
    loadConfig({
      SAMLA_TODAY: TODAY,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      // As in production: no embedded development identity provider is built.
      OIDC_ISSUER: 'http://127.0.0.1:9/',
      OIDC_CLIENT_ID: 'samla-bench',
      OIDC_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    }),
    { database, clock: createClock(TODAY), register },
  )
  await seed(container)
  const withRecords = container.people
  // The same door, with the records going nowhere: the baseline.
  const withoutRecords = createPeople({
    db: database.db,
    register,
    clock: container.clock,
    appendAccessRecords: async () => {},
  })
  const parents = (
    await database.db
      .selectFrom('people.relations')
      .select('person_id')
      .distinct()
      .where('kind', '=', 'child')
      .execute()
  ).map((r) => r.person_id)
  const countRecords = async () =>
    Number(
      (
        await database.db
          .selectFrom('people.access_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  out(
    `Set-up (database, migrations, ${persons.length} persons imported): ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
  )

  await read(withoutRecords, parents, WARMUP_SECONDS / 2, 1)
  await read(withRecords, parents, WARMUP_SECONDS / 2, 2)
  const recordsBefore = await countRecords()
  const phases = { with: [] as Phase[], without: [] as Phase[] }
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so that neither always follows the other.
    const order = r % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const)
    for (const way of order)
      phases[way].push(
        await read(
          way === 'with' ? withRecords : withoutRecords,
          parents,
          SECONDS,
          1000 + r * 2 + (way === 'with' ? 1 : 0),
        ),
      )
  }
  const recordsWritten = (await countRecords()) - recordsBefore
  const verified = await container.people.verifyAccessChains()

  const sum = (list: Phase[]) => ({
    reads: list.reduce((s, p) => s + p.reads, 0),
    seconds: list.reduce((s, p) => s + p.seconds, 0),
    latencies: list.flatMap((p) => p.latenciesMs).sort((a, b) => a - b),
  })
  const w = sum(phases.with)
  const wo = sum(phases.without)
  const withRecordsPerSecond = round(w.reads / w.seconds)
  const withoutRecordsPerSecond = round(wo.reads / wo.seconds)
  const cost = 1 - withRecordsPerSecond / withoutRecordsPerSecond
  const perRound = (list: Phase[]) => list.map((p) => Math.round(p.reads / p.seconds)).join(' / ')

  out()
  const rows: Array<[string, string, string]> = [
    ['reads per second', withRecordsPerSecond.toFixed(1), withoutRecordsPerSecond.toFixed(1)],
    ['reads per second, each round', perRound(phases.with), perRound(phases.without)],
    [
      'latency p50',
      `${percentile(w.latencies, 0.5).toFixed(2)} ms`,
      `${percentile(wo.latencies, 0.5).toFixed(2)} ms`,
    ],
    [
      'latency p99',
      `${percentile(w.latencies, 0.99).toFixed(2)} ms`,
      `${percentile(wo.latencies, 0.99).toFixed(2)} ms`,
    ],
    ['reads', String(w.reads), String(wo.reads)],
    ['access records written', String(recordsWritten), '0'],
  ]
  const widths = [0, 1, 2].map((i) =>
    Math.max(...[['Measure', 'with records', 'without'], ...rows].map((r) => (r[i] ?? '').length)),
  )
  const line = (r: readonly string[]) =>
    `${(r[0] ?? '').padEnd(widths[0] ?? 0)}  ${(r[1] ?? '').padStart(widths[1] ?? 0)}  ${(r[2] ?? '').padStart(widths[2] ?? 0)}`
  out(line(['Measure', 'with records', 'without']))
  out(line(widths.map((n) => '-'.repeat(n))))
  for (const r of rows) out(line(r))
  out()
  out(`Records per read: ${(recordsWritten / w.reads).toFixed(2)} (the parent and each family member named)`)
  out(
    `Chains after the run: ${verified.chains} chains, ${verified.records} records, ${verified.broken.length === 0 ? 'every chain whole' : `${verified.broken.length} BROKEN`}`,
  )
  out(
    `Goal: records cost under ${GOAL_COST * 100} % of the throughput: ${cost < GOAL_COST ? 'met' : 'NOT met'} (${(cost * 100).toFixed(1)} %)`,
  )
  out(JSON.stringify({ withRecordsPerSecond, withoutRecordsPerSecond }))
  if (verified.broken.length > 0) process.exitCode = 1
  await container.close()
} finally {
  await database.close()
  rmSync(dataDir, { recursive: true, force: true })
  await admin(`drop database if exists ${name} with (force)`)
}
