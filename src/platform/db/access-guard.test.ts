// The access guard refuses a query on a table of personal data unless an access scope vouches for
// it: a recorded read, the person's own data, or a reason on the reviewed list. No database is
// needed to see it: the guard acts before the query leaves.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely'
import { ownData, runInAccessScope, UnrecordedAccessError, withoutRecord } from '../access-scope.ts'
import { createAccessGuard, tablesOf } from './access-guard.ts'

interface Tables {
  'people.persons': { id: string; given_name: string }
  'people.relations': { person_id: string; related_person_id: string }
  'catalog.services': { id: string }
}

const guard = createAccessGuard({
  tables: ['people.persons', 'people.relations'],
  unrecordedReasons: { 'register-import': 'the import writes, no one reads' },
})
const plain = new Kysely<Tables>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})
const db = plain.withPlugin(guard)

const readPersons = () => db.selectFrom('people.persons').selectAll().execute()

describe('the access guard', () => {
  it('refuses to read a person outside any access scope, and says how to read instead', async () => {
    await assert.rejects(readPersons(), (error: Error) => {
      assert.ok(error instanceof UnrecordedAccessError)
      assert.match(error.message, /people\.persons ran outside any access scope/)
      assert.match(error.message, /people\.readPerson/)
      return true
    })
  })

  it('finds the table in a join, a subquery, a write and in raw SQL', async () => {
    const guarded = new Set(['people.persons', 'people.relations'])
    const cases = [
      plain
        .selectFrom('catalog.services')
        .innerJoin('people.persons', 'people.persons.id', 'catalog.services.id'),
      plain
        .selectFrom('catalog.services')
        .where('id', 'in', (eb) => eb.selectFrom('people.relations').select('person_id')),
      plain.updateTable('people.persons').set({ given_name: 'x' }),
      plain.deleteFrom('people.relations'),
      plain.insertInto('people.persons').values({ id: 'x', given_name: 'y' }),
    ]
    for (const query of cases) assert.equal(tablesOf(query.toOperationNode(), guarded).size, 1)
    assert.deepEqual(
      [...tablesOf(sql`select * from people.persons`.toOperationNode() as never, guarded)],
      ['people.persons'],
    )
    await assert.rejects(sql`select * from people.relations`.execute(db), UnrecordedAccessError)
  })

  it('lets other tables be', async () => {
    await db.selectFrom('catalog.services').selectAll().execute()
  })

  it('lets a person read their own data, and a recorded read go on', async () => {
    await ownData('a-person', readPersons)
    await runInAccessScope(
      { kind: 'recorded', label: 'caseworker for case-handling', rowsRead: 0 },
      readPersons,
    )
  })

  it('lets a reviewed reason through, and no other', async () => {
    await withoutRecord('register-import', readPersons)
    await assert.rejects(withoutRecord('just-looking', readPersons), /not on the reviewed list/)
  })

  it('keeps the scope across awaits and into nested work', async () => {
    await ownData('a-person', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      await Promise.all([readPersons(), readPersons()])
    })
  })

  it('refuses a scope for one’s own data without the person', () => {
    assert.throws(() => ownData('', readPersons), UnrecordedAccessError)
  })
})
