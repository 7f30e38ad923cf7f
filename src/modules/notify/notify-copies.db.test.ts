import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'
import { createJobWorker } from '../../app/jobs.ts'
import { createManualClock } from '../../platform/clock.ts'
import type { Worker } from '../../platform/jobs/worker.ts'

const PNR = { greta: '194206112387', maria: '196812032396' }
const caseId = '5d0c3b52-8d8e-4a7e-b7a4-2f3f1c1d9e02'

for (const engine of ENGINES) {
  describe(`copies of notifications to those acting for the person on ${engine}`, () => {
    const clock = createManualClock('2026-11-25T09:00:00Z')
    let c: Container
    let drop: () => Promise<void>
    let worker: Worker
    const id = { greta: '', maria: '' }
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine, { clock }))
      worker = createJobWorker(c, { concurrency: 4 })
      for (const name of ['greta', 'maria'] as const) {
        const personId = await c.people.identifyPerson(PNR[name], 'test')
        assert.ok(personId, name)
        id[name] = personId
      }
      const maria = await c.notify.savePreferences(id.maria, {
        channels: ['email'],
        language: 'sv',
        email: 'maria.svensson@example.se',
      })
      assert.equal(maria.kind, 'valid')
    })
    after(() => drop())

    let key = 0
    const tellGreta = () =>
      c.notify.sendNotification({
        personId: id.greta,
        template: 'case-decision',
        data: { caseId },
        uniqueKey: `decision:${engine}:${++key}`,
      })
    const gretaPreferences = (copyToRepresentatives: boolean) =>
      c.notify.savePreferences(id.greta, {
        channels: ['email'],
        language: 'sv',
        email: 'greta.svensson@example.se',
        copyToRepresentatives,
      })
    const mailOf = async (personId: string) => (await c.notify.listMailbox(personId))?.mail ?? []

    it('sends Maria, who holds Greta’s power of attorney, a copy when Greta wants it; no more once it is withdrawn', async () => {
      const given = await c.auth.actingFor.givePowerOfAttorney({
        principalPersonId: id.greta,
        holderPersonalNumber: PNR.maria,
        areas: ['elderly-care'],
        validFrom: '2026-11-25',
        validTo: '2027-11-24',
        idempotencyKey: `copies-${engine}`,
      })
      assert.equal(given.kind, 'given')
      if (given.kind !== 'given') return
      const saved = await gretaPreferences(true)
      assert.equal(saved.kind, 'valid')
      assert.equal((await c.notify.readPreferences(id.greta)).copyToRepresentatives, true)
      const gretasRecords = await c.people.countAccessRecords(id.greta)

      assert.equal((await tellGreta()).kind, 'queued')
      assert.equal(await worker.drain(), 2)
      const gretasMail = await mailOf(id.greta)
      assert.equal(gretasMail.length, 1)
      assert.doesNotMatch(gretasMail[0]?.text ?? '', /Kopia/)
      const mariasMail = await mailOf(id.maria)
      assert.equal(mariasMail.length, 1)
      assert.deepEqual(mariasMail[0]?.to, ['maria.svensson@example.se'])
      assert.match(mariasMail[0]?.text ?? '', /^Kopia: meddelande till Greta \S+, som du har fullmakt för\./)
      // Maria was told Greta's name: a read of Greta's identity by Maria, recorded for Greta.
      assert.equal(await c.people.countAccessRecords(id.greta), gretasRecords + 1)
      const read = await c.database.db
        .selectFrom('people.access_log')
        .select(['actor_id', 'on_behalf_of', 'purpose', 'data_categories'])
        .where('person_id', '=', id.greta)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      assert.deepEqual(read, {
        actor_id: id.maria,
        on_behalf_of: id.greta,
        purpose: 'power-of-attorney',
        data_categories: ['identity'],
      })

      const withdrawn = await c.auth.actingFor.withdrawPowerOfAttorney(id.greta, given.id)
      assert.equal(withdrawn.kind, 'withdrawn')
      assert.equal((await tellGreta()).kind, 'queued')
      assert.equal(await worker.drain(), 1)
      assert.equal((await mailOf(id.greta)).length, 2)
      assert.equal((await mailOf(id.maria)).length, 1)
    })

    it('sends Maria nothing when Greta has copies off', async () => {
      const given = await c.auth.actingFor.givePowerOfAttorney({
        principalPersonId: id.greta,
        holderPersonalNumber: PNR.maria,
        areas: ['elderly-care'],
        validFrom: '2026-11-25',
        validTo: '2027-11-24',
        idempotencyKey: `no-copies-${engine}`,
      })
      assert.equal(given.kind, 'given')
      assert.equal((await gretaPreferences(false)).kind, 'valid')
      const mariasBefore = (await mailOf(id.maria)).length
      assert.equal((await tellGreta()).kind, 'queued')
      assert.equal(await worker.drain(), 1)
      assert.equal((await mailOf(id.maria)).length, mariasBefore)
      assert.equal((await c.notify.listDeliveries(id.maria)).length, mariasBefore)
    })
  })
}
