import type { JSONColumnType } from 'kysely'
import type { Agency, LifeEvent, Service, ServiceTemplate } from './catalog-schema.ts'

export interface CatalogTables {
  'catalog.releases': { version: string; loaded_at: Date }
  'catalog.agencies': {
    id: string
    level: string
    code: string | null
    region_id: string | null
    document: JSONColumnType<Agency>
  }
  'catalog.services': {
    id: string
    is_template: boolean
    competent_authority: string
    automatic: boolean
    document: JSONColumnType<Service | ServiceTemplate>
  }
  'catalog.adoptions': {
    template_id: string
    agency_id: string
    parameters: JSONColumnType<Record<string, string | number>>
    adopted_on: string
  }
  'catalog.life_events': { id: string; position: number; document: JSONColumnType<LifeEvent> }
}
