// Register events on both engines: a birth, a move, a death and a pregnancy change the register as
// folkbokföringen would, each stored once with its job; the same event again changes nothing; bad
// events are refused with what to correct, and nothing is stored.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'

const ANNA = '199705142389'
const JONAS = '199508302396'
const ERIK = '198111042381'
const LINA = '198406122393'
const SARA = '199002222389'

for (const engine of ENGINES) {
  describe(`register events on ${engine}`, () => {
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
    const profileOf = async (personId: string) =>
      c.people.readPerson({ actor: { kind: 'person', personId }, purpose: 'profile', personId })
    const jobsOf = (eventId: string) =>
      c.database.db
        .selectFrom('jobs.jobs')
        .select(['name', 'payload'])
        .where('name', '=', 'register-event.recorded')
        .where(sql<string>`payload->>'eventId'`, '=', eventId)
        .execute()
    const eventCount = async () =>
      Number(
        (
          await c.database.db
            .selectFrom('people.register_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )

    const birth = {
      sourceEventId: 'skv-fodsel-1',
      kind: 'birth',
      personalNumber: '20261120-2389',
      occurredOn: '2026-11-20',
      data: { guardians: [ANNA, '19950830-2396'], givenName: 'Alma' },
    }

    it('registers a birth: the child, custody both ways, and one job telling who it concerns', async () => {
      const result = await c.people.recordRegisterEvent(birth)
      assert.equal(result.kind, 'recorded')
      if (result.kind !== 'recorded') return
      assert.equal(result.replayed, false)
      const [childId, ...guardians] = result.personIds
      assert.deepEqual(guardians, [await idOf(ANNA), await idOf(JONAS)])
      const child = await profileOf(childId as string)
      assert.equal(child?.identity?.givenName, 'Alma')
      assert.equal(child?.identity?.familyName, 'Berg', 'the first guardian’s family name')
      assert.equal(child?.identity?.birthDate, '2026-11-20')
      assert.equal(child?.address?.municipalityId, 'linkopings-kommun')
      assert.deepEqual(child?.family?.map((f) => [f.kind, f.givenName, f.custody]).sort(), [
        ['parent', 'Anna', true],
        ['parent', 'Jonas', true],
      ])
      const anna = await profileOf(await idOf(ANNA))
      assert.ok(anna?.family?.some((f) => f.kind === 'child' && f.personId === childId && f.custody))
      const jobs = await jobsOf(result.eventId)
      assert.equal(jobs.length, 1)
      assert.deepEqual(jobs[0]?.payload, {
        eventId: result.eventId,
        kind: 'birth',
        personIds: result.personIds,
        occurredOn: '2026-11-20',
      })
      const event = await c.people.findRegisterEvent(result.eventId)
      assert.equal(event?.kind, 'birth')
      assert.equal(event?.personId, childId)
      assert.deepEqual(event?.data.guardians, guardians)
    })

    it('changes nothing when the same birth comes again', async () => {
      const events = await eventCount()
      const first = await c.people.identifyPerson('202611202389', 'test')
      const again = await c.people.recordRegisterEvent({ ...birth, personalNumber: '202611202389' })
      assert.equal(again.kind, 'recorded')
      if (again.kind !== 'recorded') return
      assert.equal(again.replayed, true)
      assert.equal(again.personIds[0], first)
      assert.equal(await eventCount(), events)
      assert.equal((await jobsOf(again.eventId)).length, 1, 'no second job')
    })

    it('refuses the same id with other content, and a second birth of the same child', async () => {
      const events = await eventCount()
      assert.deepEqual(
        await c.people.recordRegisterEvent({ ...birth, data: { ...birth.data, givenName: 'Maja' } }),
        { kind: 'conflict' },
      )
      assert.deepEqual(await c.people.recordRegisterEvent({ ...birth, sourceEventId: 'skv-fodsel-other' }), {
        kind: 'person-exists',
      })
      assert.equal(await eventCount(), events)
    })

    it('refuses bad events with what to correct, and stores nothing', async () => {
      const events = await eventCount()
      assert.deepEqual(
        await c.people.recordRegisterEvent({ ...birth, sourceEventId: 'x-1', kind: 'wedding' }),
        {
          kind: 'unknown-kind',
        },
      )
      const malformed = await c.people.recordRegisterEvent({
        ...birth,
        sourceEventId: 'x-2',
        personalNumber: '20261121-2380',
        occurredOn: '2026-11-31',
      })
      assert.equal(malformed.kind, 'invalid')
      assert.deepEqual(
        malformed.kind === 'invalid' ? malformed.problems.map((p) => [p.field, p.problem]) : [],
        [
          ['personalNumber', 'personal-number'],
          ['occurredOn', 'date'],
        ],
      )
      const wrongDay = await c.people.recordRegisterEvent({
        ...birth,
        sourceEventId: 'x-3',
        personalNumber: '20261121-2396',
      })
      assert.deepEqual(wrongDay.kind === 'invalid' ? wrongDay.problems.map((p) => p.problem) : wrongDay, [
        'birth-date',
      ])
      const future = await c.people.recordRegisterEvent({
        ...birth,
        sourceEventId: 'x-4',
        personalNumber: '20261121-2396',
        occurredOn: '2026-12-01',
      })
      assert.ok(future.kind === 'invalid' && future.problems.some((p) => p.problem === 'not-in-future'))
      // The guardian must be in the register (a made-up but well-formed number).
      assert.deepEqual(
        await c.people.recordRegisterEvent({
          ...birth,
          sourceEventId: 'x-5',
          personalNumber: '20261121-2396',
          occurredOn: '2026-11-21',
          data: { guardians: ['19800101-2395'] },
        }),
        { kind: 'person-not-found', field: 'data.guardians.0' },
      )
      assert.deepEqual(
        await c.people.recordRegisterEvent({
          sourceEventId: 'x-6',
          kind: 'death',
          personalNumber: '19800101-2395',
          occurredOn: '2026-11-21',
        }),
        { kind: 'person-not-found', field: 'personalNumber' },
      )
      const noGuardians = await c.people.recordRegisterEvent({ ...birth, sourceEventId: 'x-7', data: {} })
      assert.deepEqual(noGuardians.kind === 'invalid' ? noGuardians.problems : noGuardians, [
        { field: 'data.guardians', problem: 'data-birth' },
      ])
      const nowhere = await c.people.recordRegisterEvent({
        sourceEventId: 'x-8',
        kind: 'move',
        personalNumber: SARA,
        occurredOn: '2026-11-21',
        data: {
          municipality: 'atlantis-kommun',
          street: 'Havsgatan 1',
          postalCode: '11122',
          city: 'Atlantis',
        },
      })
      assert.deepEqual(nowhere.kind === 'invalid' ? nowhere.problems : nowhere, [
        { field: 'data.municipality', problem: 'municipality' },
      ])
      assert.equal(await eventCount(), events)
      assert.equal(await c.people.identifyPerson('202611212396', 'test'), undefined, 'no child was created')
    })

    it('registers a move: the new address and municipality, the old one kept with the event', async () => {
      const sara = await idOf(SARA)
      const result = await c.people.recordRegisterEvent({
        sourceEventId: 'skv-flytt-1',
        kind: 'move',
        personalNumber: SARA,
        occurredOn: '2026-11-22',
        data: { municipality: 'nacka-kommun', street: 'Värmdövägen 80', postalCode: '13154', city: 'Nacka' },
      })
      assert.equal(result.kind, 'recorded')
      const profile = await profileOf(sara)
      assert.deepEqual(profile?.address, {
        municipalityId: 'nacka-kommun',
        street: 'Värmdövägen 80',
        postalCode: '131 54',
        city: 'Nacka',
      })
      const event = result.kind === 'recorded' ? await c.people.findRegisterEvent(result.eventId) : undefined
      assert.equal(event?.data.previousMunicipality, 'sundsvalls-kommun')
    })

    it('registers a death: the date is kept and the spouse is widowed', async () => {
      const result = await c.people.recordRegisterEvent({
        sourceEventId: 'skv-dod-1',
        kind: 'death',
        personalNumber: ERIK,
        occurredOn: '2026-11-23',
      })
      assert.equal(result.kind, 'recorded')
      const died = await c.database.db
        .selectFrom('people.persons')
        .select('died_on')
        .where('personal_number', '=', ERIK)
        .executeTakeFirstOrThrow()
      assert.equal(died.died_on, '2026-11-23')
      assert.equal((await profileOf(await idOf(LINA)))?.civilStatus, 'widowed')
    })

    it('registers a pregnancy as maternity care would', async () => {
      const lina = await idOf(LINA)
      const result = await c.people.recordRegisterEvent({
        sourceEventId: 'rog-graviditet-1',
        source: 'region-stockholm',
        kind: 'pregnancy',
        personalNumber: LINA,
        occurredOn: '2026-11-24',
        data: { expectedDate: '2027-06-01' },
      })
      assert.equal(result.kind, 'recorded')
      const plan = await c.people.readPerson({
        actor: { kind: 'person', personId: lina },
        purpose: 'personal-plan',
        personId: lina,
      })
      assert.deepEqual(
        plan?.circumstances?.map((x) => [x.kind, x.data.expectedDate, x.source, x.registeredOn]),
        [['pregnancy', '2027-06-01', 'region-stockholm', '2026-11-24']],
      )
    })

    it('leaves each person concerned a record: Samla loaded it from the register', async () => {
      const records = await c.people.allAccessRecords(await idOf(JONAS))
      assert.ok(
        records.some(
          (r) => r.reader === 'samla' && r.process === 'register-events' && r.purpose === 'register-import',
        ),
      )
    })
  })
}
