// samla simulate: a synthetic national population written into the register tables, streamed in
// blocks so that memory stays bounded whatever the number. PostgreSQL takes each block by COPY
// (pg-copy-streams), PGlite by multi-row INSERTs; on both the whole population is one transaction,
// so a failed run leaves nothing behind. While the database takes one block, the next is drawn.
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Temporal } from '../../platform/clock.ts'
import type { BulkLoader } from '../../platform/db/database.ts'
import type { PeopleTables } from './people-tables.ts'
import { loadPopulationStatistics } from './population-statistics.ts'
import {
  generateSyntheticPopulation,
  type SyntheticCircumstance,
  type SyntheticPerson,
  type SyntheticRelation,
  TEST_BIRTH_NUMBERS,
} from './synthetic-population.ts'

export interface SimulationRequest {
  persons: number
  seed: number
  today: Temporal.PlainDate
  /** Called after each block the database has taken. */
  onProgress?: (progress: { persons: number; total: number }) => void
}

export type SimulationResult =
  | { kind: 'simulated'; persons: number; relations: number; circumstances: number; households: number }
  /** The register already holds persons other than the test persons: a population is there. */
  | { kind: 'population-exists'; persons: number }

/** Persons per block: a couple of megabytes of COPY text. */
const BLOCK_PERSONS = 10_000
/** Rows per INSERT statement on PGlite (nine columns, well under the 65,535 parameters). */
const INSERT_ROWS = 2_000

export function createSimulatePopulation(deps: {
  db: Kysely<PeopleTables>
  bulkLoad: BulkLoader | undefined
  statisticsFile: string
}) {
  const { db } = deps

  return async function simulatePopulation(request: SimulationRequest): Promise<SimulationResult> {
    const existing = await db
      .selectFrom('people.persons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql<string>`substr(personal_number, 9, 3)`, 'not in', [...TEST_BIRTH_NUMBERS])
      .executeTakeFirstOrThrow()
    if (Number(existing.n) > 0) return { kind: 'population-exists', persons: Number(existing.n) }

    const stats = await loadPopulationStatistics(deps.statisticsFile)
    const totals = { persons: 0, relations: 0, circumstances: 0, households: 0 }
    const blocks = (async function* () {
      let block: Block = { persons: [], relations: [], circumstances: [] }
      for (const household of generateSyntheticPopulation(stats, request)) {
        // Now and then let the database connection's writes and reads run.
        if (totals.households % 1000 === 0) await new Promise((resolve) => setImmediate(resolve))
        block.persons.push(...household.persons)
        block.relations.push(...household.relations)
        block.circumstances.push(...household.circumstances)
        totals.households++
        if (block.persons.length >= BLOCK_PERSONS) {
          yield block
          block = { persons: [], relations: [], circumstances: [] }
        }
      }
      if (block.persons.length > 0) yield block
    })()

    const taken = (block: Block) => {
      totals.persons += block.persons.length
      totals.relations += block.relations.length
      totals.circumstances += block.circumstances.length
      request.onProgress?.({ persons: totals.persons, total: request.persons })
    }
    if (deps.bulkLoad) {
      await deps.bulkLoad(async (copy) => {
        let pending: Promise<void> = Promise.resolve()
        for await (const block of blocks) {
          const text = copyText(block) // drawn while the previous block is being taken
          await pending
          pending = (async () => {
            await copy(
              'copy people.persons (id, personal_number, given_name, family_name, birth_date, municipality_id, address, civil_status, occupation) from stdin',
              text.persons,
            )
            await copy(
              'copy people.relations (person_id, related_person_id, kind, custody) from stdin',
              text.relations,
            )
            if (text.circumstances)
              await copy(
                'copy people.circumstances (person_id, kind, data, source, registered_on) from stdin',
                text.circumstances,
              )
            taken(block)
          })()
        }
        await pending
      })
    } else {
      await db.transaction().execute(async (tx) => {
        for await (const block of blocks) {
          for (const rows of chunks(block.persons.map(personRow)))
            await tx.insertInto('people.persons').values(rows).execute()
          for (const rows of chunks(block.relations.map(relationRow)))
            await tx.insertInto('people.relations').values(rows).execute()
          for (const rows of chunks(block.circumstances.map(circumstanceRow)))
            await tx.insertInto('people.circumstances').values(rows).execute()
          taken(block)
        }
      })
    }
    return { kind: 'simulated', ...totals }
  }
}

interface Block {
  persons: SyntheticPerson[]
  relations: SyntheticRelation[]
  circumstances: SyntheticCircumstance[]
}

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += INSERT_ROWS) yield rows.slice(i, i + INSERT_ROWS)
}

const personRow = (p: SyntheticPerson) => ({
  id: p.id,
  personal_number: p.personalNumber,
  given_name: p.givenName,
  family_name: p.familyName,
  birth_date: p.birthDate,
  municipality_id: p.municipalityId,
  address: JSON.stringify(p.address),
  civil_status: p.civilStatus,
  occupation: JSON.stringify(p.occupation),
})
const relationRow = (r: SyntheticRelation) => ({
  person_id: r.personId,
  related_person_id: r.relatedPersonId,
  kind: r.kind,
  custody: r.custody,
})
const circumstanceRow = (c: SyntheticCircumstance) => ({
  person_id: c.personId,
  kind: c.kind,
  data: JSON.stringify(c.data),
  source: c.source,
  registered_on: c.registeredOn,
})

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
const field = (value: string) => (/[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value)
const escapeChar = (c: string) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')

function copyText(block: Block) {
  const persons = block.persons.map(
    (p) =>
      `${p.id}\t${p.personalNumber}\t${field(p.givenName)}\t${field(p.familyName)}\t${p.birthDate}\t${field(p.municipalityId)}\t${field(JSON.stringify(p.address))}\t${p.civilStatus}\t${field(JSON.stringify(p.occupation))}\n`,
  )
  const relations = block.relations.map(
    (r) => `${r.personId}\t${r.relatedPersonId}\t${r.kind}\t${r.custody ? 't' : 'f'}\n`,
  )
  const circumstances = block.circumstances.map(
    (c) =>
      `${c.personId}\t${c.kind}\t${field(JSON.stringify(c.data))}\t${field(c.source)}\t${c.registeredOn}\n`,
  )
  return { persons: persons.join(''), relations: relations.join(''), circumstances: circumstances.join('') }
}
