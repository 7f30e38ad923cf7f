// Databases of their own on the PostgreSQL server for a benchmark run: made fresh, dropped after.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import pg from 'pg'

/**
 * PostgreSQL on this machine: through its Unix socket when it has one, as Samla on the same host as
 * its database connects, else over TCP on 127.0.0.1:5432. BENCH_DATABASE_URL chooses another.
 */
const SOCKET_DIR = '/var/run/postgresql'
export const SERVER_URL =
  process.env.BENCH_DATABASE_URL ??
  (existsSync(`${SOCKET_DIR}/.s.PGSQL.5432`)
    ? `postgres://postgres@${encodeURIComponent(SOCKET_DIR)}/postgres`
    : 'postgres://postgres@127.0.0.1:5432/postgres')

/** The server's URL with another database. */
export function urlOf(database: string): string {
  const url = new URL(SERVER_URL)
  url.pathname = `/${database}`
  return url.toString()
}

/** Runs one statement on the server's maintenance database. */
export async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

export const freshName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`
export const createDatabase = (name: string) => admin(`create database ${name}`)

/** Drops the database once its connections are gone (a pool's end does not wait for its sockets). */
export async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL })
  await client.connect()
  try {
    for (let waited = 0; waited < 2000; waited += 50) {
      const { rows } = await client.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1',
        [name],
      )
      if (rows[0]?.n === 0) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await client.query(`drop database if exists ${name} with (force)`)
  } finally {
    await client.end()
  }
}
