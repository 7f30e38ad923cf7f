// people: persons and their relations as the population register gives them, and the one door
// through which any personal data is read (actor + purpose, logged for the citizen).
import type { Kysely } from 'kysely'
import {
  type Actor,
  type CaseAccessCheck,
  type DataCategory,
  describeActor,
  mayRead,
  PURPOSES,
  type Purpose,
} from './access.ts'
import * as store from './people-store.ts'
import type { PeopleTables } from './people-tables.ts'
import type { PopulationRegister } from './population-register.ts'

export type { Actor, CaseAccessCheck, DataCategory, Purpose } from './access.ts'
export { DATA_CATEGORIES, PURPOSES } from './access.ts'
export { peopleApi, peoplePages } from './people-http.ts'
export type { PeopleTables } from './people-tables.ts'
export { formatPersonalNumber, normalisePersonalNumber } from './personal-number.ts'
export { createDemoPopulationRegister, type PopulationRegister } from './population-register.ts'

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
}

export interface ReadRequest {
  actor: Actor
  purpose: Purpose
  personId: string
  /** When someone acts for another person: whose errand it is. */
  onBehalfOf?: string
  /** For case handling: the case that gives the caseworker a reason to read. */
  caseId?: string
}

export type People = ReturnType<typeof createPeople>

export function createPeople(deps: {
  db: Kysely<PeopleTables>
  register: PopulationRegister
  caseAccess?: CaseAccessCheck
}) {
  const { db, register } = deps

  /**
   * The one door: reads the categories of a person's data that the purpose needs, if the actor may,
   * and writes one access record for each person whose data is read (a relative's name included).
   * Returns undefined when there is no such person or the actor may not read them; callers answer
   * 404 for both, so that existence is not revealed.
   */
  async function readPerson(request: ReadRequest): Promise<PersonData | undefined> {
    const { actor, purpose, personId } = request
    const caseAccess =
      purpose === 'case-handling' && request.caseId !== undefined && deps.caseAccess !== undefined
        ? await deps.caseAccess(actor, personId, request.caseId)
        : false
    if (!mayRead(actor, personId, purpose, caseAccess)) return undefined
    const row = await store.findPersonRow(db, personId)
    if (!row) return undefined
    const categories: readonly DataCategory[] = PURPOSES[purpose].categories
    const has = (c: DataCategory) => categories.includes(c)
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
    const relatives: string[] = []
    if (has('family')) {
      data.family = (await store.findRelations(db, personId)).map((r) => {
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
    const who = describeActor(actor)
    const record = (id: string, cats: string[]) => ({
      personId: id,
      actorKind: who.kind,
      actorId: who.id,
      actorAgencyId: who.agencyId,
      onBehalfOf: request.onBehalfOf ?? null,
      purpose,
      legalBasis: PURPOSES[purpose].legalBasis,
      categories: cats,
    })
    await store.insertAccessRecords(db, [
      record(personId, [...categories]),
      ...relatives.map((id) => record(id, ['identity'])),
    ])
    return data
  }

  /** Finds the internal id of a signed-in person from the number their eID gave. */
  async function identifyPerson(personalNumber: string, process = 'login'): Promise<string | undefined> {
    const personId = await store.findPersonIdByPersonalNumber(db, personalNumber)
    if (personId) {
      const who = describeActor({ kind: 'samla', process })
      await store.insertAccessRecords(db, [
        {
          personId,
          actorKind: who.kind,
          actorId: who.id,
          actorAgencyId: null,
          onBehalfOf: null,
          purpose: 'login',
          legalBasis: PURPOSES.login.legalBasis,
          categories: ['identity'],
        },
      ])
    }
    return personId
  }

  /**
   * Loads everyone the register offers into Samla: persons, then relations both ways, then the
   * circumstances other registers hold. Safe to run again: it updates in place.
   */
  async function importFromRegister(): Promise<number> {
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
    const who = describeActor(request.actor)
    await store.insertAccessRecords(db, [
      {
        personId: request.personId,
        actorKind: who.kind,
        actorId: who.id,
        actorAgencyId: who.agencyId,
        onBehalfOf: null,
        purpose: request.purpose,
        legalBasis: PURPOSES[request.purpose].legalBasis,
        categories: [...PURPOSES[request.purpose].categories],
      },
    ])
  }

  return {
    readPerson,
    recordRead,
    identifyPerson,
    importFromRegister,
    findRegisterPerson: (personalNumber: string) => register.findPerson(personalNumber),
    countAccessRecords: (personId: string) => store.countAccessRecords(db, personId),
    countPersons: () => store.countPersons(db),
  }
}
