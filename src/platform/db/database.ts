// One query layer (Kysely) over two engines that speak the same SQL: PGlite, embedded Postgres in
// a folder, by default; PostgreSQL when a connection string is given. See docs/adr/0002.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

/** Runs a script of SQL statements (no parameters) inside one transaction. */
export type ScriptRunner = <T>(work: (tx: ScriptTransaction) => Promise<T>) => Promise<T>
export interface ScriptTransaction {
  exec(sql: string): Promise<void>
  query<R>(sql: string, params?: unknown[]): Promise<R[]>
}

export interface Database<DB> {
  db: Kysely<DB>
  engine: 'pglite' | 'postgres'
  runScript: ScriptRunner
  /**
   * PostgreSQL only: runs `COPY … FROM STDIN` statements on one connection inside one transaction,
   * for loads too large for INSERT. Each call of `copy` sends one block of rows in COPY's text
   * format and resolves when the server has taken them.
   */
  bulkLoad?: BulkLoader
  close(): Promise<void>
}

export type BulkLoader = <T>(
  work: (copy: (statement: string, rows: string) => Promise<void>) => Promise<T>,
) => Promise<T>

export type DatabaseOptions =
  | { databaseUrl: string; poolSize?: number }
  | { dataDir: string }
  | { memory: true }

// Dates stay strings (YYYY-MM-DD): a calendar date has no time zone, and a Date would give it one.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v)
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

export async function openDatabase<DB>(options: DatabaseOptions): Promise<Database<DB>> {
  if ('databaseUrl' in options) return openPostgres<DB>(options.databaseUrl, options.poolSize ?? 10)
  return openPglite<DB>('memory' in options ? undefined : options.dataDir)
}

async function openPostgres<DB>(connectionString: string, max: number): Promise<Database<DB>> {
  const pool = new pg.Pool({ connectionString, max })
  // An idle connection can be cut by the server (restart, failover); the pool replaces it. Without
  // a listener the error would end the process.
  pool.on('error', (error) => console.warn(`PostgreSQL closed an idle connection: ${error.message}`))
  // Fail at start, with the server's own words, rather than at the first request.
  const probe = await pool.connect()
  probe.release()
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    engine: 'postgres',
    async runScript(work) {
      const client = await pool.connect()
      try {
        await client.query('begin')
        const result = await work({
          exec: async (sql) => {
            await client.query(sql)
          },
          query: async (sql, params) => (await client.query(sql, params)).rows,
        })
        await client.query('commit')
        return result
      } catch (error) {
        await client.query('rollback')
        throw error
      } finally {
        client.release()
      }
    },
    async bulkLoad(work) {
      const client = await pool.connect()
      try {
        await client.query('begin')
        const result = await work(async (statement, rows) => {
          const stream = client.query(copyFrom(statement))
          await pipeline(Readable.from([rows]), stream)
        })
        await client.query('commit')
        return result
      } catch (error) {
        await client.query('rollback').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
    async close() {
      await db.destroy()
      // Kysely ends the pool only if it ever used it; the pool may have served scripts alone.
      if (!pool.ended) await pool.end()
    },
  }
}

/**
 * PGlite's own start parameters, with smaller shared buffers: one process uses this database, and
 * 16 MB keeps the embedded default well under Samla's memory budget (PostgreSQL itself defaults to
 * 128 MB, sized for many connections).
 */
const PGLITE_START_PARAMS = [
  '--single',
  '-F',
  '-O',
  '-j',
  ...['search_path=public', 'exit_on_error=false', 'log_checkpoints=false', 'max_worker_processes=0'],
  ...[
    'max_parallel_workers=0',
    'max_parallel_workers_per_gather=0',
    'io_method=sync',
    'max_parallel_maintenance_workers=0',
  ],
  'shared_buffers=16MB',
].flatMap((p) => (p.includes('=') ? ['-c', p] : [p]))

/**
 * Creates the cluster (initdb) in a short-lived child process. initdb grows PGlite's WebAssembly
 * memory to about twice what running needs, and a process does not give that memory back.
 */
async function createPgliteCluster(dir: string): Promise<void> {
  const script = `const { PGlite } = await import('@electric-sql/pglite')
    const db = await PGlite.create(process.argv[1], { startParams: JSON.parse(process.argv[2]) })
    await db.close()`
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', script, dir, JSON.stringify(PGLITE_START_PARAMS)],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        cwd: fileURLToPath(new URL('.', import.meta.url)),
      },
    )
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`creating the PGlite database in ${dir} failed (${code})`)),
    )
  })
}

async function openPglite<DB>(dataDir: string | undefined): Promise<Database<DB>> {
  let dir: string | undefined
  if (dataDir) {
    dir = join(dataDir, 'pglite')
    await mkdir(dir, { recursive: true })
  }
  const options = {
    parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v), 1700: (v: string) => Number(v) },
    startParams: PGLITE_START_PARAMS,
  }
  if (dir && !existsSync(join(dir, 'PG_VERSION'))) await createPgliteCluster(dir)
  const pglite = await PGlite.create(dir, options)
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) })
  return {
    db,
    engine: 'pglite',
    runScript: (work) =>
      pglite.transaction((tx) =>
        work({
          exec: async (sql) => {
            await tx.exec(sql)
          },
          query: async (sql, params) => (await tx.query(sql, params)).rows as never,
        }),
      ),
    async close() {
      await db.destroy()
      if (!pglite.closed) await pglite.close()
    },
  }
}
