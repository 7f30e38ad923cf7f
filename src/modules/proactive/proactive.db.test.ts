// Date triggers over a generated population, on both engines: the clock moves to the days that
// matter, the scan finds exactly the persons the rules name, and no trigger fires twice, however
// often or by however many workers a day is scanned.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import { type Container, PATHS } from '../../app/container.ts'
import { createJobWorker } from '../../app/jobs.ts'
import { createManualClock, Temporal } from '../../platform/clock.ts'
import { loadPopulationStatistics } from '../people/population-statistics.ts'
import { generateSyntheticPopulation, type SyntheticHousehold } from '../people/synthetic-population.ts'
import { PARENTAL_BENEFIT_NOTICE_DAYS, type TriggerKind } from './index.ts'

const TODAY = '2026-11-25'
const TAX_RETURN_OPENS = '2026-03-17'
const PERSONS = 3000
const SEED = 5
const day = (iso: string) => Temporal.PlainDate.from(iso)

/** What the rules say should fire on a day, worked out from the generated households in memory. */
function expected(households: SyntheticHousehold[], date: string): Set<string> {
  const out = new Set<string>()
  const turns = (birthDate: string, years: number, on: Temporal.PlainDate) =>
    day(birthDate).add({ years }).equals(on)
  const fourth = day(date).add({ days: PARENTAL_BENEFIT_NOTICE_DAYS })
  for (const h of households) {
    for (const p of h.persons) {
      const custodians = h.relations.filter(
        (r) => r.kind === 'child' && r.custody && r.relatedPersonId === p.id,
      )
      const tell = (kind: TriggerKind) => {
        for (const r of custodians) out.add(`${kind} ${r.personId} ${p.id}`)
      }
      if (turns(p.birthDate, 12, day(date))) tell('child-turns-12')
      if (turns(p.birthDate, 16, day(date))) {
        tell('child-turns-16')
        out.add(`turns-16 ${p.id} ${date}`)
      }
      if (turns(p.birthDate, 4, fourth)) tell('parental-benefit-days-at-4')
      if (date === TAX_RETURN_OPENS && (p.occupation?.annualIncomeSek ?? 0) > 0)
        out.add(`tax-return-opens ${p.id} 2026`)
    }
  }
  return out
}

for (const engine of ENGINES) {
  describe(`date triggers over a generated population on ${engine}`, () => {
    let c: Container
    let drop: () => Promise<void>
    let households: SyntheticHousehold[]
    const clock = createManualClock(`${TODAY}T09:00:00Z`)
    const fired = async (date: string) =>
      new Set(
        (
          await c.database.db
            .selectFrom('proactive.fired_triggers')
            .select(['kind', 'person_id', 'occasion'])
            .where('fired_on', '=', date)
            .execute()
        ).map((r) => `${r.kind} ${r.person_id} ${r.occasion}`),
      )
    /** The first day from today on which the rule fires for some generated child. */
    const firstDay = (years: number, lead = 0) => {
      const days = households
        .flatMap((h) => h.persons)
        .map((p) => day(p.birthDate).add({ years }).subtract({ days: lead }))
        .filter((d) => Temporal.PlainDate.compare(d, day(TODAY)) > 0)
        .sort(Temporal.PlainDate.compare)
      return (days[0] as Temporal.PlainDate).toString()
    }

    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine, { clock, seed: false }))
      const simulated = await c.people.simulatePopulation({
        persons: PERSONS,
        seed: SEED,
        today: clock.today(),
      })
      assert.equal(simulated.kind, 'simulated')
      const stats = await loadPopulationStatistics(PATHS.population)
      households = [
        ...generateSyntheticPopulation(stats, { persons: PERSONS, seed: SEED, today: clock.today() }),
      ]
    })
    after(() => drop())

    it('writes the population to the register, and will not write a second one', async () => {
      assert.equal(await c.people.countPersons(), PERSONS)
      const again = await c.people.simulatePopulation({ persons: 10, seed: SEED, today: clock.today() })
      assert.deepEqual(again, { kind: 'population-exists', persons: PERSONS })
    })

    it('tells the parents with custody when a child turns 12, 16 and nears 4, and the 16-year-old', async () => {
      for (const date of [firstDay(12), firstDay(16), firstDay(4, PARENTAL_BENEFIT_NOTICE_DAYS)]) {
        clock.set(`${date}T07:00:00Z`)
        const result = await c.proactive.scanDay({ date: clock.today().toString(), partitions: 3 })
        assert.equal(result.kind, 'scanned')
        const want = expected(households, date)
        assert.ok(want.size > 0, `something is due on ${date}`)
        assert.deepEqual(await fired(date), want, date)
      }
    })

    it('opens the tax return for everyone with an income, once, with two workers on the same partitions', async () => {
      clock.set(`${TAX_RETURN_OPENS}T07:00:00Z`)
      const date = clock.today().toString()
      const worker = (order: number[]) => async () => {
        let total = 0
        for (const partition of order) {
          const r = await c.proactive.scanDateTriggers({ date, partition, partitions: 2 })
          if (r.kind === 'scanned') total += r.total
        }
        return total
      }
      const [first, second] = await Promise.all([worker([0, 1])(), worker([1, 0])()])
      const want = expected(households, date)
      assert.ok(want.size > PERSONS / 2)
      assert.equal((first ?? 0) + (second ?? 0), want.size, 'each trigger counted by one worker only')
      assert.deepEqual(await fired(date), want)
      const again = await c.proactive.scanDay({ date, partitions: 2 })
      assert.deepEqual(again.kind === 'scanned' && again.total, 0)
    })

    it('leaves a day to the job workers as one job per partition, queued once', async () => {
      const date = firstDay(12)
      await c.database.db.deleteFrom('proactive.fired_triggers').where('fired_on', '=', date).execute()
      assert.equal(await c.proactive.enqueueDateScan(date, 3), 3)
      assert.equal(await c.proactive.enqueueDateScan(date, 3), 0)
      // Each partition's scan, then the planning of its reminders.
      assert.equal(await createJobWorker(c).drain(), 6)
      assert.deepEqual(await fired(date), expected(households, date))
    })

    it('says why, in plain words, with the date and the rule', async () => {
      const parent = [...(await fired(firstDay(12)))][0]?.split(' ')[1] as string
      const triggers = await c.proactive.firedTriggersOf(parent)
      const twelve = triggers.find((t) => t.kind === 'child-turns-12')
      assert.ok(twelve, 'the parent has the trigger')
      assert.match(twelve.reason, /fyller 12 år den \d+ \p{L}+ \d{4}\..*läkarutlåtande.*13 kap\./u)
      assert.equal(twelve.dueOn, firstDay(12))
    })

    it('tells a person whose case has been open six months that they may ask for a decision', async () => {
      const person = households[0]?.persons[0]?.id as string
      const submitted = '2026-06-30T10:00:00+02:00'
      for (const status of ['in-queue', 'decided'])
        await sql`insert into cases.cases (person_id, service_id, agency_id, status, submitted_at)
                  values (${person}, 'hemtjanst', 'nacka-kommun', ${status}, ${submitted})`.execute(
          c.database.db,
        )
      clock.set('2026-12-30T07:00:00Z')
      const result = await c.proactive.scanDay({ date: clock.today().toString(), partitions: 2 })
      assert.equal(result.kind === 'scanned' && result.fired['case-may-request-decision'], 1)
      const [trigger] = (await c.proactive.firedTriggersOf(person)).filter(
        (t) => t.kind === 'case-may-request-decision',
      )
      assert.match(trigger?.reason ?? '', /lämnades in den 30 juni 2026.*förvaltningslagen 12 §/)
    })
  })
}
