// Small drift test: every job a module declares (an exported constant named '<module>.<what>') has
// a handler in app/jobs.ts, and every handler there belongs to a declared job.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { buildTestContainer } from '../../test/helpers/container.ts'
import type { Container } from './container.ts'
import { createJobWorker, jobHandlers } from './jobs.ts'

const MODULES = fileURLToPath(new URL('../modules/', import.meta.url))

/**
 * Events a module writes that are named for where they come from rather than for the module: the
 * people module writes the registers' events (register-event.recorded).
 */
const NAMED_FOR_THEIR_SOURCE: Record<string, string[]> = { people: ['register-event'] }

/** Job names as modules declare them: an exported constant '<module>.<what>' in the module. */
function declaredJobs(): string[] {
  const names: string[] = []
  for (const module of readdirSync(MODULES))
    for (const file of readdirSync(join(MODULES, module)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    ))
      for (const m of readFileSync(join(MODULES, module, file), 'utf8').matchAll(
        /^export const [A-Z_]+ = '([a-z-]+)\.([a-z-]+)'/gm,
      ))
        if (m[1] === module || NAMED_FOR_THEIR_SOURCE[module]?.includes(m[1] as string))
          names.push(`${m[1]}.${m[2]}`)
  return names.sort()
}

describe('the jobs', () => {
  let c: Container
  let drop: () => Promise<void>
  before(async () => {
    ;({ container: c, drop } = await buildTestContainer('pglite', { seed: false }))
  })
  after(() => drop())

  it('each have a handler, and each handler a job', () => {
    const declared = declaredJobs()
    assert.ok(declared.includes('cases.inbox-message-posted'))
    assert.ok(declared.includes('notify.deliver-message'))
    assert.deepEqual(Object.keys(jobHandlers(c)).sort(), declared)
  })

  it('ask, as running workers, for one scan of today’s date triggers however many workers ask', async () => {
    const queuedScans = async () =>
      (
        await c.database.db
          .selectFrom('jobs.jobs')
          .select('name')
          .where('name', '=', 'proactive.scan-date-triggers')
          .execute()
      ).length
    const first = createJobWorker(c, { dailyScan: true, pollMs: 20 })
    const second = createJobWorker(c, { dailyScan: true, pollMs: 20 })
    first.start()
    second.start()
    await first.stop()
    await second.stop()
    const queued = await queuedScans()
    assert.equal(queued, 1, 'one partition of today on the embedded database, asked for once')
    const plain = createJobWorker(c, { pollMs: 20 })
    plain.start()
    await plain.stop()
    assert.equal(await queuedScans(), queued)
  })
})
