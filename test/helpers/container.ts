import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/app/config.ts'
import { type Container, createContainer, seed } from '../../src/app/container.ts'
import { type Clock, createClock } from '../../src/platform/clock.ts'
import { type Engine, openTestDatabase } from './databases.ts'

export const TODAY = '2026-11-25'

/** Samla's services on a fresh database of the given engine, seeded, with "today" fixed. */
export async function buildTestContainer(
  engine: Engine,
  options: { clock?: Clock; env?: Record<string, string>; seed?: boolean } = {},
): Promise<{ container: Container; drop(): Promise<void> }> {
  const testDb = await openTestDatabase(engine)
  const config = loadConfig({
    SAMLA_TODAY: TODAY,
    PORT: '3999',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'samla-test-')),
    LOG_LEVEL: 'silent',
    ...options.env,
  })
  const container = await createContainer(config, {
    database: testDb.database,
    clock: options.clock ?? createClock(TODAY),
  })
  if (options.seed !== false) await seed(container)
  return { container, drop: testDb.drop }
}
