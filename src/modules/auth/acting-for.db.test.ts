import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'
import { createManualClock } from '../../platform/clock.ts'

const PNR = {
  maria: '196812032396',
  greta: '194206112387',
  erik: '198111042381',
  vilgot: '201309212395',
  elsa: '202103172389',
  anna: '199705142389',
}

for (const engine of ENGINES) {
  describe(`acting for someone on ${engine}`, () => {
    const clock = createManualClock('2026-11-25T10:00:00Z')
    let c: Container
    let drop: () => Promise<void>
    const id: Record<keyof typeof PNR, string> = {} as never
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine, { clock }))
      for (const [name, pnr] of Object.entries(PNR)) {
        const personId = await c.people.identifyPerson(pnr, 'test')
        assert.ok(personId, name)
        id[name as keyof typeof PNR] = personId
      }
    })
    after(() => drop())

    let key = 0
    const give = (
      fields: Partial<Parameters<Container['auth']['actingFor']['givePowerOfAttorney']>[0]> = {},
    ) =>
      c.auth.actingFor.givePowerOfAttorney({
        principalPersonId: id.greta,
        holderPersonalNumber: '19681203-2396',
        areas: ['elderly-care', 'housing-supplement'],
        validFrom: '2026-11-25',
        validTo: '2027-11-24',
        idempotencyKey: `key-${engine}-${++key}`,
        ...fields,
      })

    it('Greta gives Maria a power of attorney for elderly care and housing supplement; Maria may act within it', async () => {
      clock.set('2026-11-25T10:00:00Z')
      const given = await give()
      assert.equal(given.kind, 'given')
      const right = await c.auth.actingFor.rightOf(id.maria, id.greta)
      assert.deepEqual(right, {
        kind: 'right',
        basis: 'power-of-attorney',
        areas: ['elderly-care', 'housing-supplement'],
        services: ['hemtjanst', 'bostadstillagg-for-pensionarer'],
      })
      assert.deepEqual(
        await c.auth.actingFor.rightOf(id.greta, id.maria),
        { kind: 'none' },
        'not the other way',
      )
      assert.deepEqual(await c.auth.actingFor.rightOf(id.anna, id.greta), { kind: 'none' })

      const gretas = await c.auth.actingFor.listPowersOfAttorney(id.greta)
      assert.equal(gretas.given.length, 1)
      assert.equal(gretas.given[0]?.holder.name, 'Maria Svensson')
      assert.equal(gretas.given[0]?.status, 'valid')
      const marias = await c.auth.actingFor.listPowersOfAttorney(id.maria)
      assert.equal(marias.received[0]?.principal.name, 'Greta Svensson')
      const represented = await c.auth.actingFor.listRepresented(id.maria)
      assert.deepEqual(
        represented.map((r) => [r.name, r.basis, r.validTo]),
        [['Greta Svensson', 'power-of-attorney', '2027-11-24']],
      )
    })

    it('gives the same power once for the same key', async () => {
      const first = await give({ idempotencyKey: `same-${engine}` })
      const again = await give({ idempotencyKey: `same-${engine}` })
      assert.ok(first.kind === 'given' && again.kind === 'given')
      assert.equal(again.id, first.id)
      assert.equal(again.replayed, true)
    })

    it('says what is wrong with a power of attorney, field by field, and stores nothing', async () => {
      const before = (await c.auth.actingFor.listPowersOfAttorney(id.greta)).given.length
      const problems = async (fields: Parameters<typeof give>[0]) => {
        const result = await give(fields)
        assert.equal(result.kind, 'invalid')
        return result.kind === 'invalid' ? result.problems.map((p) => `${p.field}:${p.problem}`) : []
      }
      assert.deepEqual(await problems({ holderPersonalNumber: '19681203-2397' }), [
        'holderPersonalNumber:personal-number-invalid',
      ])
      assert.deepEqual(await problems({ holderPersonalNumber: '19121212-1212' }), [
        'holderPersonalNumber:holder-not-found',
      ])
      assert.deepEqual(await problems({ holderPersonalNumber: PNR.greta }), [
        'holderPersonalNumber:holder-is-principal',
      ])
      assert.deepEqual(await problems({ holderPersonalNumber: PNR.vilgot }), [
        'holderPersonalNumber:holder-not-adult',
      ])
      assert.deepEqual(await problems({ areas: [] }), ['areas:areas-missing'])
      assert.deepEqual(await problems({ areas: ['elderly-care', 'everything'] }), ['areas:area-unknown'])
      assert.deepEqual(await problems({ validFrom: '2026-11-24' }), ['validFrom:from-in-past'])
      assert.deepEqual(await problems({ validFrom: '2026-02-30' }), ['validFrom:date-invalid'])
      assert.deepEqual(await problems({ validTo: '2026-11-24' }), ['validTo:to-before-from'])
      assert.deepEqual(await problems({ validTo: '2031-11-26' }), ['validTo:too-long'])
      assert.equal((await c.auth.actingFor.listPowersOfAttorney(id.greta)).given.length, before)
    })

    it('is valid only between its days', async () => {
      clock.set('2026-11-25T10:00:00Z')
      const result = await give({
        principalPersonId: id.erik,
        holderPersonalNumber: PNR.anna,
        areas: ['parental-benefits'],
        validFrom: '2026-12-01',
        validTo: '2026-12-31',
      })
      assert.equal(result.kind, 'given')
      assert.deepEqual(await c.auth.actingFor.rightOf(id.anna, id.erik), { kind: 'outside-period' })
      clock.set('2026-12-01T10:00:00Z')
      assert.equal((await c.auth.actingFor.rightOf(id.anna, id.erik)).kind, 'right')
      clock.set('2027-01-01T10:00:00Z')
      assert.deepEqual(await c.auth.actingFor.rightOf(id.anna, id.erik), { kind: 'outside-period' })
      assert.deepEqual(await c.auth.actingFor.listRepresented(id.anna), [])
    })

    it('ends at once when withdrawn, and only the principal can withdraw it', async () => {
      clock.set('2026-11-25T10:00:00Z')
      const result = await give({
        principalPersonId: id.anna,
        holderPersonalNumber: PNR.erik,
        areas: ['personal-details'],
      })
      assert.ok(result.kind === 'given')
      assert.equal((await c.auth.actingFor.rightOf(id.erik, id.anna)).kind, 'right')
      assert.deepEqual(await c.auth.actingFor.withdrawPowerOfAttorney(id.erik, result.id), {
        kind: 'not-found',
      })
      assert.deepEqual(await c.auth.actingFor.withdrawPowerOfAttorney(id.anna, result.id), {
        kind: 'withdrawn',
      })
      assert.deepEqual(await c.auth.actingFor.rightOf(id.erik, id.anna), { kind: 'none' })
      assert.deepEqual(await c.auth.actingFor.withdrawPowerOfAttorney(id.anna, result.id), {
        kind: 'not-found',
      })
      const annas = await c.auth.actingFor.listPowersOfAttorney(id.anna)
      assert.equal(annas.given.find((p) => p.id === result.id)?.status, 'withdrawn')
    })

    it('lets a guardian act for a child in custody until the day the child turns 18', async () => {
      // Vilgot was born on 21 September 2013.
      clock.set('2031-09-20T10:00:00Z')
      assert.deepEqual(await c.auth.actingFor.rightOf(id.erik, id.vilgot), {
        kind: 'right',
        basis: 'custody',
        areas: 'all',
        services: 'all',
      })
      const represented = await c.auth.actingFor.listRepresented(id.erik)
      assert.deepEqual(
        represented.map((r) => [r.name, r.basis, r.validTo]),
        [
          ['Vilgot Lindqvist', 'custody', '2031-09-20'],
          ['Elsa Lindqvist', 'custody', '2039-03-16'],
        ],
      )
      clock.set('2031-09-21T10:00:00Z')
      assert.deepEqual(await c.auth.actingFor.rightOf(id.erik, id.vilgot), { kind: 'none' })
      assert.deepEqual(
        (await c.auth.actingFor.listRepresented(id.erik)).map((r) => r.name),
        ['Elsa Lindqvist'],
      )
      assert.deepEqual(
        await c.auth.actingFor.rightOf(id.vilgot, id.erik),
        { kind: 'none' },
        'not the other way',
      )
      assert.deepEqual(
        await c.auth.actingFor.rightOf(id.greta, id.maria),
        { kind: 'none' },
        'a grown-up child is not in custody',
      )
    })

    it('lets a proxy read through the one door only within the areas, and logs who read on whose behalf', async () => {
      clock.set('2026-11-25T10:00:00Z')
      const maria = { kind: 'person' as const, personId: id.maria }
      const read = (scope: string, onBehalfOf: string | null = id.greta) =>
        c.people.readPerson({
          actor: maria,
          purpose: 'application',
          personId: id.greta,
          ...(onBehalfOf ? { onBehalfOf } : {}),
          scope,
        })
      assert.equal((await read('elderly-care'))?.identity?.givenName, 'Greta')
      assert.equal((await read('service:hemtjanst'))?.identity?.givenName, 'Greta')
      assert.equal(await read('personal-details'), undefined, 'the power does not cover personal details')
      assert.equal(await read('service:tillfallig-foraldrapenning-vab'), undefined)
      assert.equal(await read('elderly-care', null), undefined, 'acting for someone is said out loud')
      assert.equal(
        await c.people.readPerson({ actor: maria, purpose: 'case-handling', personId: id.greta }),
        undefined,
      )
      const rows = await sql<{
        actor_id: string
        on_behalf_of: string
        legal_basis: string
        purpose: string
      }>`
        select actor_id, on_behalf_of::text, legal_basis, purpose from people.access_log
        where person_id = ${id.greta} and actor_kind = 'person' and actor_id = ${id.maria}
        and purpose = 'application'`.execute(c.database.db)
      assert.ok(rows.rows.length >= 2)
      for (const row of rows.rows) {
        assert.equal(row.on_behalf_of, id.greta)
        assert.equal(row.legal_basis, 'power-of-attorney')
        assert.equal(row.purpose, 'application')
      }
    })
  })
}
