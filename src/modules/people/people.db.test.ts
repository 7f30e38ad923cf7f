import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'

for (const engine of ENGINES) {
  describe(`people on ${engine}`, () => {
    let c: Container
    let drop: () => Promise<void>
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine))
    })
    after(() => drop())

    const idOf = async (pnr: string) => {
      const id = await c.people.identifyPerson(pnr, 'test')
      assert.ok(id, pnr)
      return id
    }

    it('knows Erik’s children and spouse from the register, both ways', async () => {
      const erik = await idOf('198111042381')
      const data = await c.people.readPerson({
        actor: { kind: 'person', personId: erik },
        purpose: 'profile',
        personId: erik,
      })
      const children = data?.family?.filter((f) => f.kind === 'child').map((f) => f.givenName)
      assert.deepEqual(children?.sort(), ['Elsa', 'Vilgot'])
      assert.ok(data?.family?.some((f) => f.kind === 'spouse' && f.givenName === 'Lina'))
      const elsa = await idOf('202103172389')
      const elsasView = await c.people.readPerson({
        actor: { kind: 'person', personId: elsa },
        purpose: 'profile',
        personId: elsa,
      })
      assert.deepEqual(
        elsasView?.family
          ?.filter((f) => f.kind === 'parent')
          .map((f) => f.givenName)
          .sort(),
        ['Erik', 'Lina'],
      )
    })

    it('imports again without duplicating anyone', async () => {
      const before = await c.people.importFromRegister()
      const again = await c.people.importFromRegister()
      assert.equal(before, again)
      const erik = await idOf('198111042381')
      const data = await c.people.readPerson({
        actor: { kind: 'person', personId: erik },
        purpose: 'profile',
        personId: erik,
      })
      assert.equal(data?.family?.filter((f) => f.kind === 'child').length, 2)
    })

    it('logs every read with actor, purpose and legal basis, including the relatives named', async () => {
      const erik = await idOf('198111042381')
      const elsa = await idOf('202103172389')
      const erikBefore = await c.people.countAccessRecords(erik)
      const elsaBefore = await c.people.countAccessRecords(elsa)
      await c.people.readPerson({
        actor: { kind: 'person', personId: erik },
        purpose: 'personal-plan',
        personId: erik,
      })
      assert.equal(await c.people.countAccessRecords(erik), erikBefore + 1)
      assert.equal(await c.people.countAccessRecords(elsa), elsaBefore + 1)
    })

    it('gives the purpose only the categories it needs', async () => {
      const anna = await idOf('199705142389')
      const plan = await c.people.readPerson({
        actor: { kind: 'person', personId: anna },
        purpose: 'personal-plan',
        personId: anna,
      })
      assert.equal(plan?.identity, undefined, 'a plan needs no name or personal number')
      assert.equal(plan?.circumstances?.[0]?.data.expectedDate, '2027-03-12')
      const login = await c.people.readPerson({
        actor: { kind: 'samla', process: 'login' },
        purpose: 'login',
        personId: anna,
      })
      assert.equal(login?.address, undefined)
      assert.equal(login?.identity?.givenName, 'Anna')
    })

    it('lets no one read another person’s data, and logs nothing when refused', async () => {
      const anna = await idOf('199705142389')
      const greta = await idOf('194206112387')
      const before = await c.people.countAccessRecords(greta)
      const read = await c.people.readPerson({
        actor: { kind: 'person', personId: anna },
        purpose: 'profile',
        personId: greta,
      })
      assert.equal(read, undefined)
      assert.equal(await c.people.countAccessRecords(greta), before)
    })

    it('does not know a number that is not in the register', async () => {
      assert.equal(await c.people.identifyPerson('201701022384', 'test'), undefined)
    })
  })
}
