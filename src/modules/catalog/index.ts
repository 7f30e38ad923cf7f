// catalog: agencies, public services (CPSV-AP), national templates with local adoptions, and life
// events. The content is versioned data in data/catalog, loaded into the database by the seed.
import type { Kysely } from 'kysely'
import { applyAdoption } from './adopt-template.ts'
import type { Agency, LifeEvent, Service, ServiceTemplate } from './catalog-schema.ts'
import * as store from './catalog-store.ts'
import type { CatalogTables } from './catalog-tables.ts'
import { loadCatalogFiles } from './load-catalog-files.ts'

export { catalogApi } from './catalog-api.ts'
export { catalogPages } from './catalog-pages.ts'
export type {
  Agency,
  AgencyLevel,
  DueRule,
  LifeEvent,
  Responsible,
  Service,
  ServiceTemplate,
  Step,
  Text,
} from './catalog-schema.ts'
export type { CatalogTables } from './catalog-tables.ts'

export type Catalog = ReturnType<typeof createCatalog>

export interface ServiceEntry {
  service: Service | ServiceTemplate
  isTemplate: boolean
  /** For a template: the municipalities or regions that offer it, with their local version. */
  adoptions: Array<{ agency: Agency; local: Service; adoptedOn: string }>
}

export function createCatalog(deps: { db: Kysely<CatalogTables>; catalogDir: string }) {
  const { db, catalogDir } = deps

  /** Loads data/catalog when its version is not the one in the database (or always, when forced). */
  async function seedCatalog(
    options: { force?: boolean } = {},
  ): Promise<{ version: string; loaded: boolean }> {
    const files = await loadCatalogFiles(catalogDir)
    if (!options.force && (await store.currentRelease(db)) === files.version)
      return { version: files.version, loaded: false }
    await store.replaceCatalog(db, files)
    return { version: files.version, loaded: true }
  }

  async function agenciesById(): Promise<Map<string, Agency>> {
    return new Map((await store.listAgencies(db)).map((a) => [a.id, a]))
  }

  async function getServiceEntry(id: string): Promise<ServiceEntry | undefined> {
    const found = await store.findService(db, id)
    if (!found) return undefined
    if (!found.isTemplate) return { ...found, adoptions: [] }
    const template = found.service as ServiceTemplate
    const agencies = await agenciesById()
    const adoptions = (await store.listAdoptions(db, id)).flatMap((a) => {
      const agency = agencies.get(a.agency)
      return agency ? [{ agency, local: applyAdoption(template, a, agency), adoptedOn: a.adoptedOn }] : []
    })
    return { ...found, adoptions }
  }

  /** The template as the given municipality offers it, if it has adopted it. */
  async function getLocalService(templateId: string, agencyId: string): Promise<Service | undefined> {
    const entry = await getServiceEntry(templateId)
    return entry?.adoptions.find((a) => a.agency.id === agencyId)?.local
  }

  return {
    seedCatalog,
    currentVersion: () => store.currentRelease(db),
    listAgencies: () => store.listAgencies(db),
    agenciesById,
    listLifeEvents: () => store.listLifeEvents(db),
    getLifeEvent: (id: string): Promise<LifeEvent | undefined> => store.findLifeEvent(db, id),
    listServices: () => store.listServices(db),
    getServiceEntry,
    getLocalService,
  }
}
