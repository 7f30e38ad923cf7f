// npm run bench:cases – VAB applications through Samla's HTTP API on PostgreSQL, end to end: a
// fresh database, a generated population register (parents with one child under 12 each), one
// session per parent, then applications over keep-alive connections for a fixed time, each with
// its own Idempotency-Key and one or two recent care days, so that the rules decide it at once.
// Every answer must be 201 with status 'decided'. PostgreSQL's own pgbench TPC-B figure on a
// database of its own is measured in the same run as the reference for what this machine gives.
// Goals on these 2 cores: at least 1,000 decided cases a second and p99 under 100 ms.
// The last line is the figures as JSON.
//
// Settings (environment): BENCH_DATABASE_URL (the local Unix socket, else 127.0.0.1:5432),
// BENCH_PARENTS (2500), BENCH_CONCURRENCY (32), BENCH_POOL_SIZE (8), BENCH_SECONDS (10),
// BENCH_WARMUP_SECONDS (2), BENCH_PGBENCH (1; 0 skips pgbench, for profiling runs).
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import { createContainer, seed, type Tables } from '../src/app/container.ts'
import { buildServer } from '../src/app/server.ts'
import { createClock } from '../src/platform/clock.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import { benchServerConfig, signInParent } from './bench-server.ts'
import { type ClientOptions, type ClientParent, type ClientResult, SLOTS_PER_PARENT } from './cases-client.ts'
import { createInMemoryPopulationRegister, generatePopulation } from './generated-register.ts'
import { createDatabase, dropDatabase, freshName, urlOf } from './server-databases.ts'

const TODAY = '2026-11-25'
const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number, not ${process.env[name]}`)
  return value
}
const CONCURRENCY = setting('BENCH_CONCURRENCY', 32)
/**
 * Connections in Samla's pool. 4, 6, 8, 12 and 16 gave the same figures within the noise: Samla's
 * event loop, not PostgreSQL, is what limits the rate now. 8 (four per core) is kept.
 */
const POOL_SIZE = setting('BENCH_POOL_SIZE', 8)
const SECONDS = setting('BENCH_SECONDS', 10)
const WARMUP_SECONDS = setting('BENCH_WARMUP_SECONDS', 2)
const RUN_PGBENCH = process.env.BENCH_PGBENCH !== '0'
const GOAL_CASES_PER_SECOND = 1000
const GOAL_P99_MS = 100
/**
 * Each parent has SLOTS_PER_PARENT applications' worth of distinct care days: enough parents for
 * a quarter more than the goal's rate over warm-up and run (2,500 with the defaults).
 */
const PARENTS = setting(
  'BENCH_PARENTS',
  Math.max(
    2000,
    Math.ceil((1.25 * GOAL_CASES_PER_SECOND * (WARMUP_SECONDS + SECONDS)) / SLOTS_PER_PARENT / 100) * 100,
  ),
)

const out = (line = '') => process.stdout.write(`${line}\n`)

// --- CPU: this process and the PostgreSQL server -------------------------------------------------

const CLOCK_TICKS = 100 // USER_HZ on Linux

/** Seconds of CPU the whole machine has used so far, all processes (from /proc/stat). */
function machineCpuSeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1)
  // user nice system idle iowait irq softirq steal: all but idle and iowait are busy
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0)
  return busy / CLOCK_TICKS
}

/** Seconds of CPU this process's threads have used so far, by thread name (MainThread, WorkerThread, V8Worker…). */
function threadCpuSeconds(): Map<string, number> {
  const byName = new Map<string, number>()
  for (const task of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const name = stat.slice(stat.indexOf('(') + 1, close)
      const fields = stat.slice(close + 2).split(' ')
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS)
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName
}

/**
 * Seconds of CPU all `postgres` processes have used so far: the server and its backends, and the
 * backends that have ended (the postmaster's reaped children), such as pgbench's.
 */
function postgresCpuSeconds(): number {
  let ticks = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue
      const fields = stat.slice(close + 2).split(' ')
      // utime, stime, cutime, cstime
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / CLOCK_TICKS
}

// --- pgbench -----------------------------------------------------------------------------------

function findPgbench(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'pgbench')
    if (dir && existsSync(candidate)) return candidate
  }
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  return readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, 'bin', 'pgbench'))
    .find((candidate) => existsSync(candidate))
}

/** Seconds of CPU this process's ended children (pgbench) have used. */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS
}

/** pgbench's TPC-B tps, and the CPU that other work on the machine used meanwhile. */
async function pgbenchTps(): Promise<{ tps: number; otherCpuSeconds: number }> {
  const binary = findPgbench()
  if (!binary) throw new Error('pgbench is not in PATH nor in /usr/lib/postgresql/*/bin')
  const name = freshName('samla_pgbench')
  await createDatabase(name)
  try {
    const run = promisify(execFile)
    await run(binary, ['-i', '-s', '1', '-q', urlOf(name)])
    const before = {
      machine: machineCpuSeconds(),
      postgres: postgresCpuSeconds(),
      pgbench: childrenCpuSeconds(),
    }
    const { stdout } = await run(binary, ['-c', '8', '-j', '2', '-T', '10', urlOf(name)])
    const otherCpuSeconds =
      machineCpuSeconds() -
      before.machine -
      (postgresCpuSeconds() - before.postgres) -
      (childrenCpuSeconds() - before.pgbench)
    const tps = /tps = ([\d.]+)/.exec(stdout)?.[1]
    if (!tps) throw new Error(`no "tps = …" in pgbench's output:\n${stdout}`)
    return { tps: Number(tps), otherCpuSeconds: Math.max(0, otherCpuSeconds) }
  } finally {
    await dropDatabase(name)
  }
}

// --- Samla -------------------------------------------------------------------------------------

interface SamlaFigures {
  result: ClientResult
  setupSeconds: number
  processCpuSeconds: number
  /** Of which in the kernel (system calls: sockets, mostly). */
  processSystemCpuSeconds: number
  postgresCpuSeconds: number
  /** The process's CPU by thread: Samla's event loop, the load client, V8's helpers (GC). */
  threads: { server: number; client: number; helpers: number }
  /** CPU used by everything else on the machine in the window: other work disturbs the figures. */
  otherCpuSeconds: number
  serverLoopUtilisation: number
  clientLoopUtilisation: number
  casesStored: number
}

function runClient(
  options: ClientOptions,
  onWindow: (phase: 'start' | 'end') => void,
): Promise<[ClientResult, number]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./cases-client.ts', import.meta.url), { workerData: options })
    let clientStart: ReturnType<typeof worker.performance.eventLoopUtilization> | undefined
    let clientUtilisation = 0
    const timers = [
      setTimeout(() => {
        clientStart = worker.performance.eventLoopUtilization()
        onWindow('start')
      }, options.warmupMs),
      setTimeout(() => {
        if (clientStart) clientUtilisation = worker.performance.eventLoopUtilization(clientStart).utilization
        onWindow('end')
      }, options.warmupMs + options.durationMs),
    ]
    worker.once('message', (result: ClientResult) => resolve([result, clientUtilisation]))
    worker.once('error', reject)
    worker.once('exit', (code) => {
      for (const timer of timers) clearTimeout(timer)
      if (code !== 0) reject(new Error(`the load client stopped with ${code}`))
    })
  })
}

async function runSamla(): Promise<SamlaFigures> {
  const setupStarted = performance.now()
  const name = freshName('samla_bench')
  const dataDir = mkdtempSync(join(tmpdir(), 'samla-bench-'))
  await createDatabase(name)
  const cleanup: Array<() => Promise<void>> = [
    async () => rmSync(dataDir, { recursive: true, force: true }),
    () => dropDatabase(name),
  ]
  try {
    const database = await openDatabase<Tables>({ databaseUrl: urlOf(name), poolSize: POOL_SIZE })
    cleanup.unshift(() => database.close())
    const { persons, families } = generatePopulation(PARENTS)
    const config = benchServerConfig(TODAY, dataDir)
    const container = await createContainer(config, {
      database,
      clock: createClock(TODAY),
      register: createInMemoryPopulationRegister(persons),
    })
    await seed(container)

    const db = container.database.db
    const rows = await db
      .selectFrom('people.relations as r')
      .innerJoin('people.persons as p', 'p.id', 'r.person_id')
      .innerJoin('people.persons as c', 'c.id', 'r.related_person_id')
      .select(['p.id as parentId', 'p.personal_number as parentNumber', 'c.id as childId'])
      .where('r.kind', '=', 'child')
      .where(
        'p.personal_number',
        'in',
        families.map((f) => f.parent),
      )
      .execute()
    const byNumber = new Map(rows.map((r) => [r.parentNumber, r]))
    const parents: ClientParent[] = []
    for (const [i, family] of families.entries()) {
      const row = byNumber.get(family.parent)
      if (!row) throw new Error(`parent ${family.parent} was not imported with a child`)
      const signedIn = await signInParent(container, row.parentId, i)
      parents.push({
        personId: row.parentId,
        childPersonId: row.childId,
        ...signedIn,
      })
    }

    const app = await buildServer(container, { logger: false })
    cleanup.unshift(() => app.close())
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('the server has no port')
    const setupSeconds = (performance.now() - setupStarted) / 1000

    let cpu = process.cpuUsage()
    let postgres = postgresCpuSeconds()
    let machine = machineCpuSeconds()
    let threads = threadCpuSeconds()
    let loop = performance.eventLoopUtilization()
    const window = {
      processCpuSeconds: 0,
      processSystemCpuSeconds: 0,
      postgresCpuSeconds: 0,
      otherCpuSeconds: 0,
      serverLoopUtilisation: 0,
      threads: { server: 0, client: 0, helpers: 0 },
    }
    const [result, clientLoopUtilisation] = await runClient(
      {
        baseUrl: `http://127.0.0.1:${address.port}`,
        parents,
        today: TODAY,
        concurrency: CONCURRENCY,
        warmupMs: WARMUP_SECONDS * 1000,
        durationMs: SECONDS * 1000,
        runId: randomBytes(4).toString('hex'),
      },
      (phase) => {
        if (phase === 'start') {
          cpu = process.cpuUsage()
          postgres = postgresCpuSeconds()
          machine = machineCpuSeconds()
          threads = threadCpuSeconds()
          loop = performance.eventLoopUtilization()
          return
        }
        const used = process.cpuUsage(cpu)
        window.processCpuSeconds = (used.user + used.system) / 1e6
        window.processSystemCpuSeconds = used.system / 1e6
        const used2 = threadCpuSeconds()
        const delta = (name: string) => (used2.get(name) ?? 0) - (threads.get(name) ?? 0)
        window.threads = {
          server: delta('MainThread'),
          client: delta('WorkerThread'),
          helpers: [...used2.keys()]
            .filter((name) => name !== 'MainThread' && name !== 'WorkerThread')
            .reduce((sum, name) => sum + delta(name), 0),
        }
        window.postgresCpuSeconds = postgresCpuSeconds() - postgres
        window.otherCpuSeconds = Math.max(
          0,
          machineCpuSeconds() - machine - window.processCpuSeconds - window.postgresCpuSeconds,
        )
        window.serverLoopUtilisation = performance.eventLoopUtilization(loop).utilization
      },
    )
    const stored = await db
      .selectFrom('cases.cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'decided')
      .executeTakeFirstOrThrow()
    return { result, setupSeconds, clientLoopUtilisation, casesStored: Number(stored.n), ...window }
  } finally {
    for (const step of cleanup) await step()
  }
}

// --- The run -----------------------------------------------------------------------------------

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number
}
const round = (value: number, digits = 1) => Number(value.toFixed(digits))

out(
  `Cases benchmark: VAB applications through POST /api/v1/persons/:personId/applications/vab, Node ${process.version}`,
)
out(
  `${PARENTS} parents, concurrency ${CONCURRENCY}, pool ${POOL_SIZE}, ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured, today ${TODAY}`,
)
const reference = RUN_PGBENCH ? await pgbenchTps() : undefined
const pgbench = reference?.tps ?? Number.NaN
const samla = await runSamla()
const { result } = samla
const latencies = result.latenciesMs.sort()
const casesPerSecond = round(result.decided / result.seconds)
const p50 = round(percentile(latencies, 0.5))
const p95 = round(percentile(latencies, 0.95))
const p99 = round(percentile(latencies, 0.99))
const cpus = availableParallelism()
const perCase = (seconds: number) => `${((1000 * seconds) / result.decided).toFixed(2)} ms`
const errorCount = Object.values(result.errors).reduce((a, b) => a + b, 0)

out(
  `Set-up (database, migrations, ${PARENTS * 2} persons imported, sessions, server): ${samla.setupSeconds.toFixed(1)} s`,
)
out()
const rows: Array<[string, string]> = [
  ['Samla: cases decided per second', casesPerSecond.toFixed(1)],
  ['Samla: latency p50', `${p50.toFixed(1)} ms`],
  ['Samla: latency p95', `${p95.toFixed(1)} ms`],
  ['Samla: latency p99', `${p99.toFixed(1)} ms`],
  ['Samla: latency max', `${round(latencies.at(-1) ?? Number.NaN).toFixed(1)} ms`],
  ['Samla: requests sent (warm-up included)', String(result.sent)],
  ['Samla: errors (anything but 201 decided)', String(errorCount)],
  ['pgbench TPC-B tps (-s 1, -c 8 -j 2 -T 10)', reference ? pgbench.toFixed(1) : 'skipped'],
  [
    'CPU others used during pgbench',
    reference ? `${reference.otherCpuSeconds.toFixed(1)} s of ${(cpus * 10).toFixed(0)} s` : 'skipped',
  ],
  [
    'CPU in the window: Samla process / PostgreSQL / others',
    `${samla.processCpuSeconds.toFixed(1)} s / ${samla.postgresCpuSeconds.toFixed(1)} s / ${samla.otherCpuSeconds.toFixed(1)} s of ${(cpus * SECONDS).toFixed(0)} s`,
  ],
  [
    'CPU per decided case: Samla process (kernel) / PostgreSQL',
    `${perCase(samla.processCpuSeconds)} (${perCase(samla.processSystemCpuSeconds)}) / ${perCase(samla.postgresCpuSeconds)}`,
  ],
  [
    'CPU per case by thread: server / load client / V8 helpers',
    `${perCase(samla.threads.server)} / ${perCase(samla.threads.client)} / ${perCase(samla.threads.helpers)}`,
  ],
  [
    'Event loop busy: server / load client',
    `${(samla.serverLoopUtilisation * 100).toFixed(0)} % / ${(samla.clientLoopUtilisation * 100).toFixed(0)} %`,
  ],
]
const width = Math.max(...rows.map(([label]) => label.length))
const valueWidth = Math.max(...rows.map(([, value]) => value.length))
out(`${'Measure'.padEnd(width)}  ${'Value'.padStart(valueWidth)}`)
out(`${'-'.repeat(width)}  ${'-'.repeat(valueWidth)}`)
for (const [label, value] of rows) out(`${label.padEnd(width)}  ${value.padStart(valueWidth)}`)
out()
if (errorCount > 0) {
  out(
    `ERRORS: ${Object.entries(result.errors)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ')}`,
  )
  for (const sample of result.samples) out(`  ${sample}`)
}
if (result.outOfDays)
  out(
    `NOTE: the ${PARENTS} parents' ${SLOTS_PER_PARENT} care-day slots each ran out before the time did; raise BENCH_PARENTS.`,
  )
if (samla.casesStored < result.decided)
  out(`ERRORS: ${result.decided} cases answered decided, but only ${samla.casesStored} are stored`)
const goal = (met: boolean) => (met ? 'met' : 'NOT met')
out(
  `Goal ≥ ${GOAL_CASES_PER_SECOND.toLocaleString('en')} cases/s: ${goal(casesPerSecond >= GOAL_CASES_PER_SECOND)} (${casesPerSecond.toFixed(1)})`,
)
out(`Goal p99 < ${GOAL_P99_MS} ms: ${goal(p99 < GOAL_P99_MS)} (${p99.toFixed(1)} ms)`)
out(`Every answer 201 decided: ${errorCount === 0 ? 'yes' : `NO (${errorCount} others)`}`)
const figures = { casesPerSecond, p50Ms: p50, p99Ms: p99, pgbenchTps: reference ? round(pgbench) : null }
out(
  `{${Object.entries(figures)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(', ')}}`,
)
if (errorCount > 0 || result.outOfDays) process.exitCode = 1
