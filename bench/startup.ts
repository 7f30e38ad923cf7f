// npm run bench:startup – start Samla as `npm start` does, from an empty data folder, and measure
// the time until /healthz answers 200 and the memory the process holds once it is ready.
// Goal: under 10 s and under 300 MB. The last line is the figures as JSON.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test/helpers/free-port.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)

/** Exactly what `npm start` runs, flags included. */
const START_ARGS = (
  JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .slice(1)

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

async function once(): Promise<{ seconds: number; rss: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'samla-bench-'))
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, START_ARGS, {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Samla exited with ${child.exitCode}`)
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`)
        if (res.status === 200) break
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 60_000) throw new Error('not ready after 60 s')
      await new Promise((r) => setTimeout(r, 50))
    }
    const seconds = (performance.now() - started) / 1000
    // The first page view loads templates and the catalogue: count it, as a person would.
    await (await fetch(`http://127.0.0.1:${port}/`)).text()
    await new Promise((r) => setTimeout(r, 500))
    return { seconds, rss: rssMb(child.pid as number) }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const results = []
for (let i = 0; i < RUNS; i++) {
  const r = await once()
  results.push(r)
  process.stdout.write(`run ${i + 1}: ready in ${r.seconds.toFixed(2)} s, ${r.rss.toFixed(0)} MB resident\n`)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const startupSeconds = Number(median(results.map((r) => r.seconds)).toFixed(2))
const rss = Number(median(results.map((r) => r.rss)).toFixed(0))
process.stdout.write(
  `\nStart from an empty data folder to ready (median of ${RUNS}): ${startupSeconds} s (goal < 10 s)\n`,
)
process.stdout.write(`Resident memory after start and a first page: ${rss} MB (goal < 300 MB)\n`)
process.stdout.write(`${JSON.stringify({ startupSeconds, rssMb: rss })}\n`)
