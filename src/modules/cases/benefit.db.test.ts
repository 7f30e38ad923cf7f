// Applying for föräldrapenning at the level of the use case, on both engines: two submits with the
// same key at the same moment file one case, the rules read the other parent's decided days, and
// that read is in the other parent's log.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'

const PNR = { lejla: '199304182380', daniel: '199109022393', ida: '202605212386' }

for (const engine of ENGINES) {
  describe(`applying for föräldrapenning on ${engine}`, () => {
    let c: Container
    let drop: () => Promise<void>
    const id: Record<string, string> = {}
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine))
      for (const [name, pnr] of Object.entries(PNR))
        id[name] = (await c.people.identifyPerson(pnr, 'test')) as string
    })
    after(() => drop())

    const apply = (who: 'lejla' | 'daniel', key: string, from: string, to: string, days: number) =>
      c.cases.submitBenefitApplication({
        applicantPersonId: id[who] as string,
        slug: 'foraldrapenning',
        idempotencyKey: key,
        childPersonId: id.ida as string,
        answers: {
          leaveFrom: from,
          leaveTo: to,
          requestedSicknessLevelDays: days,
          requestedLowestLevelDays: 0,
          requestedDoubleDays: 0,
          custody: 'joint',
          qualifiedForSicknessLevel: true,
          uncountedEarlierDays: false,
        },
      })

    it('files two submits with the same key at the same moment as one case', async () => {
      const [a, b] = await Promise.all([
        apply('lejla', 'lejla-same-moment', '2026-12-07', '2026-12-11', 5),
        apply('lejla', 'lejla-same-moment', '2026-12-07', '2026-12-11', 5),
      ])
      assert.equal(a.kind, 'filed')
      assert.equal(b.kind, 'filed')
      if (a.kind !== 'filed' || b.kind !== 'filed') return
      assert.equal(a.caseId, b.caseId)
      assert.deepEqual([a.replayed, b.replayed].sort(), [false, true])
      const cases = await c.cases.listCasesOf(id.lejla as string, id.lejla as string)
      assert.equal(cases?.length, 1)
      assert.equal(cases?.[0]?.outcome, 'approved')
    })

    it('counts the other parent’s granted days, and records that read in her log', async () => {
      const lejlasLog = await c.people.countAccessRecords(id.lejla as string)
      const result = await apply('daniel', 'daniel-dec', '2026-12-14', '2026-12-18', 5)
      assert.equal(result.kind === 'filed' && result.outcome, 'approved')
      if (result.kind !== 'filed') return
      const found = await c.cases.getCase(id.daniel as string, result.caseId)
      const decision = found?.decision as { facts: Array<{ input: string; value: unknown }> }
      assert.equal(decision.facts.find((f) => f.input === 'otherParentDaysUsedSicknessLevel')?.value, 5)
      const byRules = await c.database.db
        .selectFrom('people.access_log')
        .select(['actor_kind', 'actor_id', 'purpose'])
        .where('person_id', '=', id.lejla as string)
        .where('actor_kind', '=', 'rule')
        .execute()
      assert.ok(byRules.some((r) => r.actor_id === 'foraldrapenning@2026.2' && r.purpose === 'case-decision'))
      assert.ok((await c.people.countAccessRecords(id.lejla as string)) > lejlasLog)
    })
  })
}
