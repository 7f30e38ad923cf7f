import type { Kysely } from 'kysely'
import type { Adoption, Agency, CatalogFiles, LifeEvent, Service, ServiceTemplate } from './catalog-schema.ts'
import type { CatalogTables } from './catalog-tables.ts'

type Db = Kysely<CatalogTables>

export async function currentRelease(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('catalog.releases')
    .select('version')
    .orderBy('loaded_at', 'desc')
    .executeTakeFirst()
  return row?.version
}

/** Replaces the catalogue with the files' content in one transaction. */
export async function replaceCatalog(db: Db, files: CatalogFiles): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('catalog.adoptions').execute()
    await tx.deleteFrom('catalog.life_events').execute()
    await tx.deleteFrom('catalog.services').execute()
    await tx.updateTable('catalog.agencies').set({ region_id: null }).execute()
    await tx.deleteFrom('catalog.agencies').execute()
    const regionsFirst = [...files.agencies].sort(
      (a, b) => Number(a.level === 'municipality') - Number(b.level === 'municipality'),
    )
    for (const a of regionsFirst)
      await tx
        .insertInto('catalog.agencies')
        .values({
          id: a.id,
          level: a.level,
          code: a.code ?? null,
          region_id: a.region ?? null,
          document: JSON.stringify(a),
        })
        .execute()
    const services = [
      ...files.services.map((s) => ({ s, isTemplate: false })),
      ...files.templates.map((s) => ({ s, isTemplate: true })),
    ]
    if (services.length > 0)
      await tx
        .insertInto('catalog.services')
        .values(
          services.map(({ s, isTemplate }) => ({
            id: s.id,
            is_template: isTemplate,
            competent_authority: s.competentAuthority,
            automatic: s.automatic,
            document: JSON.stringify(s),
          })),
        )
        .execute()
    if (files.adoptions.length > 0)
      await tx
        .insertInto('catalog.adoptions')
        .values(
          files.adoptions.map((a) => ({
            template_id: a.template,
            agency_id: a.agency,
            parameters: JSON.stringify(a.parameters),
            adopted_on: a.adoptedOn,
          })),
        )
        .execute()
    if (files.lifeEvents.length > 0)
      await tx
        .insertInto('catalog.life_events')
        .values(files.lifeEvents.map((e, i) => ({ id: e.id, position: i, document: JSON.stringify(e) })))
        .execute()
    await tx
      .insertInto('catalog.releases')
      .values({ version: files.version, loaded_at: new Date() })
      .onConflict((oc) => oc.column('version').doUpdateSet({ loaded_at: new Date() }))
      .execute()
  })
}

export async function listAgencies(db: Db): Promise<Agency[]> {
  const rows = await db
    .selectFrom('catalog.agencies')
    .select('document')
    .orderBy('level')
    .orderBy('id')
    .execute()
  return rows.map((r) => r.document)
}

export async function listLifeEvents(db: Db): Promise<LifeEvent[]> {
  const rows = await db.selectFrom('catalog.life_events').select('document').orderBy('position').execute()
  return rows.map((r) => r.document)
}

export async function findLifeEvent(db: Db, id: string): Promise<LifeEvent | undefined> {
  return (
    await db.selectFrom('catalog.life_events').select('document').where('id', '=', id).executeTakeFirst()
  )?.document
}

export async function listServices(
  db: Db,
): Promise<Array<{ service: Service | ServiceTemplate; isTemplate: boolean }>> {
  const rows = await db
    .selectFrom('catalog.services')
    .select(['document', 'is_template'])
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ service: r.document, isTemplate: r.is_template }))
}

export async function findService(db: Db, id: string) {
  const row = await db
    .selectFrom('catalog.services')
    .select(['document', 'is_template'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? { service: row.document, isTemplate: row.is_template } : undefined
}

export async function listAdoptions(db: Db, templateId?: string): Promise<Adoption[]> {
  let q = db.selectFrom('catalog.adoptions').selectAll().orderBy('agency_id')
  if (templateId) q = q.where('template_id', '=', templateId)
  const rows = await q.execute()
  return rows.map((r) => ({
    template: r.template_id,
    agency: r.agency_id,
    parameters: r.parameters,
    adoptedOn: r.adopted_on,
  }))
}
