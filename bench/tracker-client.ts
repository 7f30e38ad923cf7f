// The load client of bench/tracker.ts, in a worker thread of the same process: its own JavaScript
// does not wait in the servers' event loop, while it shares the machine's two cores with them and
// PostgreSQL. For each round it is sent, it keeps `concurrency` profile reads in flight over
// keep-alive connections (fetch, Node's undici) against one server for `seconds`, and answers with
// what it measured. Every answer must be 200 with the parent's own profile and family.
import { parentPort, workerData } from 'node:worker_threads'
import { seededRandom } from './seeded-random.ts'

export interface TrackerClientParent {
  personId: string
  /** The Cookie header with the parent's session. */
  cookie: string
  /**
   * The address the parent's requests come from, as a reverse proxy would pass it on: Samla
   * rate-limits by address, and every request from 127.0.0.1 would count against one.
   */
  forwardedFor: string
}

export interface TrackerRound {
  baseUrl: string
  seconds: number
  seed: number
}

export interface TrackerRoundResult {
  reads: number
  seconds: number
  latenciesMs: number[]
  errors: Record<string, number>
  samples: string[]
}

const { parents, concurrency } = workerData as { parents: TrackerClientParent[]; concurrency: number }

async function run(round: TrackerRound): Promise<TrackerRoundResult> {
  const random = seededRandom(round.seed)
  const latenciesMs: number[] = []
  const errors: Record<string, number> = {}
  const samples: string[] = []
  let reads = 0
  const started = performance.now()
  const until = started + round.seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const parent = random.pick(parents)
        const t0 = performance.now()
        let status = 0
        let text = ''
        try {
          const response = await fetch(`${round.baseUrl}/api/v1/persons/${parent.personId}`, {
            headers: { cookie: parent.cookie, 'x-forwarded-for': parent.forwardedFor },
          })
          status = response.status
          text = await response.text()
        } catch (error) {
          text = (error as Error).message
        }
        let profile: { id?: string; family?: unknown[] } = {}
        try {
          profile = JSON.parse(text) as typeof profile
        } catch {
          // counted below with the raw text
        }
        if (status !== 200 || profile.id !== parent.personId || !profile.family?.length) {
          const key = String(status)
          errors[key] = (errors[key] ?? 0) + 1
          if (samples.length < 5) samples.push(`${key}: ${text.slice(0, 300)}`)
          continue
        }
        latenciesMs.push(performance.now() - t0)
        reads++
      }
    }),
  )
  return { reads, seconds: (performance.now() - started) / 1000, latenciesMs, errors, samples }
}

if (parentPort) {
  const port = parentPort
  port.on('message', (round: TrackerRound | 'stop') => {
    if (round === 'stop') port.close()
    else void run(round).then((result) => port.postMessage(result))
  })
}
