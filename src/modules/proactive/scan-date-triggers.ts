// The scan: for a day, every rule due then, over the whole population, in one partition of it.
//
// Each rule is one INSERT … SELECT: the register's (or the cases') query finds whom it concerns,
// PostgreSQL evaluates it where the data lies, and only the matches are written, each with its
// reason, ON CONFLICT DO NOTHING against the key (person, kind, occasion). Nothing is read into
// this process, so memory stays flat whatever the population; and the date rules are equalities on
// the date of birth, which the index on people.persons (birth_date) answers without reading the
// table. Only the rule that concerns everyone with an income (the day the tax return opens) reads
// the whole table, once per partition.
//
// Partitions are ranges of a hash of the recipient's person id (PostgreSQL's uuid_hash): any
// number of workers can each take partitions, together they cover everyone once, and the key makes
// a partition scanned twice, or by two workers at once, fire nothing twice.
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { withoutRecord } from '../../platform/access-scope.ts'
import type { Translate } from '../../platform/i18n.ts'
import type { CaseDeadlineScans } from '../cases/index.ts'
import type { RegisterScans } from '../people/index.ts'
import { type DueRule, parseDay, rulesDueOn, type TaxCalendar, type TriggerKind } from './date-rules.ts'
import type { ProactiveTables } from './proactive-tables.ts'

export interface DateScan {
  /** YYYY-MM-DD */
  date: string
  /** This scan's partition, from 0 to partitions − 1. */
  partition: number
  partitions: number
}

export type DateScanResult =
  | { kind: 'scanned'; fired: Partial<Record<TriggerKind, number>>; total: number }
  | { kind: 'invalid-date' }
  | { kind: 'invalid-partition' }

export const MAX_PARTITIONS = 4096

/** The range of uuid_hash (a 32-bit signed integer) that partition p of n covers. */
export function hashRange(partition: number, partitions: number): { from: number; to: number } {
  const span = 2 ** 32
  return {
    from: -(2 ** 31) + Math.floor((partition * span) / partitions),
    to: -(2 ** 31) + Math.floor(((partition + 1) * span) / partitions) - 1,
  }
}

export function createScanDateTriggers(deps: {
  db: Kysely<ProactiveTables>
  people: { scans: RegisterScans }
  cases: { scans: CaseDeadlineScans }
  calendar: TaxCalendar
  /** Swedish messages: the reasons are stored in the language of the register. */
  reasons: Translate
}) {
  const { db } = deps

  const matchesOf = (rule: DueRule) => {
    const a = rule.audience
    switch (a.kind) {
      case 'custodians-of-born-on':
        return deps.people.scans.custodiansOfPersonsBornOn(a.birthDates)
      case 'born-on':
        return deps.people.scans.personsBornOn(a.birthDates)
      case 'with-income':
        return deps.people.scans.personsWithIncome()
      case 'open-cases-submitted-on':
        return deps.cases.scans.openCasesSubmittedOn(a.days)
    }
  }

  async function fire(rule: DueRule, date: string, range: { from: number; to: number }): Promise<number> {
    // {name} stays in the template; PostgreSQL puts each subject's given name in.
    const template = deps.reasons(rule.reason.key, rule.reason.params)
    const occasion = 'subject' in rule.occasion ? sql`m.subject_id::text` : sql`${rule.occasion.value}::text`
    const result = await sql`
      insert into proactive.fired_triggers (person_id, kind, occasion, due_on, reason, fired_on)
      select m.recipient_id, ${rule.kind}, ${occasion}, ${rule.dueOn}::date,
             replace(${template}::text, '{name}', coalesce(m.subject_given_name, '')), ${date}::date
      from (${matchesOf(rule)}) as m
      where uuid_hash(m.recipient_id) between ${range.from} and ${range.to}
      on conflict do nothing`.execute(db)
    return Number(result.numAffectedRows ?? 0)
  }

  return async function scanDateTriggers(scan: DateScan): Promise<DateScanResult> {
    const day = parseDay(scan.date)
    if (!day) return { kind: 'invalid-date' }
    const { partition, partitions } = scan
    if (
      !Number.isInteger(partitions) ||
      partitions < 1 ||
      partitions > MAX_PARTITIONS ||
      !Number.isInteger(partition) ||
      partition < 0 ||
      partition >= partitions
    )
      return { kind: 'invalid-partition' }
    const range = hashRange(partition, partitions)
    const fired: Partial<Record<TriggerKind, number>> = {}
    let total = 0
    await withoutRecord('date-triggers', async () => {
      for (const rule of rulesDueOn(day, deps.calendar)) {
        const n = await fire(rule, scan.date, range)
        fired[rule.kind] = (fired[rule.kind] ?? 0) + n
        total += n
      }
    })
    return { kind: 'scanned', fired, total }
  }
}
