// The composition root: config -> database -> clock -> register adapters -> module services.
// Web, worker, CLI and tests all build Samla through this one function.
import { fileURLToPath } from 'node:url'
import { AUTH_PERSONAL_TABLES, type Auth, type AuthTables, createAuth } from '../modules/auth/index.ts'
import { CASES_PERSONAL_TABLES, type Cases, type CasesTables, createCases } from '../modules/cases/index.ts'
import { type Catalog, type CatalogTables, createCatalog } from '../modules/catalog/index.ts'
import {
  CONSENT_PERSONAL_TABLES,
  type Consent,
  type ConsentTables,
  createConsent,
} from '../modules/consent/index.ts'
import {
  type Connector,
  createInterop,
  INTEROP_PERSONAL_TABLES,
  type Interop,
  type InteropTables,
} from '../modules/interop/index.ts'
import {
  createJourneys,
  JOURNEYS_PERSONAL_TABLES,
  type Journeys,
  type JourneysTables,
  taxReturnDeadline,
  taxReturnOpens,
} from '../modules/journeys/index.ts'
import { createMyData, type MyData } from '../modules/my-data/index.ts'
import {
  createNotify,
  NOTIFY_PERSONAL_TABLES,
  type Notify,
  type NotifyTables,
  type PushSender,
} from '../modules/notify/index.ts'
import {
  type AccessRecord,
  createDemoPopulationRegister,
  createPeople,
  PEOPLE_PERSONAL_TABLES,
  type People,
  type PeopleTables,
  type PopulationRegister,
} from '../modules/people/index.ts'
import {
  createProactive,
  PROACTIVE_PERSONAL_TABLES,
  type Proactive,
  type ProactiveTables,
} from '../modules/proactive/index.ts'
import { type CompiledRuleSet, loadRuleSets } from '../modules/rules/index.ts'
import { type Clock, createClock } from '../platform/clock.ts'
import { createAccessGuard } from '../platform/db/access-guard.ts'
import { type Database, openDatabase } from '../platform/db/database.ts'
import { migrate, readMigrations } from '../platform/db/migrate.ts'
import { createTranslator, loadMessages } from '../platform/i18n.ts'
import type { JobsTables } from '../platform/jobs/queue.ts'
import type { Config } from './config.ts'
import { UNRECORDED_ACCESS } from './unrecorded-access.ts'

export type Tables = CatalogTables &
  PeopleTables &
  AuthTables &
  CasesTables &
  JobsTables &
  NotifyTables &
  ProactiveTables &
  InteropTables &
  JourneysTables &
  ConsentTables

/**
 * The tables that hold a person's data, each module's own: with ACCESS_GUARD on, a query on them
 * outside an access scope fails. A module with such tables adds its list here.
 */
export const PERSONAL_DATA_TABLES = [
  ...PEOPLE_PERSONAL_TABLES,
  ...CASES_PERSONAL_TABLES,
  ...CONSENT_PERSONAL_TABLES,
  ...INTEROP_PERSONAL_TABLES,
  ...JOURNEYS_PERSONAL_TABLES,
  ...AUTH_PERSONAL_TABLES,
  ...NOTIFY_PERSONAL_TABLES,
  ...PROACTIVE_PERSONAL_TABLES,
]

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url))
export const PATHS = {
  migrations: path('../../db/migrations/'),
  catalog: path('../../data/catalog/'),
  rules: path('../../data/rules/'),
  persons: path('../../data/people/persons.yaml'),
  population: path('../../data/population/sweden.yaml'),
  devUsers: path('../../data/people/dev-identity-provider.yaml'),
  legalBases: path('../../data/consent/legal-bases.yaml'),
  messages: path('../web/messages/'),
}

export interface Container {
  config: Config
  /** The compiled rule sets, by id. */
  rules: Map<string, CompiledRuleSet>
  database: Database<Tables>
  clock: Clock
  catalog: Catalog
  people: People
  journeys: Journeys
  cases: Cases
  auth: Auth
  consent: Consent
  /** Everything Samla holds about a person ("Mina uppgifter"). */
  myData: MyData
  notify: Notify
  proactive: Proactive
  /** Tell us once: changes passed to the agencies that need them, with receipts. */
  interop: Interop
  close(): Promise<void>
}

export async function openConfiguredDatabase(config: Config): Promise<Database<Tables>> {
  return openDatabase<Tables>(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
  )
}

export async function createContainer(
  config: Config,
  options: {
    database?: Database<Tables>
    clock?: Clock
    register?: PopulationRegister
    /** Web push through another sender than the browsers' push services (tests). */
    pushSender?: PushSender
    /** Agency connectors given in code, before INTEROP_CONNECTORS (tests). */
    connectors?: Record<string, Connector>
    /** Where access records go, if not to the persons' chains: only the tracker benchmark's baseline. */
    appendAccessRecords?: (records: AccessRecord[]) => Promise<void>
  } = {},
): Promise<Container> {
  const database = options.database ?? (await openConfiguredDatabase(config))
  await migrate(database.runScript, await readMigrations(PATHS.migrations))
  const db = config.accessGuard
    ? database.db.withPlugin(
        createAccessGuard({ tables: PERSONAL_DATA_TABLES, unrecordedReasons: UNRECORDED_ACCESS }),
      )
    : database.db
  const clock = options.clock ?? createClock(config.today)
  const register = options.register ?? createDemoPopulationRegister(PATHS.persons)
  const catalog = createCatalog({ db, catalogDir: PATHS.catalog })
  // A caseworker's read rests on a case; the cases module, built below, answers for that. A
  // guardian's or a proxy's read rests on a right to act for the person; the auth module answers.
  // A read that rests on consent (an agency's system) needs one in force; the consent module answers.
  let cases: Cases | undefined
  let auth: Auth | undefined
  let consent: Consent | undefined
  const people = createPeople({
    db,
    ...(options.appendAccessRecords ? { appendAccessRecords: options.appendAccessRecords } : {}),
    register,
    clock,
    bulkLoad: database.bulkLoad,
    populationStatistics: PATHS.population,
    caseAccess: (actor, personId, caseId) =>
      cases?.caseworkerMayRead(actor, personId, caseId) ?? Promise.resolve(false),
    representationAccess: (actor, personId, scope) =>
      auth?.actingFor.representationFor(actor, personId, scope) ?? Promise.resolve(undefined),
    consentCheck: (request) => consent?.consentCheck(request) ?? Promise.resolve(undefined),
    // A move the register sends is to a municipality the catalogue knows.
    isMunicipality: async (id) => (await catalog.agenciesById()).get(id)?.level === 'municipality',
  })
  const interop = createInterop({
    db,
    clock,
    people,
    isMunicipality: async (id) => (await catalog.agenciesById()).get(id)?.level === 'municipality',
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
    connectorSettings: config.interopConnectors,
    ...(options.connectors ? { connectors: options.connectors } : {}),
  })
  const journeys = createJourneys({ db, catalog, people, clock, latestMove: interop.latestMove })
  consent = createConsent({
    db,
    people,
    catalog,
    clock,
    legalBasesFile: PATHS.legalBases,
    // Samla on this machine (development, tests): calendar links to it may use plain http.
    allowLocalHttp: ['localhost', '127.0.0.1', '[::1]'].includes(new URL(config.publicUrl).hostname),
  })
  const ruleSets = await loadRuleSets(PATHS.rules)
  const vab = ruleSets.get('vab')?.ruleSet
  if (!vab) throw new Error('data/rules has no vab rule set')
  const routing = ruleSets.get('bistand-aldreomsorg')?.ruleSet
  if (!routing) throw new Error('data/rules has no bistand-aldreomsorg rule set')
  const rules = new Map([...ruleSets.values()].map((l) => [l.ruleSet.id, l.ruleSet]))
  cases = createCases({
    db,
    people,
    vab,
    routing,
    rules,
    consent,
    clock,
    competentAuthority: async (serviceId) =>
      (await catalog.getServiceEntry(serviceId))?.service.competentAuthority,
  })
  auth = await createAuth({ db, config, clock, people, devUsersFile: PATHS.devUsers })
  // Everything Samla holds about a person, one source a module: a module that keeps personal data
  // adds its source here.
  const myData = createMyData({
    people,
    clock,
    sources: [
      people.personalData.register,
      cases.personalData,
      auth.personalData,
      people.personalData.accessRecords,
    ],
  })
  const messages = loadMessages(PATHS.messages)
  const proactive = createProactive({
    db,
    clock,
    people,
    cases,
    calendar: { taxReturnOpens, taxReturnDeadline },
    reasons: createTranslator(messages.sv),
    // Reminders are timed by notify's preferences and the free days of a calendar shared through
    // consent (only while the sharing is in force), and sent through notify (built below).
    reminders: {
      timing: {
        preferencesOf: (personId) => notify.readPreferences(personId),
        freeDays: async (request) => {
          const found = await consent?.findFreeDays(request)
          return found?.kind === 'free-days' ? found.days : undefined
        },
      },
      send: (request) => notify.sendNotification(request),
      messages: { sv: createTranslator(messages.sv), en: createTranslator(messages.en) },
    },
  })
  const notify = await createNotify({
    db,
    clock,
    config,
    ...(options.pushSender ? { pushSender: options.pushSender } : {}),
    onError: (error) => console.error('notify:', error),
    // A person may want those acting for them on a power of attorney to have a copy of each
    // notification; the auth module knows who they are, and records the reads it takes.
    representativesOf: (personId) => auth?.actingFor.representativesOf(personId) ?? Promise.resolve([]),
  })
  return {
    config,
    rules,
    database,
    clock,
    catalog,
    people,
    journeys,
    cases,
    auth,
    consent,
    myData,
    notify,
    proactive,
    interop,
    close: async () => {
      await notify.close()
      await database.close()
    },
  }
}

/**
 * Loads the seed files: the catalogue when its version changed (or always, when forced), and the
 * register's persons when Samla knows no one yet (or always, when forced).
 */
export async function seed(c: Container, options: { force?: boolean } = {}) {
  const catalog = await c.catalog.seedCatalog({ force: options.force ?? false })
  const persons =
    options.force || (await c.people.countPersons()) === 0 ? await c.people.importFromRegister() : 0
  return { catalogVersion: catalog.version, catalogLoaded: catalog.loaded, personsImported: persons }
}
