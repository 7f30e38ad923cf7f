import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TSchema } from 'typebox'
import Value from 'typebox/value'
import { parse } from 'yaml'
import {
  Adoption,
  Agency,
  type CatalogFiles,
  type LifeEvent,
  LifeEvent as LifeEventSchema,
  Service,
  ServiceTemplate,
} from './catalog-schema.ts'

/** Anchors every plan can use besides the life event's own. */
export const BUILT_IN_ANCHORS = ['today', 'nextTaxReturnOpens', 'nextTaxReturnDeadline'] as const

export class CatalogFileError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`The catalogue files have ${problems.length} problem(s):\n- ${problems.join('\n- ')}`)
    this.problems = problems
  }
}

async function readYaml(path: string): Promise<unknown> {
  return parse(await readFile(path, 'utf8'))
}

async function readFolder(dir: string): Promise<Array<{ file: string; value: unknown }>> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort()
  return Promise.all(names.map(async (n) => ({ file: join(dir, n), value: await readYaml(join(dir, n)) })))
}

function checkShape<T>(schema: TSchema, value: unknown, where: string, problems: string[]): T | undefined {
  if (Value.Check(schema, value)) return value as T
  for (const error of Value.Errors(schema, value).slice(0, 5)) {
    problems.push(`${where}${error.instancePath}: ${error.message}`)
  }
  return undefined
}

/**
 * Reads the catalogue from its folder (agencies.yaml, adoptions.yaml, services/, templates/,
 * life-events/), checks every file against the schema and every reference between them, and
 * throws one error naming all problems.
 */
export async function loadCatalogFiles(dir: string): Promise<CatalogFiles> {
  const problems: string[] = []
  const meta = (await readYaml(join(dir, 'catalog.yaml'))) as { version?: unknown }
  const version = typeof meta?.version === 'string' ? meta.version : ''
  if (!version) problems.push('catalog.yaml: a version string is required')

  const list = <T>(schema: TSchema, value: unknown, file: string): T[] => {
    if (!Array.isArray(value)) {
      problems.push(`${file}: expected a list`)
      return []
    }
    return value.flatMap((v, i) => checkShape<T>(schema, v, `${file}[${i}]`, problems) ?? [])
  }
  const agencies = list<Agency>(Agency, await readYaml(join(dir, 'agencies.yaml')), 'agencies.yaml')
  const adoptions = list<Adoption>(Adoption, await readYaml(join(dir, 'adoptions.yaml')), 'adoptions.yaml')
  const one = <T>(schema: TSchema, entries: Array<{ file: string; value: unknown }>) =>
    entries.flatMap(({ file, value }) => checkShape<T>(schema, value, file, problems) ?? [])
  const services = one<Service>(Service, await readFolder(join(dir, 'services')))
  const templates = one<ServiceTemplate>(ServiceTemplate, await readFolder(join(dir, 'templates')))
  const lifeEvents = one<LifeEvent>(LifeEventSchema, await readFolder(join(dir, 'life-events')))

  const catalog: CatalogFiles = { version, agencies, services, templates, adoptions, lifeEvents }
  problems.push(...checkReferences(catalog))
  if (problems.length > 0) throw new CatalogFileError(problems)
  return catalog
}

function duplicates(ids: string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i)
}

export function checkReferences(c: CatalogFiles): string[] {
  const problems: string[] = []
  const agencyIds = new Set(c.agencies.map((a) => a.id))
  const serviceIds = new Set(c.services.map((s) => s.id))
  const templateIds = new Map(c.templates.map((t) => [t.id, t]))
  for (const id of duplicates(c.agencies.map((a) => a.id))) problems.push(`agency ${id} is defined twice`)
  for (const id of duplicates([...c.services.map((s) => s.id), ...c.templates.map((t) => t.id)]))
    problems.push(`service or template ${id} is defined twice`)
  for (const id of duplicates(c.lifeEvents.map((e) => e.id)))
    problems.push(`life event ${id} is defined twice`)

  const isKnownResponsible = (r: string) => r.startsWith('$') || agencyIds.has(r)
  for (const a of c.agencies) {
    if (a.level === 'municipality' && (!a.region || !agencyIds.has(a.region)))
      problems.push(`agency ${a.id}: a municipality needs the id of its region`)
  }
  for (const s of c.services) {
    if (!isKnownResponsible(s.competentAuthority))
      problems.push(`service ${s.id}: unknown competent authority ${s.competentAuthority}`)
  }
  for (const a of c.adoptions) {
    const t = templateIds.get(a.template)
    if (!t) {
      problems.push(`adoption by ${a.agency}: unknown template ${a.template}`)
      continue
    }
    const agency = c.agencies.find((x) => x.id === a.agency)
    const wanted = t.competentAuthority === '$municipality' ? 'municipality' : 'region'
    if (!agency || agency.level !== wanted)
      problems.push(`adoption of ${a.template}: ${a.agency} is not a ${wanted}`)
    for (const p of t.parameters) {
      const v = a.parameters[p.key]
      if (v === undefined && p.required)
        problems.push(`adoption of ${a.template} by ${a.agency}: ${p.key} is missing`)
      if (v !== undefined && p.type !== 'text' && p.type !== 'url' && typeof v !== 'number')
        problems.push(`adoption of ${a.template} by ${a.agency}: ${p.key} must be a number`)
      if (typeof v === 'number' && p.max !== undefined && v > p.max)
        problems.push(
          `adoption of ${a.template} by ${a.agency}: ${p.key} ${v} is above the national maximum ${p.max}`,
        )
    }
    for (const key of Object.keys(a.parameters)) {
      if (!t.parameters.some((p) => p.key === key))
        problems.push(`adoption of ${a.template} by ${a.agency}: unknown parameter ${key}`)
    }
  }
  for (const e of c.lifeEvents) {
    const stepIds = e.steps.map((s) => s.id)
    for (const id of duplicates(stepIds)) problems.push(`life event ${e.id}: step ${id} is defined twice`)
    const anchors = new Set<string>([e.anchor.key, ...BUILT_IN_ANCHORS])
    for (const s of e.steps) {
      const where = `life event ${e.id}, step ${s.id}`
      if (s.service && !serviceIds.has(s.service)) problems.push(`${where}: unknown service ${s.service}`)
      if (s.template && !templateIds.has(s.template))
        problems.push(`${where}: unknown template ${s.template}`)
      if (s.service && s.template) problems.push(`${where}: name a service or a template, not both`)
      if (!isKnownResponsible(s.responsible)) problems.push(`${where}: unknown responsible ${s.responsible}`)
      if (s.due && !anchors.has(s.due.anchor)) problems.push(`${where}: unknown anchor ${s.due.anchor}`)
      for (const a of s.after ?? []) {
        if (!stepIds.includes(a)) problems.push(`${where}: comes after unknown step ${a}`)
        if (a === s.id) problems.push(`${where}: cannot come after itself`)
      }
    }
  }
  return problems
}
