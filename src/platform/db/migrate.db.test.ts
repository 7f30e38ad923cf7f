import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ENGINES, openTestDatabase, type TestDatabase } from '../../../test/helpers/databases.ts'
import { PATHS } from '../../app/container.ts'
import { MigrationError, migrate, readMigrations } from './migrate.ts'

describe('the migration files', () => {
  it('are numbered in sequence from 0001 and named NNNN_name.sql', async () => {
    const migrations = await readMigrations(PATHS.migrations)
    assert.ok(migrations.length >= 4)
    for (const [i, m] of migrations.entries()) assert.equal(m.version, i + 1)
  })
})

for (const engine of ENGINES) {
  describe(`migrations on ${engine}`, () => {
    let t: TestDatabase
    before(async () => {
      t = await openTestDatabase(engine)
    })
    after(() => t.drop())

    it('apply every file once, and nothing the second time', async () => {
      const migrations = await readMigrations(PATHS.migrations)
      const first = await migrate(t.database.runScript, migrations)
      assert.equal(first.length, migrations.length)
      assert.deepEqual(await migrate(t.database.runScript, migrations), [])
    })

    it('refuse to run when an applied migration was edited afterwards', async () => {
      const migrations = await readMigrations(PATHS.migrations)
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'changed' } : m))
      await assert.rejects(migrate(t.database.runScript, edited), MigrationError)
    })

    it('roll back a migration that fails half way, leaving nothing behind', async () => {
      const migrations = await readMigrations(PATHS.migrations)
      const broken = {
        version: migrations.length + 1,
        name: 'broken',
        sql: 'create table public.half_done (id int); select no_such_function();',
        checksum: 'x',
      }
      await assert.rejects(migrate(t.database.runScript, [...migrations, broken]))
      const rows = await t.database.runScript((tx) =>
        tx.query<{ n: number }>(
          "select count(*)::int as n from information_schema.tables where table_name = 'half_done'",
        ),
      )
      assert.equal(rows[0]?.n, 0)
    })
  })
}
