// Barnbidrag without application, on both engines: a registered birth has Försäkringskassan's rules
// decide for each guardian (split between two, the large-family supplement over the household's
// children), the plans of both guardians move on by themselves, and a birth sent again grants
// nothing twice.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'
import { createJobWorker } from '../../app/jobs.ts'
import type { Worker } from '../../platform/jobs/worker.ts'

const ANNA = '199705142389'
const JONAS = '199508302396'
const ERIK = '198111042381'
const LINA = '198406122393'

for (const engine of ENGINES) {
  describe(`barnbidrag at a birth on ${engine}`, () => {
    let c: Container
    let worker: Worker
    let drop: () => Promise<void>
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine))
      worker = createJobWorker(c)
    })
    after(() => drop())

    const idOf = async (pnr: string) => {
      const id = await c.people.identifyPerson(pnr, 'test')
      assert.ok(id, pnr)
      return id
    }
    const casesOf = async (personId: string) =>
      ((await c.cases.listCasesOf(personId, personId)) ?? []).filter((x) => x.serviceId === 'barnbidrag')
    const planOf = async (personId: string) => {
      const result = await c.journeys.makePersonalPlan({
        lifeEventId: 'vi-ska-fa-barn',
        viewer: { actor: { kind: 'person', personId }, personId },
      })
      assert.equal(result.kind, 'plan')
      return result.kind === 'plan' ? result.plan : undefined
    }
    const almasBirth = {
      sourceEventId: 'skv-fodsel-alma',
      kind: 'birth',
      personalNumber: '20261120-2389',
      occurredOn: '2026-11-20',
      data: { guardians: [ANNA, JONAS], givenName: 'Alma' },
    }

    it('grants each of two guardians half, from the month after the birth, without an application', async () => {
      const recorded = await c.people.recordRegisterEvent(almasBirth)
      assert.equal(recorded.kind, 'recorded')
      await worker.drain()
      for (const pnr of [ANNA, JONAS]) {
        const [granted, ...more] = await casesOf(await idOf(pnr))
        assert.equal(more.length, 0)
        assert.equal(granted?.status, 'decided')
        assert.equal(granted?.outcome, 'approved')
        assert.equal(granted?.agencyId, 'forsakringskassan')
        // 20 December 2026 is a Sunday: the money comes on Friday the 18th.
        assert.deepEqual(granted?.payment, {
          perMonth: 625,
          firstMonth: '2026-12-01',
          firstDate: '2026-12-18',
        })
      }
      const anna = await idOf(ANNA)
      const [granted] = await casesOf(anna)
      const detail = await c.cases.getCase(anna, granted?.id as string)
      const decision = detail?.decision as { reasons: Array<{ rule: string; legalReference: string }> }
      assert.deepEqual(
        decision.reasons.map((r) => r.rule),
        ['allowance', 'supplement', 'perGuardian', 'firstPaymentMonth', 'firstPaymentDate'],
      )
      assert.deepEqual(
        detail?.events.map((e) => [e.kind, e.actorKind]),
        [
          ['opened-by-birth', 'rule'],
          ['decided', 'rule'],
        ],
      )
      const inbox = await c.cases.listMessages(anna)
      assert.ok(inbox.some((m) => m.caseId === granted?.id && m.kind === 'decision'))
    })

    it('moves both guardians’ plans on: the birth step done, barnbidrag granted, the date of birth as anchor', async () => {
      for (const pnr of [ANNA, JONAS]) {
        const plan = await planOf(await idOf(pnr))
        assert.equal(plan?.anchor.date, '2026-11-20')
        assert.equal(plan?.anchor.circumstance, 'birth')
        const step = (id: string) => plan?.steps.find((s) => s.id === id)
        assert.equal(step('folkbokforing-av-barnet')?.status, 'done')
        assert.deepEqual(step('folkbokforing-av-barnet')?.change?.params, { date: '2026-11-20' })
        assert.equal(step('barnbidrag')?.change?.status, 'granted')
        assert.equal(step('barnbidrag')?.change?.params.amount, 625)
        assert.equal(step('barnbidrag')?.change?.params.firstDate, '2026-12-18')
        // What is left comes first; what the register did comes last.
        const statuses = plan?.steps.map((s) => s.status) ?? []
        assert.ok(statuses.lastIndexOf('to-do') < statuses.indexOf('done'))
      }
    })

    it('grants nothing twice when the birth comes again, or the job runs again', async () => {
      const again = await c.people.recordRegisterEvent(almasBirth)
      assert.ok(again.kind === 'recorded' && again.replayed)
      await worker.drain()
      assert.equal((await casesOf(await idOf(ANNA))).length, 1)
      const event = again.kind === 'recorded' ? await c.people.findRegisterEvent(again.eventId) : undefined
      assert.ok(event)
      const grants = await c.cases.grantChildAllowance({
        registerEventId: event.id,
        childPersonId: event.personId,
        birthDate: event.occurredOn,
      })
      assert.deepEqual(
        grants.map((g) => g.replayed),
        [true, true],
      )
      assert.equal((await casesOf(await idOf(JONAS))).length, 1)
    })

    it('counts the large-family supplement over the household’s children', async () => {
      // Erik and Lina have Elsa (5) and Vilgot (13): a third child gives 3 750 + 730 = 4 480 kr.
      const recorded = await c.people.recordRegisterEvent({
        sourceEventId: 'skv-fodsel-tredje',
        kind: 'birth',
        personalNumber: '20261121-2396',
        occurredOn: '2026-11-21',
        data: { guardians: [LINA, ERIK] },
      })
      assert.equal(recorded.kind, 'recorded')
      await worker.drain()
      const [granted] = await casesOf(await idOf(LINA))
      assert.deepEqual(granted?.payment, {
        perMonth: 2240,
        firstMonth: '2026-12-01',
        firstDate: '2026-12-18',
      })
      const lina = await idOf(LINA)
      const records = await c.people.allAccessRecords(lina)
      assert.ok(
        records.some(
          (r) => r.reader === 'rule' && r.ruleSet?.id === 'barnbidrag' && r.purpose === 'automatic-benefit',
        ),
        'Lina sees that the barnbidrag rules read her family',
      )
    })
  })
}
