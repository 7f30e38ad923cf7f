// Tell us once: the person reports their move once in Samla. The move is checked (a street, a
// postal code, a town, a municipality Samla knows, a real date neither far back nor far ahead),
// and then, in one transaction, kept as a change with a delivery to every agency that needs it and
// the job for the first one: Skatteverket's folkbokföring. The rest follow once Skatteverket has
// given its receipt (deliver-change.ts). A double submit with the same key is one report; the same
// key with another move is a conflict; a second report of a move on the same day is refused.
import { createHash, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { type Clock, Temporal } from '../../platform/clock.ts'
import { enqueueJobs, type JobsTables } from '../../platform/jobs/queue.ts'
import type { Actor, People } from '../people/index.ts'
import { deliveryJobs } from './deliver-change.ts'
import * as store from './interop-store.ts'
import type { DeliveryStatus, InteropTables, MoveData } from './interop-tables.ts'
import { recipientsOf } from './recipients.ts'

/** How far back and ahead a move may be reported in Samla. */
export const MOVE_WINDOW = { daysBack: 365, daysAhead: 365 }

export interface MoveReport {
  street: string
  postalCode: string
  city: string
  /** The municipality moved to: an agency id of the catalogue (goteborgs-stad). */
  municipalityId: string
  /** YYYY-MM-DD: the day the person moves in. */
  moveDate: string
}

export type MoveProblem =
  | 'street'
  | 'postal-code'
  | 'city'
  | 'unknown-municipality'
  | 'invalid-date'
  | 'date-too-early'
  | 'date-too-late'

export type ReportMoveResult =
  | {
      kind: 'reported'
      changeId: string
      moveDate: string
      replayed: boolean
      deliveries: Array<{ agencyId: string; status: DeliveryStatus }>
    }
  | { kind: 'invalid'; problems: Array<{ field: keyof MoveReport; problem: MoveProblem }> }
  | { kind: 'person-not-found' }
  | { kind: 'idempotency-conflict' }
  | { kind: 'already-reported'; moveDate: string }

/** The move, tidied and checked: the problems, each with the field it belongs to. */
export function checkMove(
  report: MoveReport,
  today: Temporal.PlainDate,
  isMunicipality: (id: string) => boolean,
): { move: MoveReport; problems: Array<{ field: keyof MoveReport; problem: MoveProblem }> } {
  const move: MoveReport = {
    street: report.street.trim().replace(/\s+/g, ' '),
    postalCode: report.postalCode.replace(/\s+/g, ''),
    city: report.city.trim().replace(/\s+/g, ' '),
    municipalityId: report.municipalityId.trim(),
    moveDate: report.moveDate.trim(),
  }
  const problems: Array<{ field: keyof MoveReport; problem: MoveProblem }> = []
  if (move.street.length < 2 || move.street.length > 100 || !/\p{L}/u.test(move.street))
    problems.push({ field: 'street', problem: 'street' })
  if (/^\d{5}$/.test(move.postalCode))
    move.postalCode = `${move.postalCode.slice(0, 3)} ${move.postalCode.slice(3)}`
  else problems.push({ field: 'postalCode', problem: 'postal-code' })
  if (move.city.length < 2 || move.city.length > 60 || !/^[\p{L}][\p{L} .'-]*$/u.test(move.city))
    problems.push({ field: 'city', problem: 'city' })
  if (!isMunicipality(move.municipalityId))
    problems.push({ field: 'municipalityId', problem: 'unknown-municipality' })
  let date: Temporal.PlainDate | undefined
  if (/^\d{4}-\d{2}-\d{2}$/.test(move.moveDate)) {
    try {
      date = Temporal.PlainDate.from(move.moveDate, { overflow: 'reject' })
    } catch {
      date = undefined
    }
  }
  if (!date) problems.push({ field: 'moveDate', problem: 'invalid-date' })
  else if (Temporal.PlainDate.compare(date, today.subtract({ days: MOVE_WINDOW.daysBack })) < 0)
    problems.push({ field: 'moveDate', problem: 'date-too-early' })
  else if (Temporal.PlainDate.compare(date, today.add({ days: MOVE_WINDOW.daysAhead })) > 0)
    problems.push({ field: 'moveDate', problem: 'date-too-late' })
  return { move, problems }
}

export function createReportMove(deps: {
  db: Kysely<InteropTables & JobsTables>
  clock: Clock
  people: People
  isMunicipality: (id: string) => Promise<boolean>
}) {
  const { db, clock, people } = deps

  async function answerFor(changeId: string, moveDate: string, replayed: boolean): Promise<ReportMoveResult> {
    const deliveries = await store.listDeliveries(db, changeId)
    return {
      kind: 'reported',
      changeId,
      moveDate,
      replayed,
      deliveries: deliveries.map((d) => ({ agencyId: d.agency_id, status: d.status })),
    }
  }

  async function replay(personId: string, key: string, hash: string): Promise<ReportMoveResult | undefined> {
    const earlier = await store.findChangeByKey(db, personId, key)
    if (!earlier) return undefined
    if (earlier.request_hash !== hash) return { kind: 'idempotency-conflict' }
    return answerFor(earlier.id, earlier.occurred_on, true)
  }

  /**
   * Reports the person's move. The reader is the person (or who acts for them); the person's own
   * register data gives the personal identity number and the municipality moved from.
   */
  return async function reportMove(request: {
    reader: { actor: Actor; personId: string; onBehalfOf?: string; scope?: string }
    idempotencyKey: string
    report: MoveReport
  }): Promise<ReportMoveResult> {
    const municipalities = new Map<string, boolean>()
    municipalities.set(
      request.report.municipalityId,
      await deps.isMunicipality(request.report.municipalityId),
    )
    const { move, problems } = checkMove(
      request.report,
      clock.today(),
      (id) => municipalities.get(id) === true,
    )
    if (problems.length > 0) return { kind: 'invalid', problems }
    const personId = request.reader.personId
    const hash = createHash('sha256').update(JSON.stringify(move)).digest('hex')

    const person = await people.readPerson({ ...request.reader, purpose: 'tell-us-once' })
    if (!person?.identity || !person.address) return { kind: 'person-not-found' }
    const earlier = await replay(personId, request.idempotencyKey, hash)
    if (earlier) return earlier

    const data: MoveData & { personalNumber: string } = {
      personalNumber: person.identity.personalNumber,
      street: move.street,
      postalCode: move.postalCode,
      city: move.city,
      fromMunicipalityId: person.address.municipalityId,
      toMunicipalityId: move.municipalityId,
    }
    const at = new Date(clock.now().epochMilliseconds)
    const changeId = randomUUID()
    try {
      const added = await db.transaction().execute(async (tx) => {
        const inserted = await store.insertChange(tx, {
          id: changeId,
          personId,
          kind: 'move',
          occurredOn: move.moveDate,
          source: 'samla',
          data,
          idempotencyKey: request.idempotencyKey,
          requestHash: hash,
          recordedAt: at,
        })
        if (!inserted) return false
        const deliveries = recipientsOf('move', data, 'samla').map((r) => ({
          id: randomUUID(),
          changeId,
          personId,
          agencyId: r.agencyId,
          stage: r.stage,
          status: (r.stage === 1 ? 'pending' : 'waiting') as DeliveryStatus,
          eventId: randomUUID(),
          createdAt: at,
        }))
        await store.insertDeliveries(tx, deliveries)
        await enqueueJobs(
          tx,
          deliveryJobs(
            deliveries
              .filter((d) => d.stage === 1)
              .map((d) => ({ id: d.id, person_id: personId, agency_id: d.agencyId })),
          ),
          at,
        )
        return true
      })
      if (!added) return { kind: 'already-reported', moveDate: move.moveDate }
    } catch (error) {
      // Two submits with the same key at once: the unique key lets one in, the other gets it.
      const again = await replay(personId, request.idempotencyKey, hash)
      if (again) return again
      throw error
    }
    return answerFor(changeId, move.moveDate, false)
  }
}
