// Journey 2 and 7 at the level of use cases, on both engines: Erik applies for VAB days for Elsa;
// the rules decide at once, ask for a certificate, or send a conflict to a caseworker.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'
import { dayOfCarePeriod } from './submit-vab-application.ts'

const PNR = {
  erik: '198111042381',
  lina: '198406122393',
  anna: '199705142389',
  elsa: '202103172389',
  vilgot: '201309212395',
}

describe('the care period', () => {
  it('counts calendar days across a weekend and the other parent’s days', () => {
    const days = new Set([
      '2026-02-02',
      '2026-02-03',
      '2026-02-04',
      '2026-02-05',
      '2026-02-06',
      '2026-02-09',
      '2026-02-10',
    ])
    assert.equal(dayOfCarePeriod('2026-02-02', days), 1)
    assert.equal(dayOfCarePeriod('2026-02-09', days), 8)
    assert.equal(dayOfCarePeriod('2026-02-10', days), 9)
  })
  it('starts again after a longer break', () => {
    assert.equal(dayOfCarePeriod('2026-02-20', new Set(['2026-02-02', '2026-02-20'])), 1)
  })
})

for (const engine of ENGINES) {
  describe(`applying for VAB on ${engine}`, () => {
    let c: Container
    let drop: () => Promise<void>
    const id: Record<string, string> = {}
    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine))
      for (const [name, pnr] of Object.entries(PNR))
        id[name] = (await c.people.identifyPerson(pnr, 'test')) as string
    })
    after(() => drop())

    const apply = (
      who: string,
      key: string,
      days: Array<{ date: string; fraction?: number }>,
      extra: { child?: string; certificateDays?: string[] } = {},
    ) =>
      c.cases.submitVabApplication({
        applicantPersonId: id[who] as string,
        idempotencyKey: key,
        application: {
          childPersonId: id[extra.child ?? 'elsa'] as string,
          days: days.map((d) => ({ date: d.date, fraction: d.fraction ?? 1, reason: 'child-ill' as const })),
          ...(extra.certificateDays ? { certificateDays: extra.certificateDays } : {}),
        },
      })

    it('decides Erik’s two days for Elsa at once, with amounts, reasons and the rule-set version', async () => {
      const result = await apply('erik', 'erik-nov-1', [
        { date: '2026-11-23' },
        { date: '2026-11-24', fraction: 0.5 },
      ])
      assert.equal(result.kind, 'filed')
      if (result.kind !== 'filed') return
      assert.equal(result.status, 'decided')
      assert.equal(result.outcome, 'approved')
      const found = await c.cases.getCase(id.erik as string, result.caseId)
      const decision = found?.decision as {
        totalAmount: number
        daysCounted: number
        version: string
        days: Array<{ reasons: Array<{ sv: string; legalReference: string }> }>
      }
      assert.equal(decision.daysCounted, 1.5)
      assert.equal(decision.totalAmount, 1880.31) // 1 253,54 + 626,77
      assert.equal(decision.version, '2026.2')
      assert.equal(found?.ruleSetVersion, '2026.2')
      assert.ok(
        decision.days[0]?.reasons.some(
          (r) => r.legalReference.startsWith('SFB 13 kap.') && r.sv.includes('under 12 år'),
        ),
      )
      assert.deepEqual(
        found?.events.map((e) => e.kind),
        ['submitted', 'decided'],
      )
    })

    it('files a double submit once, and refuses the same key with another application', async () => {
      const first = await apply('erik', 'erik-double', [{ date: '2026-10-05' }])
      const again = await apply('erik', 'erik-double', [{ date: '2026-10-05' }])
      assert.equal(first.kind, 'filed')
      assert.equal(again.kind, 'filed')
      if (first.kind === 'filed' && again.kind === 'filed') {
        assert.equal(again.caseId, first.caseId)
        assert.equal(again.replayed, true)
      }
      assert.equal(
        (await apply('erik', 'erik-double', [{ date: '2026-10-06' }])).kind,
        'idempotency-conflict',
      )
      const cases = await c.cases.listCasesOf(id.erik as string, id.erik as string)
      assert.equal(cases?.filter((x) => x.id === (first.kind === 'filed' ? first.caseId : '')).length, 1)
    })

    it('asks for a certificate from the eighth day, and explains why', async () => {
      // Monday 9 to Friday 13 November, then Monday 16: the weekend counts, so the 16th is day 8.
      const days = ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-16'].map(
        (date) => ({ date }),
      )
      const result = await apply('erik', 'erik-nov-2', days)
      assert.equal(result.kind === 'filed' && result.status, 'waiting-for-applicant')
      if (result.kind !== 'filed') return
      const found = await c.cases.getCase(id.erik as string, result.caseId)
      const decision = found?.decision as {
        days: Array<{ date: string; outcome: string; reasons: Array<{ sv: string }> }>
      }
      assert.equal(decision.days.at(-1)?.outcome, 'needs-certificate')
      assert.ok(decision.days.at(-1)?.reasons.some((r) => r.sv.includes('dag 8')))
      assert.equal(decision.days[0]?.outcome, 'approved')
    })

    it('sends a full day claimed by both parents to a caseworker, who decides it with reasons (journey 7)', async () => {
      await apply('lina', 'lina-nov', [{ date: '2026-11-20' }])
      const linasLog = await c.people.countAccessRecords(id.lina as string)
      const result = await apply('erik', 'erik-nov-3', [{ date: '2026-11-20' }])
      // Two reads of Lina's data: her name, as Erik's wife, in his application; and her claim for the
      // same day, read by the rules.
      assert.equal(await c.people.countAccessRecords(id.lina as string), linasLog + 2)
      const byRules = await c.database.db
        .selectFrom('people.access_log')
        .select(['actor_id', 'purpose', 'data_categories'])
        .where('person_id', '=', id.lina as string)
        .where('actor_kind', '=', 'rule')
        .execute()
      assert.deepEqual(byRules, [
        { actor_id: 'vab@2026.2', purpose: 'case-decision', data_categories: ['cases'] },
      ])
      assert.equal(result.kind === 'filed' && result.status, 'in-queue')
      if (result.kind !== 'filed') return
      const karin = { subject: 'karin', agencyId: 'forsakringskassan' }
      const queue = await c.cases.listQueue(karin, { status: 'in-queue' })
      assert.ok(queue.some((q) => q.id === result.caseId && q.queueReason === 'conflicting-claims'))
      assert.deepEqual(
        await c.cases.listQueue({ subject: 'ahmed', agencyId: 'nacka-kommun' }, { status: 'in-queue' }),
        [],
      )
      assert.equal(
        await c.cases.openCase({ subject: 'ahmed', agencyId: 'nacka-kommun' }, result.caseId),
        undefined,
      )

      const logBefore = await c.people.countAccessRecords(id.erik as string)
      const opened = await c.cases.openCase(karin, result.caseId)
      assert.equal(opened?.person?.identity?.givenName, 'Erik')
      assert.equal(
        await c.people.countAccessRecords(id.erik as string),
        logBefore + 1,
        'her read is in Erik’s log',
      )

      const missing = await c.cases.decideCase(karin, result.caseId, { days: {}, reasons: [], note: '' })
      assert.equal(missing.kind, 'invalid')
      const decided = await c.cases.decideCase(karin, result.caseId, {
        days: { '2026-11-20': 'approved' },
        reasons: ['ageGroup'],
        note: 'Lina har återkallat sin begäran för dagen; Erik var hemma hela dagen.',
      })
      assert.deepEqual(decided, { kind: 'decided', outcome: 'approved' })
      const seen = await c.cases.getCase(id.erik as string, result.caseId)
      assert.equal(seen?.status, 'decided')
      assert.match(String(seen?.decidedBy), /^caseworker:/)
      assert.equal((seen?.decision as { totalAmount: number } | undefined)?.totalAmount, 1253.54)
      assert.deepEqual(
        seen?.events.map((e) => e.kind),
        ['submitted', 'queued', 'decided'],
      )
      assert.equal(
        (await c.cases.decideCase(karin, result.caseId, { days: {}, reasons: [], note: 'x'.repeat(20) }))
          .kind,
        'already-decided',
      )
    })

    it('needs a doctor’s statement for Vilgot, 13, from the first day', async () => {
      const result = await apply('erik', 'erik-vilgot', [{ date: '2026-11-02' }], { child: 'vilgot' })
      assert.equal(result.kind === 'filed' && result.status, 'waiting-for-applicant')
      const withStatement = await apply('erik', 'erik-vilgot-2', [{ date: '2026-11-03' }], {
        child: 'vilgot',
        certificateDays: ['2026-11-03'],
      })
      assert.equal(withStatement.kind === 'filed' && withStatement.outcome, 'approved')
    })

    it('refuses a child who is not the applicant’s, and stores nothing', async () => {
      const before = (await c.cases.listCasesOf(id.anna as string, id.anna as string))?.length
      assert.equal((await apply('anna', 'anna-1', [{ date: '2026-11-20' }])).kind, 'not-your-child')
      assert.equal((await c.cases.listCasesOf(id.anna as string, id.anna as string))?.length, before)
    })

    it('refuses impossible and future dates, and the same day twice', async () => {
      const result = await apply('erik', 'erik-bad', [
        { date: '2026-02-30' },
        { date: '2027-01-01' },
        { date: '2026-11-02' },
        { date: '2026-11-02' },
      ])
      assert.equal(result.kind, 'invalid')
      if (result.kind === 'invalid')
        assert.deepEqual(
          result.problems.map((p) => p.problem),
          ['date-invalid', 'date-in-future', 'date-twice'],
        )
    })
  })
}
