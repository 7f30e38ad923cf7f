import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { type Container, createContainer, seed, type Tables } from '../src/app/container.ts'
import { buildServer } from '../src/app/server.ts'
import type { People } from '../src/modules/people/index.ts'
import { createClock } from '../src/platform/clock.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import { benchServerConfig, signInParent } from './bench-server.ts'
import { createInMemoryPopulationRegister, generatePopulation } from './generated-register.ts'
import { seededRandom } from './seeded-random.ts'
import { createDatabase, dropDatabase, freshName, urlOf } from './server-databases.ts'
import type { TrackerClientParent, TrackerRound, TrackerRoundResult } from './tracker-client.ts'

const TODAY = '2026-11-25'
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
const WARMUP_SECONDS = setting('BENCH_WARMUP_SECONDS', 2)
const GOAL_COST = 0.2

const out = (line = '') => process.stdout.write(`${line}\n`)

interface Phase {
  reads: number
  seconds: number
  latenciesMs: number[]
}
type Way = 'with' | 'without'

/** CONCURRENCY readers in this process for `seconds`, each reading one parent's profile after another. */
async function readDoor(
  people: People,
  personIds: string[],
  seconds: number,
  seedValue: number,
): Promise<Phase> {
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

/** The load client: one worker thread for the whole run, sent one round at a time. */
function startClient(parents: TrackerClientParent[]) {
  const worker = new Worker(new URL('./tracker-client.ts', import.meta.url), {
    workerData: { parents, concurrency: CONCURRENCY },
  })
  worker.on('error', (error) => {
    throw error
  })
  return {
    async read(round: TrackerRound): Promise<Phase> {
      const result = await new Promise<TrackerRoundResult>((resolve) => {
        worker.once('message', resolve)
        worker.postMessage(round)
      })
      const errors = Object.entries(result.errors)
      if (errors.length > 0)
        throw new Error(
          `reads failed: ${errors.map(([k, n]) => `${n} × ${k}`).join(', ')}\n${result.samples.join('\n')}`,
        )
      return result
    },
    stop: () => worker.terminate(),
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number
}
const round = (value: number, digits = 1) => Number(value.toFixed(digits))

/** Alternating rounds, each way in turn, after a warm-up of each. */
async function measure(readRound: (way: Way, seconds: number, seed: number) => Promise<Phase>) {
  await readRound('without', WARMUP_SECONDS / 2, 1)
  const warmUp = await readRound('with', WARMUP_SECONDS / 2, 2)
  const phases: Record<Way, Phase[]> = { with: [], without: [] }
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so that neither always follows the other.
    const order: Way[] = r % 2 === 0 ? ['without', 'with'] : ['with', 'without']
    for (const way of order)
      phases[way].push(await readRound(way, SECONDS, 1000 + r * 2 + (way === 'with' ? 1 : 0)))
  }
  const sum = (list: Phase[]) => ({
    reads: list.reduce((s, p) => s + p.reads, 0),
    seconds: list.reduce((s, p) => s + p.seconds, 0),
    latencies: list.flatMap((p) => p.latenciesMs).sort((a, b) => a - b),
    perRound: list.map((p) => Math.round(p.reads / p.seconds)).join(' / '),
  })
  const w = sum(phases.with)
  const wo = sum(phases.without)
  const withRecordsPerSecond = round(w.reads / w.seconds)
  const withoutRecordsPerSecond = round(wo.reads / wo.seconds)
  return {
    withRecordsPerSecond,
    withoutRecordsPerSecond,
    cost: 1 - withRecordsPerSecond / withoutRecordsPerSecond,
    rows: [
      ['reads per second', withRecordsPerSecond.toFixed(1), withoutRecordsPerSecond.toFixed(1)],
      ['reads per second, each round', w.perRound, wo.perRound],
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
    ] as Array<[string, string, string]>,
    /** Every read with records, the warm-up's included. */
    readsWithRecords: warmUp.reads + w.reads,
  }
}

function table(title: string, rows: Array<[string, string, string]>) {
  const all = [[title, 'with records', 'without'], ...rows]
  const widths = [0, 1, 2].map((i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  const line = (r: readonly string[]) =>
    `${(r[0] ?? '').padEnd(widths[0] ?? 0)}  ${(r[1] ?? '').padStart(widths[1] ?? 0)}  ${(r[2] ?? '').padStart(widths[2] ?? 0)}`
  out(line(all[0] as string[]))
  out(line(widths.map((n) => '-'.repeat(n))))
  for (const r of rows) out(line(r))
}

out(`Tracker benchmark: a citizen's profile read, with and without access records, Node ${process.version}`)
out(
  `${PARENTS} parents and their children, concurrency ${CONCURRENCY}, pool ${POOL_SIZE} a server, ${ROUNDS} rounds of ${SECONDS} s each way after ${WARMUP_SECONDS} s warm-up`,
)

const name = freshName('samla_bench')
const dataDir = mkdtempSync(join(tmpdir(), 'samla-bench-'))
await createDatabase(name)
const cleanup: Array<() => Promise<unknown>> = [
  async () => rmSync(dataDir, { recursive: true, force: true }),
  () => dropDatabase(name),
]
try {
  const setupStarted = performance.now()
  const { persons } = generatePopulation(PARENTS)
  const register = createInMemoryPopulationRegister(persons)
  const config = benchServerConfig(TODAY, dataDir)
  // Two Samlas on one database, each with its own pool: the second's records go nowhere.
  const containers = {} as Record<Way, Container>
  for (const way of ['with', 'without'] as const) {
    const database = await openDatabase<Tables>({ databaseUrl: urlOf(name), poolSize: POOL_SIZE })
    const container = await createContainer(config, {
      database,
      clock: createClock(TODAY),
      register,
      ...(way === 'without' ? { appendAccessRecords: async () => {} } : {}),
    })
    cleanup.unshift(() => container.close())
    containers[way] = container
  }
  await seed(containers.with)
  const db = containers.with.database.db
  const parentIds = (
    await db
      .selectFrom('people.relations')
      .select('person_id')
      .distinct()
      .where('kind', '=', 'child')
      .execute()
  ).map((r) => r.person_id)
  const parents: TrackerClientParent[] = []
  for (const [i, personId] of parentIds.entries()) {
    parents.push({ personId, ...(await signInParent(containers.with, personId, i)) })
  }
  const baseUrls = {} as Record<Way, string>
  for (const way of ['with', 'without'] as const) {
    const app = await buildServer(containers[way], { logger: false })
    cleanup.unshift(() => app.close())
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('the server has no port')
    baseUrls[way] = `http://127.0.0.1:${address.port}`
  }
  const client = startClient(parents)
  cleanup.unshift(() => client.stop())
  const countRecords = async () =>
    Number(
      (
        await db
          .selectFrom('people.access_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  out(
    `Set-up (database, migrations, ${persons.length} persons imported, ${parents.length} sessions): ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
  )

  const before = await countRecords()
  const api = await measure((way, seconds, seedValue) =>
    client.read({ baseUrl: baseUrls[way], seconds, seed: seedValue }),
  )
  const apiRecords = (await countRecords()) - before
  const door = await measure((way, seconds, seedValue) =>
    readDoor(containers[way].people, parentIds, seconds, seedValue),
  )
  const verified = await containers.with.people.verifyAccessChains()

  out()
  table('The API: GET /api/v1/persons/:id', api.rows)
  out(
    `Access records per read: ${(apiRecords / api.readsWithRecords).toFixed(2)} (the parent and each family member named)`,
  )
  out()
  table('The door alone: people.readPerson', door.rows)
  out()
  out(
    `Chains after the run: ${verified.chains} chains, ${verified.records} records, ${verified.broken.length === 0 ? 'every chain whole' : `${verified.broken.length} BROKEN`}`,
  )
  out(`Cost of the records on the door alone: ${(door.cost * 100).toFixed(1)} %`)
  out(
    `Goal: records cost under ${GOAL_COST * 100} % of the API's throughput: ${api.cost < GOAL_COST ? 'met' : 'NOT met'} (${(api.cost * 100).toFixed(1)} %)`,
  )
  out(
    JSON.stringify({
      withRecordsPerSecond: api.withRecordsPerSecond,
      withoutRecordsPerSecond: api.withoutRecordsPerSecond,
      door: {
        withRecordsPerSecond: door.withRecordsPerSecond,
        withoutRecordsPerSecond: door.withoutRecordsPerSecond,
      },
    }),
  )
  if (verified.broken.length > 0) process.exitCode = 1
} finally {
  for (const step of cleanup) await step()
}
