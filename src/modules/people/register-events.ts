// Register events: what the registers tell Samla has happened – a birth or a death registered in
// folkbokföringen, a pregnancy registered by maternity care, a move, a marriage, a company
// registered at Bolagsverket, an age reached. An event is stored once, by the register's own id for
// it; applying it changes persons, relations and circumstances as the register would (a birth adds
// the child and the guardians' custody, a move the address, a death the date of death); and in the
// same transaction the job `register-event.recorded` tells the rest of Samla. The same event sent
// again changes nothing and tells no one again.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import Type, { type TSchema } from 'typebox'
import Value from 'typebox/value'
import { withoutRecord } from '../../platform/access-scope.ts'
import { type Clock, Temporal } from '../../platform/clock.ts'
import { enqueueJob, type JobsTables } from '../../platform/jobs/queue.ts'
import * as people from './people-store.ts'
import type { PeopleTables } from './people-tables.ts'
import { normalisePersonalNumber } from './personal-number.ts'
import type { RecordedReads } from './record-reads.ts'
import * as store from './register-events-store.ts'

/** The job every stored register event enqueues: who hears of it is named in app/jobs.ts. */
export const REGISTER_EVENT_RECORDED = 'register-event.recorded'

export const REGISTER_EVENT_KINDS = [
  'birth',
  'pregnancy',
  'move',
  'death',
  'marriage',
  'company-registration',
  'age-reached',
] as const
export type RegisterEventKind = (typeof REGISTER_EVENT_KINDS)[number]

/** The payload of `register-event.recorded`. */
export interface RegisterEventRecorded {
  eventId: string
  kind: RegisterEventKind
  /** Everyone the event concerns: for a birth the child first, then the guardians. */
  personIds: string[]
  /** The day it happened. */
  occurredOn: string
}

/** An event as a register adapter (or the operator's API and CLI) sends it. */
export interface RegisterEventInput {
  /** The register's own id for the event: the same id is the same event. */
  sourceEventId: string
  /** The register that sent it; by default Skatteverket (Bolagsverket for a company, the region for a pregnancy). */
  source?: string | undefined
  kind: string
  /** The person the event is about: for a birth the child's new personal identity number. */
  personalNumber: string
  /** The day it happened (YYYY-MM-DD). */
  occurredOn: string
  data?: Record<string, unknown> | undefined
}

/** A stored event, as those who hear of it read it. */
export interface RegisterEvent {
  id: string
  source: string
  kind: RegisterEventKind
  occurredOn: string
  personId: string
  personIds: string[]
  data: Record<string, unknown>
}

export interface Problem {
  field: string
  problem: string
  params?: Record<string, string | number>
}

export type RegisterEventResult =
  | { kind: 'recorded'; eventId: string; replayed: boolean; personIds: string[] }
  | { kind: 'unknown-kind' }
  | { kind: 'invalid'; problems: Problem[] }
  | { kind: 'person-not-found'; field: string }
  | { kind: 'person-exists' }
  | { kind: 'conflict' }

const PersonalNumberText = Type.String({ minLength: 10, maxLength: 13 })
const Name = Type.String({ minLength: 1, maxLength: 100 })
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

/** What each kind of event carries beside the person and the day. */
const DATA: Record<RegisterEventKind, TSchema> = {
  birth: Type.Object(
    {
      guardians: Type.Array(PersonalNumberText, { minItems: 1, maxItems: 2 }),
      givenName: Type.Optional(Name),
      familyName: Type.Optional(Name),
    },
    { additionalProperties: false },
  ),
  pregnancy: Type.Object({ expectedDate: IsoDate }, { additionalProperties: false }),
  move: Type.Object(
    {
      municipality: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 }),
      street: Name,
      postalCode: Type.String({ pattern: '^\\d{3} ?\\d{2}$' }),
      city: Name,
    },
    { additionalProperties: false },
  ),
  death: Type.Object({}, { additionalProperties: false }),
  marriage: Type.Object({ spouse: PersonalNumberText }, { additionalProperties: false }),
  'company-registration': Type.Object(
    {
      organisationNumber: Type.String({ pattern: '^\\d{6}-?\\d{4}$' }),
      name: Name,
      form: Type.Union([
        Type.Literal('enskild-firma'),
        Type.Literal('aktiebolag'),
        Type.Literal('handelsbolag'),
      ]),
    },
    { additionalProperties: false },
  ),
  'age-reached': Type.Object(
    { age: Type.Integer({ minimum: 0, maximum: 130 }) },
    { additionalProperties: false },
  ),
}

const DEFAULT_SOURCE: Record<RegisterEventKind, string> = {
  birth: 'skatteverket',
  pregnancy: 'region',
  move: 'skatteverket',
  death: 'skatteverket',
  marriage: 'skatteverket',
  'company-registration': 'bolagsverket',
  'age-reached': 'skatteverket',
}

const isKind = (kind: string): kind is RegisterEventKind =>
  (REGISTER_EVENT_KINDS as readonly string[]).includes(kind)

function realDate(text: unknown): Temporal.PlainDate | undefined {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' })
  } catch {
    return undefined
  }
}

/** A checked event: its kind known, its personal identity numbers and dates real. */
interface CheckedEvent {
  sourceEventId: string
  source: string
  kind: RegisterEventKind
  personalNumber: string
  occurredOn: string
  data: Record<string, unknown>
  /** Other persons the event names, by personal identity number, with the field that names them. */
  named: Array<{ field: string; personalNumber: string }>
}

/**
 * Checks an event before anything is read or written: the kind, the personal identity numbers, the
 * dates and what the kind carries. Pure; `today` bounds the day it happened.
 */
export function checkRegisterEvent(
  input: RegisterEventInput,
  today: Temporal.PlainDate,
):
  | { kind: 'checked'; event: CheckedEvent }
  | { kind: 'unknown-kind' }
  | { kind: 'invalid'; problems: Problem[] } {
  if (!isKind(input.kind)) return { kind: 'unknown-kind' }
  const kind = input.kind
  const problems: Problem[] = []
  const sourceEventId = String(input.sourceEventId ?? '').trim()
  if (!/^[\w.:-]{1,200}$/.test(sourceEventId))
    problems.push({ field: 'sourceEventId', problem: 'source-event-id' })
  const source = input.source?.trim() || DEFAULT_SOURCE[kind]
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(source) || source.length > 80)
    problems.push({ field: 'source', problem: 'source' })
  const personalNumber = normalisePersonalNumber(String(input.personalNumber ?? ''))
  if (!personalNumber) problems.push({ field: 'personalNumber', problem: 'personal-number' })
  const occurred = realDate(input.occurredOn)
  if (!occurred) problems.push({ field: 'occurredOn', problem: 'date' })
  else if (Temporal.PlainDate.compare(occurred, today) > 0 || occurred.year < 1900)
    problems.push({ field: 'occurredOn', problem: 'not-in-future', params: { today: today.toString() } })

  const data = input.data ?? {}
  const schema = DATA[kind]
  if (!Value.Check(schema, data))
    for (const error of Value.Errors(schema, data)) {
      const path = error.instancePath.replace(/^\//, '').replace(/\/.*$/, '')
      const missing = (error.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0]
      const field = `data.${missing ?? (path || 'data')}`
      if (!problems.some((p) => p.field === field)) problems.push({ field, problem: `data-${kind}` })
    }
  const named: CheckedEvent['named'] = []
  const checkedData: Record<string, unknown> = { ...data }
  if (problems.length === 0) {
    if (kind === 'birth') {
      const guardians = (data.guardians as string[]).map((g, i) => {
        const pnr = normalisePersonalNumber(g)
        if (!pnr) problems.push({ field: `data.guardians.${i}`, problem: 'personal-number' })
        else named.push({ field: `data.guardians.${i}`, personalNumber: pnr })
        return pnr
      })
      if (new Set(guardians).size < guardians.length || guardians.includes(personalNumber))
        problems.push({ field: 'data.guardians', problem: 'guardians-distinct' })
      // The child's personal identity number holds the date of birth.
      if (
        personalNumber &&
        occurred &&
        personalNumber.slice(0, 8) !== occurred.toString().replaceAll('-', '')
      )
        problems.push({ field: 'personalNumber', problem: 'birth-date' })
      checkedData.guardians = guardians
    }
    if (kind === 'pregnancy') {
      const expected = realDate(data.expectedDate)
      if (!expected || (occurred && Temporal.PlainDate.compare(expected, occurred) < 0))
        problems.push({ field: 'data.expectedDate', problem: 'expected-date' })
    }
    if (kind === 'marriage') {
      const spouse = normalisePersonalNumber(String(data.spouse))
      if (!spouse || spouse === personalNumber)
        problems.push({ field: 'data.spouse', problem: 'personal-number' })
      else named.push({ field: 'data.spouse', personalNumber: spouse })
      checkedData.spouse = spouse
    }
    if (kind === 'move') checkedData.postalCode = String(data.postalCode).replace(/^(\d{3})(\d{2})$/, '$1 $2')
  }
  if (problems.length > 0 || !personalNumber || !occurred) return { kind: 'invalid', problems }
  return {
    kind: 'checked',
    event: {
      sourceEventId,
      source,
      kind,
      personalNumber,
      occurredOn: occurred.toString(),
      data: checkedData,
      named,
    },
  }
}

/** The fingerprint of an event as it came: the same id with other content is another event. */
function hashOf(e: CheckedEvent): string {
  const { sourceEventId, source, kind, personalNumber, occurredOn, data } = e
  return createHash('sha256')
    .update(JSON.stringify([sourceEventId, source, kind, personalNumber, occurredOn, data]))
    .digest('hex')
}

export function createRegisterEvents(deps: {
  db: Kysely<PeopleTables>
  access: RecordedReads
  clock?: Clock | undefined
  /** Whether an id is a municipality Samla knows (the catalogue, from the composition root). */
  isMunicipality?: ((id: string) => Promise<boolean>) | undefined
}) {
  const { db, access } = deps
  const today = () => deps.clock?.today() ?? Temporal.Now.plainDateISO('Europe/Stockholm')
  const now = () => (deps.clock ? new Date(deps.clock.now().epochMilliseconds) : new Date())

  /**
   * Stores an event once and applies it to the register's tables, with the job that tells the rest
   * of Samla, in one transaction. Recorded for everyone it concerns, as a register import.
   */
  async function recordRegisterEvent(input: RegisterEventInput): Promise<RegisterEventResult> {
    const checked = checkRegisterEvent(input, today())
    if (checked.kind !== 'checked') return checked
    const event = checked.event
    if (
      event.kind === 'move' &&
      deps.isMunicipality &&
      !(await deps.isMunicipality(String(event.data.municipality)))
    )
      return { kind: 'invalid', problems: [{ field: 'data.municipality', problem: 'municipality' }] }
    const requestHash = hashOf(event)

    // Whom the personal identity numbers name: an internal id, or no one.
    const ids = await withoutRecord('access-policy', async () => {
      const subject = await people.findPersonIdByPersonalNumber(db, event.personalNumber)
      const named = await Promise.all(
        event.named.map(async (n) => ({
          ...n,
          id: await people.findPersonIdByPersonalNumber(db, n.personalNumber),
        })),
      )
      const earlier = await store.findEventBySourceId(db, event.sourceEventId)
      return { subject, named, earlier }
    })
    if (ids.earlier) return replayOf(ids.earlier, requestHash)
    if (event.kind === 'birth' && ids.subject) return { kind: 'person-exists' }
    if (event.kind !== 'birth' && !ids.subject) return { kind: 'person-not-found', field: 'personalNumber' }
    const unknown = ids.named.find((n) => !n.id)
    if (unknown) return { kind: 'person-not-found', field: unknown.field }
    const namedIds = ids.named.map((n) => n.id as string)

    try {
      return await access.read(
        { actor: { kind: 'samla', process: 'register-events' }, purpose: 'register-import' },
        async (scope) => {
          const result = await db.transaction().execute(async (tx) => {
            const at = now()
            let personId = ids.subject as string
            let personIds = [personId, ...namedIds]
            const data: Record<string, unknown> = { ...event.data }
            switch (event.kind) {
              case 'birth': {
                // The child is registered where the first guardian lives, with that family name
                // unless the register gives another.
                const first = await people.findPersonRow(tx, namedIds[0] as string)
                if (!first) throw new Error('guardian vanished')
                personId = await store.insertNewborn(tx, {
                  personalNumber: event.personalNumber,
                  givenName: String(event.data.givenName ?? ''),
                  familyName: String(event.data.familyName ?? first.family_name),
                  birthDate: event.occurredOn,
                  municipalityId: first.municipality_id,
                  address: first.address,
                })
                personIds = [personId, ...namedIds]
                await store.addRelations(
                  tx,
                  namedIds.flatMap((guardian) => [
                    { personId: guardian, relatedPersonId: personId, kind: 'child' as const, custody: true },
                    { personId, relatedPersonId: guardian, kind: 'parent' as const, custody: true },
                  ]),
                )
                data.guardians = namedIds
                break
              }
              case 'pregnancy':
                await store.upsertCircumstance(tx, {
                  personId,
                  kind: 'pregnancy',
                  data: { expectedDate: event.data.expectedDate },
                  source: event.source,
                  registeredOn: event.occurredOn,
                })
                break
              case 'move': {
                const before = await people.findPersonRow(tx, personId)
                const address = {
                  street: String(event.data.street),
                  postalCode: String(event.data.postalCode),
                  city: String(event.data.city),
                }
                await store.updateAddress(tx, personId, String(event.data.municipality), address)
                await store.deleteCircumstance(tx, personId, 'planned-move')
                data.previousMunicipality = before?.municipality_id ?? null
                break
              }
              case 'death':
                await store.markDead(tx, personId, event.occurredOn)
                break
              case 'marriage':
                await store.marry(tx, personId, namedIds[0] as string)
                data.spouse = namedIds[0]
                break
              case 'company-registration':
                await store.deleteCircumstance(tx, personId, 'planned-business')
                break
              case 'age-reached':
                break
            }
            const eventId = await store.insertEvent(tx, {
              source: event.source,
              sourceEventId: event.sourceEventId,
              kind: event.kind,
              occurredOn: event.occurredOn,
              personId,
              personIds,
              data,
              requestHash,
              receivedAt: at,
            })
            const payload: RegisterEventRecorded = {
              eventId,
              kind: event.kind,
              personIds,
              occurredOn: event.occurredOn,
            }
            await enqueueJob(
              tx.withTables<JobsTables>(),
              { name: REGISTER_EVENT_RECORDED, payload, uniqueKey: `${REGISTER_EVENT_RECORDED}:${eventId}` },
              at,
            )
            return { kind: 'recorded' as const, eventId, replayed: false, personIds }
          })
          for (const id of result.personIds) scope.record(id)
          return result
        },
      )
    } catch (error) {
      // The same event at the same moment: the unique id lets one in, and the other is answered with it.
      const earlier = await withoutRecord('access-policy', () =>
        store.findEventBySourceId(db, event.sourceEventId),
      )
      if (!earlier) throw error
      return replayOf(earlier, requestHash)
    }
  }

  function replayOf(
    earlier: { id: string; person_ids: string[]; request_hash: string },
    requestHash: string,
  ): RegisterEventResult {
    if (earlier.request_hash !== requestHash) return { kind: 'conflict' }
    return { kind: 'recorded', eventId: earlier.id, replayed: true, personIds: earlier.person_ids }
  }

  /**
   * An event as those who hear of it read it (journeys, cases, tell us once): the event was
   * recorded for everyone it concerns when it arrived.
   */
  async function findRegisterEvent(eventId: string): Promise<RegisterEvent | undefined> {
    const row = await withoutRecord('register-events', () => store.findEvent(db, eventId))
    if (!row || !isKind(row.kind)) return undefined
    return {
      id: row.id,
      source: row.source,
      kind: row.kind,
      occurredOn: row.occurred_on,
      personId: row.person_id,
      personIds: row.person_ids,
      data: row.data,
    }
  }

  return { recordRegisterEvent, findRegisterEvent }
}
