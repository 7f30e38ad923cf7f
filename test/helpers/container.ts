import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/app/config.ts'
import { type Container, createContainer, seed } from '../../src/app/container.ts'
import type { PushSender } from '../../src/modules/notify/index.ts'
import { type Clock, createClock } from '../../src/platform/clock.ts'
import { type Engine, openTestDatabase } from './databases.ts'

export const TODAY = '2026-11-25'

/** Samla's services on a fresh database of the given engine, seeded, with "today" fixed. */
export async function buildTestContainer(
  engine: Engine,
  options: { clock?: Clock; env?: Record<string, string>; seed?: boolean; pushSender?: PushSender } = {},
): Promise<{ container: Container; drop(): Promise<void> }> {
  const testDb = await openTestDatabase(engine)
  const config = loadConfig({
    SAMLA_TODAY: TODAY,
    PORT: '3999',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'samla-test-')),
    LOG_LEVEL: 'silent',
    // Every test runs with the access guard: a read of personal data without a record fails.
    ACCESS_GUARD: 'on',
    ...options.env,
  })
  const container = await createContainer(config, {
    database: testDb.database,
    clock: options.clock ?? createClock(TODAY),
    ...(options.pushSender ? { pushSender: options.pushSender } : {}),
  })
  if (options.seed !== false) await seed(container)
  return {
    container,
    async drop() {
      // The container holds more than the database (the development mailbox's SMTP server).
      await container.close()
      await testDb.drop()
    },
  }
}
