import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ScriptRunner } from './database.ts'

export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

export class MigrationError extends Error {}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/

/** Reads db/migrations: NNNN_name.sql, numbered without gaps from 0001. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  const migrations: Migration[] = []
  for (const [index, file] of files.entries()) {
    const match = FILE_NAME.exec(file)
    if (!match) throw new MigrationError(`${file}: a migration is named NNNN_name.sql`)
    const version = Number(match[1])
    if (version !== index + 1)
      throw new MigrationError(`${file}: expected number ${String(index + 1).padStart(4, '0')}`)
    const sql = await readFile(join(dir, file), 'utf8')
    migrations.push({
      version,
      name: match[2] ?? file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    })
  }
  return migrations
}

/**
 * Applies the migrations not yet applied, each in its own transaction. Several processes may start
 * at once against one PostgreSQL: an advisory lock lets one apply while the others wait. An applied
 * migration whose file has changed stops the start: migrations are forward only.
 */
export async function migrate(runScript: ScriptRunner, migrations: Migration[]): Promise<string[]> {
  await runScript(async (tx) => {
    await tx.exec(`create table if not exists public.schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`)
  })
  const applied: string[] = []
  for (const m of migrations) {
    const done = await runScript(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(7223350)')
      const rows = await tx.query<{ checksum: string }>(
        'select checksum from public.schema_migrations where version = $1',
        [m.version],
      )
      const existing = rows[0]
      if (existing) {
        if (existing.checksum !== m.checksum)
          throw new MigrationError(
            `migration ${m.version} (${m.name}) was changed after it was applied; add a new one`,
          )
        return false
      }
      await tx.exec(m.sql)
      await tx.query('insert into public.schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ])
      return true
    })
    if (done) applied.push(`${String(m.version).padStart(4, '0')}_${m.name}`)
  }
  return applied
}
