// The SMTP sink of bench/notify.ts: an smtp-server in a worker thread of the benchmark's process
// (so that its parsing does not run in Samla's event loop, while it shares the machine's two cores
// with Samla and PostgreSQL). It accepts every message and counts it by its Message-ID, which Samla
// makes from the notification message's id: a second arrival of one id is a duplicate.
import { parentPort } from 'node:worker_threads'
import { SMTPServer } from 'smtp-server'

export type SinkRequest = { kind: 'report' } | { kind: 'close' }
export type SinkMessage =
  | { kind: 'listening'; port: number }
  | { kind: 'report'; received: number; ids: string[]; duplicates: number; firstAt: number; lastAt: number }
  | { kind: 'progress'; received: number; lastAt: number }

const MESSAGE_ID = /^message-id:\s*<([^@>]+)@/im
const seen = new Set<string>()
let received = 0
let duplicates = 0
let firstAt = 0
let lastAt = 0

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 1000,
  onData(stream, _session, callback) {
    // The headers come first; the Message-ID is among them.
    let head = ''
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('latin1')
    })
    stream.on('end', () => {
      const id = MESSAGE_ID.exec(head)?.[1]
      const now = performance.timeOrigin + performance.now()
      received++
      if (received === 1) firstAt = now
      lastAt = now
      if (id) {
        if (seen.has(id)) duplicates++
        else seen.add(id)
      }
      callback()
    })
  },
})

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address()
  if (!address || typeof address === 'string') throw new Error('the sink has no port')
  parentPort?.postMessage({ kind: 'listening', port: address.port } satisfies SinkMessage)
})

const progress = setInterval(() => {
  parentPort?.postMessage({ kind: 'progress', received, lastAt } satisfies SinkMessage)
}, 250)

parentPort?.on('message', (request: SinkRequest) => {
  if (request.kind === 'report')
    parentPort?.postMessage({
      kind: 'report',
      received,
      ids: [...seen],
      duplicates,
      firstAt,
      lastAt,
    } satisfies SinkMessage)
  else {
    clearInterval(progress)
    server.close(() => process.exit(0))
  }
})
