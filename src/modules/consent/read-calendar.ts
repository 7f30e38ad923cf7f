// Reading a shared calendar with bounded work: the size is checked before anything is parsed, the
// parsing runs in a worker thread with a time and memory limit, and at most a few run at once.
import { Worker } from 'node:worker_threads'
import { CALENDAR_LIMITS, type ParsedCalendar } from './parse-calendar.ts'

const WORKER = new URL('./calendar-worker.ts', import.meta.url)

export const READ_LIMITS = {
  /** Wall-clock time for one file, start of the thread included. */
  timeoutMs: 5_000,
  /** Heap for one file's parsing. */
  maxHeapMb: 96,
  /** Files read at the same time; more wait their turn. */
  concurrent: 2,
}

let running = 0
const waiting: Array<() => void> = []

async function turn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= READ_LIMITS.concurrent) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  try {
    return await work()
  } finally {
    running--
    waiting.shift()?.()
  }
}

/** The busy periods of an iCalendar file in [from, until), or why it could not be read. */
export function readCalendar(
  content: Uint8Array,
  window: { from: string; until: string },
  options: { timeoutMs?: number } = {},
): Promise<ParsedCalendar> {
  if (content.byteLength > CALENDAR_LIMITS.maxBytes)
    return Promise.resolve({ kind: 'invalid', problem: 'too-large' })
  return turn(
    () =>
      new Promise<ParsedCalendar>((resolve, reject) => {
        const worker = new Worker(WORKER, {
          workerData: { content, window },
          resourceLimits: { maxOldGenerationSizeMb: READ_LIMITS.maxHeapMb },
          stdout: true,
          stderr: true,
        })
        let settled = false
        const settle = (result: ParsedCalendar | Error) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          void worker.terminate()
          if (result instanceof Error) reject(result)
          else resolve(result)
        }
        const timer = setTimeout(
          () => settle({ kind: 'invalid', problem: 'too-slow' }),
          options.timeoutMs ?? READ_LIMITS.timeoutMs,
        )
        worker.once('message', (result: ParsedCalendar) => settle(result))
        worker.once('error', (error) =>
          // Out of memory is the file's doing; anything else is ours.
          settle(
            (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? { kind: 'invalid', problem: 'too-slow' }
              : error,
          ),
        )
        worker.once('exit', () => settle(new Error('the calendar reader stopped without an answer')))
      }),
  )
}
