// people: persons and their relations as the population register gives them, and the one door
// through which any personal data is read (actor + purpose, logged for the citizen).
import type { Kysely } from 'kysely'
import { withoutRecord } from '../../platform/access-scope.ts'
import { type Clock, Temporal } from '../../platform/clock.ts'
import type { BulkLoader } from '../../platform/db/database.ts'
import {
  type Actor,
  type CaseAccessCheck,
  type ConsentCheck,
  type DataCategory,
  describeActor,
  mayRead,
  PURPOSES,
  type Purpose,
  type RepresentationCheck,
} from './access.ts'
import { verifyAccessChains } from './access-chain.ts'
import { createAccessRecords } from './access-records.ts'
import { createDueRegisterEvents } from './due-register-events.ts'
import * as store from './people-store.ts'
import type { PeopleTables } from './people-tables.ts'
import { createPeoplePersonalData } from './personal-data.ts'
import type { PopulationRegister } from './population-register.ts'
import { assertAccessRequest, createRecordedReads } from './record-reads.ts'
import { createRegisterEvents } from './register-events.ts'
import { createRegisterScans } from './register-scans.ts'
import { createSimulatePopulation, type SimulationRequest } from './simulate-population.ts'

export type {
  Actor,
  CaseAccessCheck,
  ConsentCheck,
  DataCategory,
  Purpose,
  Representation,
  RepresentationCheck,
} from './access.ts'
export { DATA_CATEGORIES, PURPOSES } from './access.ts'
export type { AccessRecord } from './people-store.ts'
/** The tables that hold a person's data: read only inside an access scope (record-reads.ts). */
export const PEOPLE_PERSONAL_TABLES = [
  'people.persons',
  'people.relations',
  'people.circumstances',
  'people.register_events',
] as const
export {
  type BrokenLink,
  type ChainVerification,
  describeVerification,
  findBrokenLink,
  verifyAccessChains,
} from './access-chain.ts'
export { type AccessRecordView, READERS, type Reader } from './access-records.ts'
export { accessRecordsHttp } from './access-records-http.ts'
export type { DueRegisterEventsResult } from './due-register-events.ts'
export { peopleApi, peoplePages } from './people-http.ts'
export type { PeopleTables } from './people-tables.ts'
export { formatPersonalNumber, normalisePersonalNumber } from './personal-number.ts'
export { createDemoPopulationRegister, type PopulationRegister } from './population-register.ts'
export type { AccessRequest, ReadScope } from './record-reads.ts'
export {
  REGISTER_EVENT_KINDS,
  REGISTER_EVENT_RECORDED,
  type RegisterEvent,
  type RegisterEventInput,
  type RegisterEventKind,
  type RegisterEventRecorded,
  type RegisterEventResult,
} from './register-events.ts'
export { REGISTER_OPERATOR_ROLE, registerEventsHttp, unwrapRegisterEvent } from './register-events-http.ts'
export type { RegisterScans } from './register-scans.ts'
export type { SimulationResult } from './simulate-population.ts'

export interface PersonData {
  id: string
  identity?: { personalNumber: string; givenName: string; familyName: string; birthDate: string }
  address?: { municipalityId: string; street: string; postalCode: string; city: string }
  civilStatus?: string
  occupation?: { kind: string; employer?: string; annualIncomeSek?: number } | null
  family?: Array<{
    personId: string
    kind: 'child' | 'parent' | 'spouse'
    custody: boolean
    givenName: string
    familyName: string
    birthDate: string
  }>
  circumstances?: Array<{ kind: string; data: Record<string, unknown>; source: string; registeredOn: string }>
  /** The latest final taxation, or null when the tax register has none. */
  income?: { year: number; earnedIncomeSek: number; source: string } | null
  pensions?: Array<{ kind: string; payer: string; grossPerMonthSek: number; taxPerMonthSek: number }>
}

export interface ReadRequest {
  actor: Actor
  purpose: Purpose
  personId: string
  /** When someone acts for another person: whose errand it is. */
  onBehalfOf?: string
  /**
   * When someone acts for another person: what the errand touches, within which their right must
   * reach: an area (elderly-care, personal-details …) or a service's case (service:hemtjanst).
   */
  scope?: string
  /** For case handling: the case that gives the caseworker a reason to read. */
  caseId?: string
}

export type People = ReturnType<typeof createPeople>

export function createPeople(deps: {
  db: Kysely<PeopleTables>
  register: PopulationRegister
  caseAccess?: CaseAccessCheck
  /** Answers for reads that rest on consent; the consent module, wired in the composition root. */
  consentCheck?: ConsentCheck
  /** Answers for a guardian's or a proxy's reads; the auth module, wired in the composition root. */
  representationAccess?: RepresentationCheck
  /** When reads happen; the database's clock when not given. */
  clock?: Clock
  /** Where access records go; the persons' chains unless a benchmark measures without them. */
  appendAccessRecords?: (records: store.AccessRecord[]) => Promise<void>
  /** PostgreSQL's COPY, for writing a synthetic population; batched inserts without it. */
  bulkLoad?: BulkLoader
  /** data/population/sweden.yaml: the statistics a synthetic population is drawn from. */
  populationStatistics?: string
  /** Whether an id is a municipality Samla knows: a move's destination is checked against it. */
  isMunicipality?: (id: string) => Promise<boolean>
}) {
  const { db, register } = deps
  const access = createRecordedReads({ db, clock: deps.clock, append: deps.appendAccessRecords })

  /**
   * The one door: reads the categories of a person's data that the purpose needs, if the actor may,
   * and writes one access record for each person whose data is read (a relative's name included).
   * Returns undefined when there is no such person or the actor may not read them; callers answer
   * 404 for both, so that existence is not revealed.
   */
  async function readPerson(
    request: ReadRequest,
    vouched: { namedByPersonalNumber?: boolean } = {},
  ): Promise<PersonData | undefined> {
    const { actor, purpose, personId } = request
    const caseAccess =
      purpose === 'case-handling' && request.caseId !== undefined && deps.caseAccess !== undefined
        ? await deps.caseAccess(actor, personId, request.caseId)
        : false
    const categories: readonly DataCategory[] = PURPOSES[purpose].categories
    const consentId =
      PURPOSES[purpose].legalBasis === 'consent' && deps.consentCheck !== undefined
        ? await deps.consentCheck({ actor, personId, purpose, categories })
        : undefined
    // Someone acting for the person: on what right, for an errand in which scope (auth answers).
    const representation =
      actor.kind === 'person' &&
      actor.personId !== personId &&
      request.onBehalfOf === personId &&
      request.scope !== undefined &&
      deps.representationAccess !== undefined
        ? await deps.representationAccess(actor, personId, request.scope)
        : undefined
    if (
      !mayRead(actor, personId, purpose, caseAccess, consentId !== undefined, {
        representation,
        namedByPersonalNumber: vouched.namedByPersonalNumber === true,
      })
    )
      return undefined
    const has = (c: DataCategory) => categories.includes(c)
    // The family comes with the person's row when the purpose needs it: one query, not two.
    const withFamily = has('family') ? await store.findPersonWithFamily(db, personId) : undefined
    const row = has('family') ? withFamily : await store.findPersonRow(db, personId)
    if (!row) return undefined
    const data: PersonData = { id: row.id }
    if (has('identity'))
      data.identity = {
        personalNumber: row.personal_number,
        givenName: row.given_name,
        familyName: row.family_name,
        birthDate: row.birth_date,
      }
    if (has('address')) data.address = { municipalityId: row.municipality_id, ...row.address }
    if (has('civil-status')) data.civilStatus = row.civil_status
    if (has('occupation')) data.occupation = row.occupation
    if (has('circumstances'))
      data.circumstances = (await store.findCircumstances(db, personId)).map((c) => ({
        kind: c.kind,
        data: c.data,
        source: c.source,
        registeredOn: c.registered_on,
      }))
    if (has('income') || has('pension')) {
      // Read at the source each time, never copied into Samla.
      const income = (await register.findPerson(row.personal_number))?.income
      if (has('income')) data.income = income?.taxed ? { ...income.taxed } : null
      if (has('pension')) data.pensions = (income?.pensions ?? []).map((p) => ({ ...p }))
    }
    const relatives: string[] = []
    if (withFamily) {
      data.family = withFamily.family.map((r) => {
        relatives.push(r.id)
        return {
          personId: r.id,
          kind: r.kind,
          custody: r.custody,
          givenName: r.given_name,
          familyName: r.family_name,
          birthDate: r.birth_date,
        }
      })
    }
    // Recorded by the scope the read runs in, before the data leaves it (record-reads.ts).
    const scope = access.current()
    const legalBasis = representation ?? PURPOSES[purpose].legalBasis
    scope.record(personId, categories, { legalBasis, consentId })
    for (const id of relatives) scope.record(id, ['identity'], { legalBasis })
    return data
  }

  /**
   * Reads the person someone names by personal identity number (the holder of a power of attorney
   * they give): through the one door, for a purpose that allows it, logged for the one named.
   */
  async function findNamedPerson(request: {
    actor: Actor
    purpose: Purpose
    personalNumber: string
  }): Promise<PersonData | undefined> {
    assertAccessRequest(request)
    const personId = await withoutRecord('access-policy', () =>
      store.findPersonIdByPersonalNumber(db, request.personalNumber),
    )
    if (!personId) return undefined
    return access.read(request, () =>
      readPerson(
        { actor: request.actor, purpose: request.purpose, personId },
        { namedByPersonalNumber: true },
      ),
    )
  }

  /**
   * Whether the register gives the guardian custody of the child, and the child is under 18 on the
   * day: the right to act for a child. Answers yes or no; no personal data leaves.
   */
  const hasCustodyOfMinor = (guardianId: string, childId: string, onDate: string) =>
    withoutRecord('access-policy', () => store.hasCustodyOfMinor(db, guardianId, childId, onDate))

  /** Finds the internal id of a signed-in person from the number their eID gave. */
  async function identifyPerson(personalNumber: string, process = 'login'): Promise<string | undefined> {
    return access.read({ actor: { kind: 'samla', process }, purpose: 'login' }, async (scope) => {
      const personId = await store.findPersonIdByPersonalNumber(db, personalNumber)
      if (personId) scope.record(personId, ['identity'])
      return personId
    })
  }

  /**
   * Loads everyone the register offers into Samla: persons, then relations both ways, then the
   * circumstances other registers hold. Safe to run again: it updates in place.
   */
  function importFromRegister(): Promise<number> {
    return withoutRecord('register-import', importPersons)
  }

  async function importPersons(): Promise<number> {
    const persons = await register.listPersons()
    await db.transaction().execute(async (tx) => {
      const ids = new Map<string, string>()
      for (const p of persons) ids.set(p.personalNumber, await store.upsertRegisterPerson(tx, p))
      const relations = new Map<
        string,
        Array<{ relatedPersonId: string; kind: 'child' | 'parent' | 'spouse'; custody: boolean }>
      >()
      const add = (from: string, to: string, kind: 'child' | 'parent' | 'spouse', custody: boolean) => {
        const list = relations.get(from) ?? []
        if (!list.some((r) => r.relatedPersonId === to && r.kind === kind))
          list.push({ relatedPersonId: to, kind, custody })
        relations.set(from, list)
      }
      for (const p of persons) {
        const id = ids.get(p.personalNumber) as string
        for (const r of p.relations ?? []) {
          const other = ids.get(r.personalNumber)
          if (!other) throw new Error(`${p.personalNumber}: relation to unknown person ${r.personalNumber}`)
          if (r.kind === 'spouse') {
            add(id, other, 'spouse', false)
            add(other, id, 'spouse', false)
          } else {
            add(id, other, 'child', r.custody ?? false)
            add(other, id, 'parent', r.custody ?? false)
          }
        }
      }
      for (const id of ids.values()) await store.replaceRelations(tx, id, relations.get(id) ?? [])
      for (const p of persons)
        await store.replaceCircumstances(tx, ids.get(p.personalNumber) as string, p.circumstances ?? [])
      const who = describeActor({ kind: 'samla', process: 'register-import' })
      await store.insertAccessRecords(
        tx,
        [...ids.values()].map((personId) => ({
          personId,
          actorKind: who.kind,
          actorId: who.id,
          actorAgencyId: null,
          onBehalfOf: null,
          purpose: 'register-import',
          legalBasis: PURPOSES['register-import'].legalBasis,
          categories: [...PURPOSES['register-import'].categories],
        })),
      )
    })
    return persons.length
  }

  /**
   * Records a read of personal data that another module keeps (a case, a claim): the data is read
   * there, and the person sees it here, in the same log as every other read.
   */
  async function recordRead(request: { actor: Actor; purpose: Purpose; personId: string }): Promise<void> {
    await access.read(request, async (scope) => scope.record(request.personId))
  }

  /** The one door, as others call it: the read runs in a recorded scope. */
  const readPersonRecorded = async (request: ReadRequest) => {
    assertAccessRequest(request)
    return access.read(request, () => readPerson(request))
  }
  const tracker = createAccessRecords({ db })
  const registerEvents = createRegisterEvents({
    db,
    access,
    clock: deps.clock,
    isMunicipality: deps.isMunicipality,
  })
  const emitDueRegisterEvents = createDueRegisterEvents({
    db,
    recordRegisterEvent: registerEvents.recordRegisterEvent,
    today: () => deps.clock?.today() ?? Temporal.Now.plainDateISO('Europe/Stockholm'),
    statisticsFile: deps.populationStatistics ?? 'data/population/sweden.yaml',
  })

  return {
    readPerson: readPersonRecorded,
    /** Runs work that reads personal data kept elsewhere (a case) as one recorded read (record-reads.ts). */
    access: { read: access.read },
    findNamedPerson,
    hasCustodyOfMinor,
    recordRead,
    identifyPerson,
    importFromRegister,
    findRegisterPerson: (personalNumber: string) => register.findPerson(personalNumber),
    /** An event from a register (a birth, a move, a death …): stored once, applied, and told on. */
    recordRegisterEvent: registerEvents.recordRegisterEvent,
    /** A stored register event, for those who hear of it through `register-event.recorded`. */
    findRegisterEvent: registerEvents.findRegisterEvent,
    /**
     * `samla register-events --due D`: every pregnancy and announced move in the register due by D
     * becomes its birth or move, recorded as any register event; a second run records nothing new.
     */
    emitDueRegisterEvents,
    countAccessRecords: (personId: string) => store.countAccessRecords(db, personId),
    countPersons: () => withoutRecord('count-persons', () => store.countPersons(db)),
    ...tracker,
    /** What the download of everything Samla holds about a person gets from this module. */
    personalData: createPeoplePersonalData({
      readPerson: readPersonRecorded,
      allAccessRecords: tracker.allAccessRecords,
    }),
    /** Walks every person's chain of access records: `samla audit verify`. */
    verifyAccessChains: () => verifyAccessChains(db),
    /** Moves each chain's sealed head to its last record; every minute in a running Samla. */
    sealAccessChains: () => store.sealChains(db),
    /** Queries over the whole register for set-based scans (the date triggers). */
    scans: createRegisterScans(db),
    /** `samla simulate`: a synthetic population for development and test databases. */
    simulatePopulation: (request: SimulationRequest) => {
      const simulate = createSimulatePopulation({
        db,
        bulkLoad: deps.bulkLoad,
        statisticsFile: deps.populationStatistics ?? 'data/population/sweden.yaml',
      })
      return withoutRecord('synthetic-population', () => simulate(request))
    },
  }
}
