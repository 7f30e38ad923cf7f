// Store tests run against both engines Samla supports: embedded PGlite and a PostgreSQL server.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Tables } from '../../src/app/container.ts'
import { type Database, openDatabase } from '../../src/platform/db/database.ts'

export const ENGINES = ['pglite', 'postgres'] as const
export type Engine = (typeof ENGINES)[number]

/** The server the PostgreSQL half of the tests uses; each test file gets its own database on it. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
  database: Database<Tables>
  /** Closes the connections and removes the database. */
  drop(): Promise<void>
}

export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const database = await openDatabase<Tables>({ memory: true })
    return { database, drop: () => database.close() }
  }
  const name = `samla_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  try {
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  const database = await openDatabase<Tables>({ databaseUrl: url.toString(), poolSize: 4 })
  return {
    database,
    async drop() {
      await database.close()
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await cleanup.connect()
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`)
      } finally {
        await cleanup.end()
      }
    },
  }
}
