// The demonstration register's own events: what the circumstances in the register foretell becomes
// the register event once its day has come. A pregnancy whose expected date has come is a birth (a
// child with a valid personal identity number that no one has, the mother and the other guardian
// in her household as guardians); an announced move is a move to the destination. Each event goes
// through recordRegisterEvent like any other, under an id derived from the circumstance, so that a
// second run for the same day finds every event there already. The circumstances are read a page
// at a time, so memory stays bounded whatever the size of the register.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { withoutRecord } from '../../platform/access-scope.ts'
import { Temporal } from '../../platform/clock.ts'
import { type SeededRandom, seededRandom } from '../../platform/seeded-random.ts'
import type { PeopleTables } from './people-tables.ts'
import { luhnCheckDigit } from './personal-number.ts'
import {
  loadPopulationStatistics,
  municipalityId,
  type PopulationStatistics,
} from './population-statistics.ts'
import type { RegisterEventInput, RegisterEventResult } from './register-events.ts'
import * as store from './register-events-store.ts'
import { TEST_BIRTH_NUMBERS } from './synthetic-population.ts'

export type DueRegisterEventsResult =
  | {
      kind: 'emitted'
      date: string
      /** Events stored by this run. */
      recorded: number
      /** Events an earlier run (or the register) had stored already. */
      alreadyRecorded: number
      /** Circumstances whose event the register refused, with why. */
      refused: Refused[]
    }
  | { kind: 'invalid-date' }
  /** Events are recorded when they have happened: the day may not be after today. */
  | { kind: 'future-date'; today: string }

/** An event the register refused (a move to a municipality the catalogue does not know). */
export interface Refused {
  sourceEventId: string
  result: Exclude<RegisterEventResult['kind'], 'recorded'>
  /** For an invalid event: the fields to correct. */
  fields?: string[]
}

/** Circumstances read at a time. */
const PAGE = 500

interface DueCircumstance {
  id: string
  kind: 'pregnancy' | 'planned-move'
  data: Record<string, unknown>
  person_id: string
  personal_number: string
  municipality_id: string
  address: { street: string; postalCode: string; city: string }
}

/** A random stream seeded by a text: the same circumstance always draws the same. */
const randomFor = (key: string): SeededRandom =>
  seededRandom(createHash('sha256').update(key).digest().readUInt32BE(0))

export function createDueRegisterEvents(deps: {
  db: Kysely<PeopleTables>
  recordRegisterEvent: (input: RegisterEventInput) => Promise<RegisterEventResult>
  today: () => Temporal.PlainDate
  statisticsFile: string
}) {
  const { db } = deps
  let statistics: Promise<PopulationStatistics> | undefined
  const stats = () => {
    statistics ??= loadPopulationStatistics(deps.statisticsFile)
    return statistics
  }

  /** The circumstances due on or before the date, after the given id, in id order. */
  const duePage = (date: string, after: string | undefined) =>
    db
      .selectFrom('people.circumstances as c')
      .innerJoin('people.persons as p', 'p.id', 'c.person_id')
      .select([
        'c.id',
        'c.kind',
        'c.data',
        'c.person_id',
        'p.personal_number',
        'p.municipality_id',
        'p.address',
      ])
      .where('p.died_on', 'is', null)
      .where((eb) =>
        eb.or([
          eb.and([eb('c.kind', '=', 'pregnancy'), eb(sql<string>`c.data->>'expectedDate'`, '<=', date)]),
          eb.and([eb('c.kind', '=', 'planned-move'), eb(sql<string>`c.data->>'moveDate'`, '<=', date)]),
        ]),
      )
      .$if(after !== undefined, (qb) => qb.where('c.id', '>', after as string))
      .orderBy('c.id')
      .limit(PAGE)
      .execute() as Promise<DueCircumstance[]>

  /** The mother's spouse, or else the other parent of one of her children who lives with her. */
  async function otherGuardian(mother: DueCircumstance): Promise<string | undefined> {
    const spouse = await db
      .selectFrom('people.relations as r')
      .innerJoin('people.persons as p', 'p.id', 'r.related_person_id')
      .select('p.personal_number')
      .where('r.person_id', '=', mother.person_id)
      .where('r.kind', '=', 'spouse')
      .where('p.died_on', 'is', null)
      .orderBy('p.personal_number')
      .executeTakeFirst()
    if (spouse) return spouse.personal_number
    const coParents = await db
      .selectFrom('people.relations as mine')
      .innerJoin('people.relations as theirs', 'theirs.person_id', 'mine.related_person_id')
      .innerJoin('people.persons as p', 'p.id', 'theirs.related_person_id')
      .select(['p.personal_number', 'p.address'])
      .where('mine.person_id', '=', mother.person_id)
      .where('mine.kind', '=', 'child')
      .where('theirs.kind', '=', 'parent')
      .where('theirs.related_person_id', '<>', mother.person_id)
      .where('p.died_on', 'is', null)
      .orderBy('p.personal_number')
      .execute()
    const home = JSON.stringify(mother.address)
    return coParents.find((p) => JSON.stringify(p.address) === home)?.personal_number
  }

  /** A valid personal identity number for a child born on the day that no one in the register has. */
  async function childNumber(birthDate: string, random: SeededRandom): Promise<string | undefined> {
    const day = birthDate.replaceAll('-', '')
    const taken = new Set(
      (
        await db
          .selectFrom('people.persons')
          .select('personal_number')
          .where('personal_number', 'like', `${day}%`)
          .execute()
      ).map((p) => p.personal_number.slice(8, 11)),
    )
    const start = random.int(1, 999)
    for (let i = 0; i < 999; i++) {
      const serial = String(((start + i - 1) % 999) + 1).padStart(3, '0')
      if (taken.has(serial) || (TEST_BIRTH_NUMBERS as readonly string[]).includes(serial)) continue
      const nine = `${day.slice(2)}${serial}`
      return `${day}${serial}${luhnCheckDigit(nine)}`
    }
    return undefined
  }

  async function birthOf(c: DueCircumstance, sourceEventId: string): Promise<RegisterEventInput | undefined> {
    const occurredOn = String(c.data.expectedDate)
    const random = randomFor(sourceEventId)
    const personalNumber = await childNumber(occurredOn, random)
    if (!personalNumber) return undefined
    const other = await otherGuardian(c)
    const s = await stats()
    const year = Number(occurredOn.slice(0, 4))
    const names =
      [...s.names.givenNames].sort((a, b) => b.from - a.from).find((g) => g.from <= year) ??
      s.names.givenNames[0]
    // The birth number's last digit but one: odd for a boy, even for a girl.
    const boy = Number(personalNumber[10]) % 2 === 1
    const givenName = names ? random.pick(boy ? names.male : names.female) : undefined
    return {
      sourceEventId,
      kind: 'birth',
      personalNumber,
      occurredOn,
      data: { guardians: other ? [c.personal_number, other] : [c.personal_number], givenName },
    }
  }

  async function moveOf(c: DueCircumstance, sourceEventId: string): Promise<RegisterEventInput> {
    const destination = String(c.data.destination)
    const occurredOn = String(c.data.moveDate)
    // Everyone in a household moving together draws the same new address.
    const random = randomFor(`${JSON.stringify(c.address)}|${destination}|${occurredOn}`)
    const s = await stats()
    const street = `${random.pick(s.names.streets)} ${random.int(1, 120)}`
    let { postalCode, city } = c.address
    if (destination !== c.municipality_id) {
      const m = s.municipalities.find((x) => municipalityId(x) === destination)
      const county = m ? s.counties[m.code.slice(0, 2)] : undefined
      if (m && county) {
        const [from, to] = county.postalCodes
        postalCode = `${random.int(from, to)}${random.int(0, 9)} ${String(random.int(0, 99)).padStart(2, '0')}`
        city = m.name
      }
    }
    return {
      sourceEventId,
      kind: 'move',
      personalNumber: c.personal_number,
      occurredOn,
      data: { municipality: destination, street, postalCode, city },
    }
  }

  /** Turns every circumstance due on or before the date into the register event it foretells. */
  return async function emitDueRegisterEvents(request: { date: string }): Promise<DueRegisterEventsResult> {
    let date: Temporal.PlainDate
    try {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(request.date)) return { kind: 'invalid-date' }
      date = Temporal.PlainDate.from(request.date, { overflow: 'reject' })
    } catch {
      return { kind: 'invalid-date' }
    }
    const today = deps.today()
    if (Temporal.PlainDate.compare(date, today) > 0) return { kind: 'future-date', today: today.toString() }

    const result = {
      kind: 'emitted' as const,
      date: date.toString(),
      recorded: 0,
      alreadyRecorded: 0,
      refused: [] as Refused[],
    }
    let after: string | undefined
    for (;;) {
      // What the register holds is read to write what it says; each event is recorded for everyone
      // it concerns when recordRegisterEvent stores it.
      const page = await withoutRecord('register-import', () => duePage(result.date, after))
      for (const c of page) {
        const kind = c.kind === 'pregnancy' ? 'birth' : 'move'
        const day = String(c.kind === 'pregnancy' ? c.data.expectedDate : c.data.moveDate)
        const sourceEventId = `samla-register:${kind}:${c.personal_number}:${day}`
        const earlier = await withoutRecord('register-import', () =>
          store.findEventBySourceId(db, sourceEventId),
        )
        if (earlier) {
          result.alreadyRecorded++
          continue
        }
        const input = await withoutRecord('register-import', () =>
          c.kind === 'pregnancy' ? birthOf(c, sourceEventId) : moveOf(c, sourceEventId),
        )
        // A day with every birth number taken gets no more children.
        const recorded: RegisterEventResult = input
          ? await deps.recordRegisterEvent(input)
          : { kind: 'invalid', problems: [{ field: 'personalNumber', problem: 'personal-number' }] }
        if (recorded.kind === 'recorded') {
          if (recorded.replayed) result.alreadyRecorded++
          else result.recorded++
        } else
          result.refused.push({
            sourceEventId,
            result: recorded.kind,
            ...(recorded.kind === 'invalid' ? { fields: recorded.problems.map((p) => p.field) } : {}),
          })
      }
      if (page.length < PAGE) break
      after = page[page.length - 1]?.id
    }
    return result
  }
}
