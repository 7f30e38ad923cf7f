// The composition root: config -> database -> clock -> register adapters -> module services.
// Web, worker, CLI and tests all build Samla through this one function.
import { fileURLToPath } from 'node:url'
import { type Auth, type AuthTables, createAuth } from '../modules/auth/index.ts'
import { type Cases, type CasesTables, createCases } from '../modules/cases/index.ts'
import { type Catalog, type CatalogTables, createCatalog } from '../modules/catalog/index.ts'
import { createJourneys, type Journeys } from '../modules/journeys/index.ts'
import {
  createDemoPopulationRegister,
  createPeople,
  type People,
  type PeopleTables,
  type PopulationRegister,
} from '../modules/people/index.ts'
import { type CompiledRuleSet, loadRuleSets } from '../modules/rules/index.ts'
import { type Clock, createClock } from '../platform/clock.ts'
import { type Database, openDatabase } from '../platform/db/database.ts'
import { migrate, readMigrations } from '../platform/db/migrate.ts'
import type { Config } from './config.ts'

export type Tables = CatalogTables & PeopleTables & AuthTables & CasesTables

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url))
export const PATHS = {
  migrations: path('../../db/migrations/'),
  catalog: path('../../data/catalog/'),
  rules: path('../../data/rules/'),
  persons: path('../../data/people/persons.yaml'),
  devUsers: path('../../data/people/dev-identity-provider.yaml'),
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
  close(): Promise<void>
}

export async function openConfiguredDatabase(config: Config): Promise<Database<Tables>> {
  return openDatabase<Tables>(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
  )
}

export async function createContainer(
  config: Config,
  options: { database?: Database<Tables>; clock?: Clock; register?: PopulationRegister } = {},
): Promise<Container> {
  const database = options.database ?? (await openConfiguredDatabase(config))
  await migrate(database.runScript, await readMigrations(PATHS.migrations))
  const db = database.db
  const clock = options.clock ?? createClock(config.today)
  const register = options.register ?? createDemoPopulationRegister(PATHS.persons)
  const catalog = createCatalog({ db, catalogDir: PATHS.catalog })
  // A caseworker's read rests on a case; the cases module, built below, answers for that.
  let cases: Cases | undefined
  const people = createPeople({
    db,
    register,
    caseAccess: (actor, personId, caseId) =>
      cases?.caseworkerMayRead(actor, personId, caseId) ?? Promise.resolve(false),
  })
  const journeys = createJourneys({ catalog, people, clock })
  const ruleSets = await loadRuleSets(PATHS.rules)
  const vab = ruleSets.get('vab')?.ruleSet
  if (!vab) throw new Error('data/rules has no vab rule set')
  const routing = ruleSets.get('bistand-aldreomsorg')?.ruleSet
  if (!routing) throw new Error('data/rules has no bistand-aldreomsorg rule set')
  cases = createCases({ db, people, vab, routing, clock })
  const rules = new Map([...ruleSets.values()].map((l) => [l.ruleSet.id, l.ruleSet]))
  const auth = await createAuth({ db, config, clock, people, devUsersFile: PATHS.devUsers })
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
    close: () => database.close(),
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
