// `samla audit verify` as an operator runs it: a process against the database, OK with the counts
// while every chain holds, and the broken link named, with exit code 1, once a record is changed.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { loadConfig } from '../../src/app/config.ts'
import { createContainer, seed } from '../../src/app/container.ts'
import { TEST_DATABASE_URL } from '../helpers/databases.ts'

const CLI = fileURLToPath(new URL('../../src/main/cli.ts', import.meta.url))

function samla(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } }, (error, stdout) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    )
  })
}

describe('samla audit verify', () => {
  const name = `samla_test_${randomBytes(6).toString('hex')}`
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  const env = { DATABASE_URL: url.toString(), LOG_LEVEL: 'silent', SAMLA_TODAY: '2026-11-25' }
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }

  before(async () => {
    await admin(`create database ${name}`)
    const container = await createContainer(
      loadConfig({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'samla-test-')) }),
    )
    try {
      await seed(container)
      await container.people.identifyPerson('198111042381', 'login')
    } finally {
      await container.close()
    }
  })
  after(() => admin(`drop database if exists ${name} with (force)`))

  it('says OK, with how many chains and records it walked', async () => {
    const { code, stdout } = await samla(['audit', 'verify'], env)
    assert.equal(code, 0, stdout)
    assert.match(stdout, /^OK: \d+ chains, \d+ access records, every chain whole$/m)
  })

  it('names the person, the record and what is wrong, and exits 1', async () => {
    const client = new pg.Client({ connectionString: env.DATABASE_URL })
    await client.connect()
    let target: { id: string; person_id: string }
    try {
      await client.query('begin')
      await client.query('alter table people.access_log disable trigger user')
      target = (
        await client.query<{ id: string; person_id: string }>(
          `update people.access_log set purpose = 'profile'
           where id = (select id from people.access_log where purpose = 'login' order by id limit 1)
           returning id, person_id`,
        )
      ).rows[0] as { id: string; person_id: string }
      await client.query('alter table people.access_log enable trigger user')
      await client.query('commit')
    } finally {
      await client.end()
    }
    const { code, stdout } = await samla(['audit', 'verify'], env)
    assert.equal(code, 1)
    assert.match(stdout, /^BROKEN: 1 of \d+ chains/m)
    assert.match(stdout, new RegExp(`person ${target.person_id}, record 2 \\(id ${target.id}\\): changed`))
  })
})
