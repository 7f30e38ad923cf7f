// "Jag vabbar i dag": a parent records care days as they happen – today or tomorrow, whole or
// part days – and applies afterwards with the days already filled in. Nothing goes to
// Försäkringskassan on the first day (the duty to notify ended in 2019): the application comes later.
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { Temporal } from '../../platform/clock.ts'
import type { People } from '../people/index.ts'
import type { CasesTables } from './cases-tables.ts'
import { applicantReader, type FiledBy } from './file-case.ts'
import { CARE_FRACTIONS, CARE_REASONS } from './submit-vab-application.ts'

export interface CareDayRecord {
  childPersonId: string
  date: string
  fraction: number
  reason: (typeof CARE_REASONS)[number]
}

export type RecordResult =
  | { kind: 'recorded'; day: CareDayRecord & { childName: string } }
  | { kind: 'not-your-child' }
  | { kind: 'person-not-found' }
  | { kind: 'invalid'; problem: 'date-not-today-or-tomorrow' | 'fraction' | 'reason' }

export function createRecordCareDays(deps: { db: Kysely<CasesTables>; people: People; clock: Clock }) {
  const { db, people, clock } = deps

  async function recordCareDay(
    personId: string,
    day: CareDayRecord,
    recordedBy?: FiledBy,
  ): Promise<RecordResult> {
    const today = clock.today()
    if (day.date !== today.toString() && day.date !== today.add({ days: 1 }).toString())
      return { kind: 'invalid', problem: 'date-not-today-or-tomorrow' }
    if (!(CARE_FRACTIONS as readonly number[]).includes(day.fraction))
      return { kind: 'invalid', problem: 'fraction' }
    if (!(CARE_REASONS as readonly string[]).includes(day.reason))
      return { kind: 'invalid', problem: 'reason' }
    const person = await people.readPerson({
      ...applicantReader(personId, recordedBy, 'tillfallig-foraldrapenning-vab'),
      purpose: 'application',
    })
    if (!person) return { kind: 'person-not-found' }
    const child = person.family?.find(
      (f) => f.kind === 'child' && f.custody && f.personId === day.childPersonId,
    )
    if (!child) return { kind: 'not-your-child' }
    await db
      .insertInto('cases.recorded_care_days')
      .values({
        person_id: personId,
        child_person_id: child.personId,
        care_date: day.date,
        fraction: day.fraction,
        reason: day.reason,
        recorded_at: new Date(clock.now().epochMilliseconds),
      })
      .onConflict((oc) =>
        oc
          .columns(['person_id', 'child_person_id', 'care_date'])
          .doUpdateSet({ fraction: day.fraction, reason: day.reason }),
      )
      .execute()
    return { kind: 'recorded', day: { ...day, childName: child.givenName } }
  }

  /** Recorded days not yet in an application, oldest first: what the application form is prefilled with. */
  async function listRecordedDays(personId: string) {
    const rows = await db
      .selectFrom('cases.recorded_care_days')
      .select(['child_person_id', 'care_date', 'fraction', 'reason'])
      .where('person_id', '=', personId)
      .where('applied_in_case', 'is', null)
      .orderBy('care_date')
      .execute()
    return rows.map((r) => ({
      childPersonId: r.child_person_id,
      date: r.care_date,
      fraction: Number(r.fraction),
      reason: r.reason as CareDayRecord['reason'],
    }))
  }

  /** Days in the future are not offered for an application yet. */
  function applicable<T extends { date: string }>(days: T[]): T[] {
    const today = clock.today()
    return days.filter((d) => Temporal.PlainDate.compare(Temporal.PlainDate.from(d.date), today) <= 0)
  }

  return { recordCareDay, listRecordedDays, applicable }
}
