// Set-based reads of the register for scans over the whole population (the date triggers): each
// returns a query, not rows, so that the caller can put it inside its own INSERT … SELECT and let
// PostgreSQL evaluate it where the data lies; only what matches moves. The SQL over people's tables
// stays here. Every query has the columns recipient_id (whom it concerns), subject_id and
// subject_given_name (the person it is about: the child, or the recipient themself).
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { PeopleTables } from './people-tables.ts'

export function createRegisterScans(db: Kysely<PeopleTables>) {
  return {
    /** Persons born on one of the dates (uses the index on birth_date). */
    personsBornOn: (birthDates: string[]) =>
      db
        .selectFrom('people.persons as p')
        .select(['p.id as recipient_id', 'p.id as subject_id', 'p.given_name as subject_given_name'])
        .where('p.birth_date', 'in', birthDates),

    /** The parents with custody of the persons born on one of the dates. */
    custodiansOfPersonsBornOn: (birthDates: string[]) =>
      db
        .selectFrom('people.persons as c')
        .innerJoin('people.relations as r', 'r.related_person_id', 'c.id')
        .select(['r.person_id as recipient_id', 'c.id as subject_id', 'c.given_name as subject_given_name'])
        .where('c.birth_date', 'in', birthDates)
        .where('r.kind', '=', 'child')
        .where('r.custody', '=', true),

    /** Everyone the register gives an income above nothing. */
    personsWithIncome: () =>
      db
        .selectFrom('people.persons as p')
        .select(['p.id as recipient_id', 'p.id as subject_id', 'p.given_name as subject_given_name'])
        .where(sql<number>`(p.occupation ->> 'annualIncomeSek')::bigint`, '>', 0),
  }
}

export type RegisterScans = ReturnType<typeof createRegisterScans>
