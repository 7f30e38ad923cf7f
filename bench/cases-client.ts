// The load client of bench/cases.ts. It runs in a worker thread of the same process, so that its
// own JavaScript does not wait in the server's event loop (and is not counted in its latency),
// while it still shares the machine's two cores with Samla and PostgreSQL, as the brief asks.
// It keeps `concurrency` requests in flight over keep-alive connections (fetch, Node's undici).
import { parentPort, workerData } from 'node:worker_threads'

export interface ClientParent {
  personId: string
  childPersonId: string
  /** The Cookie header with the parent's session. */
  cookie: string
  /**
   * The address the parent's requests come from, as a reverse proxy would pass it on. Samla
   * trusts X-Forwarded-For (trustProxy) and rate-limits by address, 600 a minute: without it every
   * request would count against 127.0.0.1 and the 601st of the minute would get 429.
   */
  forwardedFor: string
}

export interface ClientOptions {
  baseUrl: string
  parents: ClientParent[]
  /** Samla's "today" (YYYY-MM-DD); the care days are counted back from it. */
  today: string
  concurrency: number
  warmupMs: number
  durationMs: number
  /** Part of every Idempotency-Key, so that two runs never share one. */
  runId: string
}

export interface ClientResult {
  /** Cases decided (201, status 'decided') that completed inside the measured window. */
  decided: number
  seconds: number
  /** The latency of each of those, in milliseconds, in the order they completed. */
  latenciesMs: Float64Array
  /** Requests sent in all, warm-up included. */
  sent: number
  /** Anything but 201 with status 'decided', warm-up included, by status and answer. */
  errors: Record<string, number>
  samples: string[]
  /** The distinct care days ran out before the time did: more parents are needed. */
  outOfDays: boolean
}

/**
 * Each parent's applications take distinct care days: application k of a parent starts 1 + 5k days
 * before today and is one or two days long, so three days without care lie between two of them
 * and each stays a care period of its own (no certificate from day 8), inside the last 30 days
 * (applied in time). Six such slots per parent.
 */
export const SLOTS_PER_PARENT = 6
const SLOT_SPAN_DAYS = 5

const DAY_MS = 86_400_000

export function careDays(today: string, application: number, parents: number): string[] | undefined {
  const slot = Math.floor(application / parents)
  if (slot >= SLOTS_PER_PARENT) return undefined
  const first = Date.parse(`${today}T00:00:00Z`) - (1 + SLOT_SPAN_DAYS * slot) * DAY_MS
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  return application % 2 === 0 ? [iso(first), iso(first + DAY_MS)] : [iso(first)]
}

async function run(options: ClientOptions): Promise<ClientResult> {
  const { baseUrl, parents, today, concurrency, runId } = options
  const latencies: number[] = []
  const errors: Record<string, number> = {}
  const samples: string[] = []
  let next = 0
  let sent = 0
  let decided = 0
  let outOfDays = false
  const started = performance.now()
  const measureFrom = started + options.warmupMs
  const end = measureFrom + options.durationMs

  const fail = (key: string, detail: string) => {
    errors[key] = (errors[key] ?? 0) + 1
    if (samples.length < 5) samples.push(`${key}: ${detail.slice(0, 300)}`)
  }

  async function loop(): Promise<void> {
    while (performance.now() < end) {
      const n = next++
      const parent = parents[n % parents.length] as ClientParent
      const days = careDays(today, n, parents.length)
      if (!days) {
        outOfDays = true
        return
      }
      const body = JSON.stringify({
        childPersonId: parent.childPersonId,
        days: days.map((date) => ({ date, fraction: 1, reason: 'child-ill' })),
      })
      sent++
      const sentAt = performance.now()
      let status = 0
      let text = ''
      try {
        const response = await fetch(`${baseUrl}/api/v1/persons/${parent.personId}/applications/vab`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie: parent.cookie,
            'idempotency-key': `bench-${runId}-${n}`,
            'x-forwarded-for': parent.forwardedFor,
          },
          body,
        })
        status = response.status
        text = await response.text()
      } catch (error) {
        fail('network', (error as Error).message)
        continue
      }
      const doneAt = performance.now()
      let answer: { status?: string; error?: { code?: string } } = {}
      try {
        answer = JSON.parse(text) as typeof answer
      } catch {
        // reported below with the raw text
      }
      if (status !== 201 || answer.status !== 'decided') {
        fail(`${status} ${answer.status ?? answer.error?.code ?? 'no JSON'}`, text)
        continue
      }
      if (doneAt >= measureFrom && doneAt <= end) {
        decided++
        latencies.push(doneAt - sentAt)
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, loop))
  return {
    decided,
    seconds: options.durationMs / 1000,
    latenciesMs: Float64Array.from(latencies),
    sent,
    errors,
    samples,
    outOfDays,
  }
}

if (parentPort) {
  const port = parentPort
  const result = await run(workerData as ClientOptions)
  port.postMessage(result)
}
