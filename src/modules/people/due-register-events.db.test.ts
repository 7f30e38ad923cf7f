// The demonstration register's own events on both engines: in a generated population, every
// pregnancy and announced move due by a day becomes its birth or move, recorded as any register
// event with its job; a second run for the day records nothing new; a child is born with custody
// relations to both guardians of the household.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { buildTestContainer, TODAY } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import { type Container, PATHS } from '../../app/container.ts'
import { createManualClock, Temporal } from '../../platform/clock.ts'
import { normalisePersonalNumber } from './personal-number.ts'
import { createDemoPopulationRegister } from './population-register.ts'
import { loadPopulationStatistics } from './population-statistics.ts'
import { generateSyntheticPopulation, type SyntheticHousehold } from './synthetic-population.ts'

const PERSONS = 2000
const SEED = 7
/** The municipalities in data/catalog/agencies.yaml. */
const KNOWN_MUNICIPALITIES = ['nacka-kommun', 'linkopings-kommun', 'sundsvalls-kommun', 'goteborgs-stad']

for (const engine of ENGINES) {
  describe(`register events due in a synthetic population on ${engine}`, () => {
    const clock = createManualClock(`${TODAY}T07:00:00Z`)
    let c: Container
    let drop: () => Promise<void>
    let households: SyntheticHousehold[]
    /** The first day on which a mother with a spouse is expected to give birth. */
    let due: string
    /** The generated population's circumstances and the test persons' (data/people/persons.yaml). */
    let testCircumstances: Array<{ kind: string; data: Record<string, string> }>
    const circumstances = () => [...households.flatMap((h) => h.circumstances), ...testCircumstances]
    const dayOf = (x: { kind: string; data: Record<string, string> }) =>
      (x.kind === 'pregnancy' ? x.data.expectedDate : x.data.moveDate) as string
    /** A move is to a municipality the catalogue knows, or the register refuses it. */
    const recordable = (x: { kind: string; data: Record<string, string> }) =>
      x.kind === 'pregnancy' || KNOWN_MUNICIPALITIES.includes(x.data.destination as string)
    const dueBy = (date: string) => circumstances().filter((x) => dayOf(x) <= date && recordable(x))
    const refusedBy = (date: string) => circumstances().filter((x) => dayOf(x) <= date && !recordable(x))

    const count = async (table: 'people.register_events' | 'people.persons') =>
      Number(
        (
          await c.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const recordedJobs = async () =>
      Number(
        (
          await c.database.db
            .selectFrom('jobs.jobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('name', '=', 'register-event.recorded')
            .executeTakeFirstOrThrow()
        ).n,
      )

    before(async () => {
      ;({ container: c, drop } = await buildTestContainer(engine, { clock }))
      const simulated = await c.people.simulatePopulation({
        persons: PERSONS,
        seed: SEED,
        today: clock.today(),
      })
      assert.equal(simulated.kind, 'simulated')
      const stats = await loadPopulationStatistics(PATHS.population)
      testCircumstances = (await createDemoPopulationRegister(PATHS.persons).listPersons()).flatMap((p) =>
        (p.circumstances ?? [])
          .filter((x) => x.kind === 'pregnancy' || x.kind === 'planned-move')
          .map((x) => ({ kind: x.kind, data: x.data as Record<string, string> })),
      )
      households = [
        ...generateSyntheticPopulation(stats, { persons: PERSONS, seed: SEED, today: clock.today() }),
      ]
      const married = households
        .flatMap((h) =>
          h.circumstances.filter(
            (x) =>
              x.kind === 'pregnancy' &&
              h.relations.some((r) => r.personId === x.personId && r.kind === 'spouse'),
          ),
        )
        .map((x) => x.data.expectedDate as string)
        .sort()
      assert.ok(married[0], 'a married woman is expected to give birth')
      due = married[0]
      assert.ok(refusedBy(due).length > 0, 'a move to a municipality the catalogue does not know is due')
    })
    after(() => drop())

    it('refuses a day that has not come, and a day that is no date', async () => {
      assert.deepEqual(await c.people.emitDueRegisterEvents({ date: '2026-11-26' }), {
        kind: 'future-date',
        today: TODAY,
      })
      assert.deepEqual(await c.people.emitDueRegisterEvents({ date: '2026-02-30' }), { kind: 'invalid-date' })
    })

    it('records every event due by the day, each with its job, and none that is not due', async () => {
      const before = Temporal.PlainDate.from(due).subtract({ days: 1 }).toString()
      clock.set(`${before}T07:00:00Z`)
      const first = await c.people.emitDueRegisterEvents({ date: before })
      assert.equal(first.kind, 'emitted')
      if (first.kind !== 'emitted') return
      assert.deepEqual(
        { recorded: first.recorded, alreadyRecorded: first.alreadyRecorded, refused: first.refused.length },
        { recorded: dueBy(before).length, alreadyRecorded: 0, refused: refusedBy(before).length },
      )
      for (const r of first.refused) {
        assert.match(r.sourceEventId, /^samla-register:move:/)
        assert.deepEqual([r.result, r.fields], ['invalid', ['data.municipality']])
      }
      clock.set(`${due}T07:00:00Z`)
      const persons = await count('people.persons')
      const result = await c.people.emitDueRegisterEvents({ date: due })
      const births = dueBy(due).filter((x) => x.kind === 'pregnancy').length
      const earlierBirths = dueBy(before).filter((x) => x.kind === 'pregnancy').length
      assert.equal(result.kind, 'emitted')
      if (result.kind !== 'emitted') return
      assert.deepEqual(
        {
          recorded: result.recorded,
          alreadyRecorded: result.alreadyRecorded,
          refused: result.refused.length,
        },
        {
          recorded: dueBy(due).length - dueBy(before).length,
          alreadyRecorded: earlierBirths,
          refused: refusedBy(due).length,
        },
      )
      assert.equal(await count('people.register_events'), dueBy(due).length)
      assert.equal(await recordedJobs(), dueBy(due).length)
      assert.equal(await count('people.persons'), persons + births - earlierBirths)
      const moved = await c.database.db
        .selectFrom('people.circumstances')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'planned-move')
        .where(sql<string>`data->>'moveDate'`, '<=', due)
        .executeTakeFirstOrThrow()
      assert.equal(Number(moved.n), refusedBy(due).length, 'a move done is no longer planned')
    })

    it('records nothing new the second time', async () => {
      const events = await count('people.register_events')
      const persons = await count('people.persons')
      const again = await c.people.emitDueRegisterEvents({ date: due })
      assert.equal(again.kind, 'emitted')
      if (again.kind !== 'emitted') return
      assert.equal(again.recorded, 0)
      assert.equal(again.refused.length, refusedBy(due).length)
      assert.equal(
        again.alreadyRecorded,
        dueBy(due).filter((x) => x.kind === 'pregnancy').length,
        'the pregnancies are still in the register, their births there already',
      )
      assert.equal(await count('people.register_events'), events)
      assert.equal(await count('people.persons'), persons)
      assert.equal(await recordedJobs(), events)
    })

    it('gives the child a valid personal identity number and custody relations to both guardians', async () => {
      const births = await c.database.db
        .selectFrom('people.register_events')
        .select(['person_ids', 'occurred_on', 'source_event_id'])
        .where('kind', '=', 'birth')
        .where('occurred_on', '=', due)
        .execute()
      const both = births.filter((b) => b.person_ids.length === 3)
      assert.ok(both.length > 0, 'a birth with two guardians')
      for (const birth of both) {
        const [childId, ...guardians] = birth.person_ids as [string, string, string]
        const child = await c.people.readPerson({
          actor: { kind: 'person', personId: childId },
          purpose: 'profile',
          personId: childId,
        })
        assert.equal(child?.identity?.birthDate, due)
        assert.equal(
          normalisePersonalNumber(child?.identity?.personalNumber ?? ''),
          child?.identity?.personalNumber,
        )
        assert.ok(child?.identity?.personalNumber.startsWith(due.replaceAll('-', '')))
        assert.deepEqual(
          child?.family
            ?.filter((f) => f.kind === 'parent' && f.custody)
            .map((f) => f.personId)
            .sort(),
          [...guardians].sort(),
        )
        for (const guardian of guardians) {
          const relation = await c.database.db
            .selectFrom('people.relations')
            .select('custody')
            .where('person_id', '=', guardian)
            .where('related_person_id', '=', childId)
            .where('kind', '=', 'child')
            .executeTakeFirst()
          assert.equal(relation?.custody, true)
        }
      }
    })
  })
}
