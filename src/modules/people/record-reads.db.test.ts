// Completeness, on both engines: personal data is read only where the read is recorded. Samla runs
// its tests with the access guard on, so any read that no scope vouches for fails where it is
// written; these tests show the guard and the recorded scopes at work.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import { type Container, PERSONAL_DATA_TABLES } from '../../app/container.ts'
import { UNRECORDED_ACCESS } from '../../app/unrecorded-access.ts'
import { UnrecordedAccessError } from '../../platform/access-scope.ts'
import { createAccessGuard } from '../../platform/db/access-guard.ts'
import type { Actor, Purpose } from './index.ts'

for (const engine of ENGINES) {
  describe(`recorded reads on ${engine}`, () => {
    let c: Container
    let drop: () => Promise<void>
    let erik: string
    let elsa: string
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine))
      erik = (await c.people.identifyPerson('198111042381', 'test')) as string
      elsa = (await c.people.identifyPerson('202103172389', 'test')) as string
    })
    after(() => drop())

    const guarded = () =>
      c.database.db.withPlugin(
        createAccessGuard({ tables: PERSONAL_DATA_TABLES, unrecordedReasons: UNRECORDED_ACCESS }),
      )
    const records = (personId: string) =>
      c.database.db
        .selectFrom('people.access_log')
        .select(['actor_kind', 'actor_id', 'purpose', 'data_categories'])
        .where('person_id', '=', personId)
        .orderBy('seq')
        .execute()

    it('runs every test with the guard on', () => {
      assert.equal(c.config.accessGuard, true)
    })

    it('fails a read of a person, or of a case, that no scope vouches for', async () => {
      const db = guarded()
      await assert.rejects(
        db.selectFrom('people.persons').select('given_name').where('id', '=', erik).execute(),
        UnrecordedAccessError,
      )
      await assert.rejects(db.selectFrom('cases.cases').selectAll().execute(), UnrecordedAccessError)
    })

    it('fails a read without an actor or a purpose, loudly', async () => {
      await assert.rejects(
        c.people.readPerson({ purpose: 'profile', personId: erik } as never),
        /needs an actor/,
      )
      await assert.rejects(
        c.people.readPerson({
          actor: { kind: 'person', personId: erik },
          purpose: 'curiosity' as Purpose,
          personId: erik,
        }),
        /needs a purpose Samla knows/,
      )
      await assert.rejects(
        c.people.access.read({ actor: undefined as unknown as Actor, purpose: 'profile' }, async () => 1),
        UnrecordedAccessError,
      )
    })

    it('fails a recorded read that returns someone’s data but records no one', async () => {
      const db = guarded()
      const before = (await records(erik)).length
      await assert.rejects(
        c.people.access.read(
          {
            actor: { kind: 'caseworker', subject: 'k', agencyId: 'forsakringskassan' },
            purpose: 'case-handling',
          },
          () => db.selectFrom('people.persons').select('given_name').where('id', '=', erik).execute(),
        ),
        /recorded no one’s read/,
      )
      assert.equal((await records(erik)).length, before)
    })

    it('leaves one record per person for a use case that reads them several ways', async () => {
      const actor: Actor = { kind: 'caseworker', subject: 'karin', agencyId: 'forsakringskassan' }
      const before = (await records(erik)).length
      const db = guarded()
      await c.people.access.read({ actor, purpose: 'case-handling' }, async (scope) => {
        await db.selectFrom('cases.cases').select('id').where('person_id', '=', erik).execute()
        scope.record(erik, ['cases'])
        // A nested read for the same reader and reason joins this one.
        await c.people.access.read({ actor, purpose: 'case-handling' }, async (inner) => {
          await db.selectFrom('people.persons').select('given_name').where('id', '=', erik).execute()
          inner.record(erik, ['identity'])
        })
      })
      const added = (await records(erik)).slice(before)
      assert.equal(added.length, 1)
      assert.deepEqual(added[0]?.data_categories, ['cases', 'identity'])
      assert.equal(added[0]?.actor_id, 'karin')
    })

    it('writes the records of many reads at once in a few statements, every one in its chain', async () => {
      const before = (await records(elsa)).length
      await Promise.all(
        Array.from({ length: 30 }, () =>
          c.people.readPerson({
            actor: { kind: 'person', personId: erik },
            purpose: 'profile',
            personId: erik,
          }),
        ),
      )
      assert.equal(
        (await records(elsa)).length,
        before + 30,
        'Elsa’s name, read with each of Erik’s profiles',
      )
      assert.deepEqual((await c.people.verifyAccessChains()).broken, [])
    })
  })
}
