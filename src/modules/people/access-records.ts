// The citizen's data tracker ("Vem har sett mina uppgifter"): a person's own access records, newest
// first, filtered by who read, which agency, why and when, a page at a time. Only ever the
// person's own chain: the callers pass the signed-in person, never an id from the request.
import type { Kysely } from 'kysely'
import { Temporal, TIME_ZONE } from '../../platform/clock.ts'
import * as store from './people-store.ts'
import type { PeopleTables } from './people-tables.ts'

export const READERS = [
  'self',
  'other-person',
  'caseworker',
  'service-owner',
  'agency-system',
  'rule',
  'samla',
] as const
export type Reader = (typeof READERS)[number]

export const MAX_PAGE_SIZE = 100

export interface AccessRecordQuery {
  reader?: Reader | undefined
  agencyId?: string | undefined
  purpose?: string | undefined
  /** The first day of the period (YYYY-MM-DD, Swedish time), inclusive. */
  from?: string | undefined
  /** The last day of the period, inclusive. */
  to?: string | undefined
  page?: number | undefined
  pageSize?: number | undefined
}

/** One read, as the person may see it: who, what, when, why and on what basis. */
export interface AccessRecordView {
  id: number
  seq: number
  readAt: string
  reader: Reader
  /** The agency the reader belongs to, or whose rules decided. */
  agencyId: string | null
  /** For an automated decision: the rule set and its version. */
  ruleSet: { id: string; version: string } | null
  /** For Samla itself: what it was doing (login, register-import …). */
  process: string | null
  /** True when the reader acted for the person (as guardian or holder of a power of attorney). */
  actingForYou: boolean
  categories: string[]
  purpose: string
  legalBasis: string
  consentId: string | null
  /** The record's hash in the person's chain, hex: with it the person can check the chain later. */
  hash: string
}

export type ListResult =
  | {
      kind: 'records'
      records: AccessRecordView[]
      total: number
      page: number
      pageSize: number
      pages: number
    }
  | {
      kind: 'invalid'
      problems: Array<{ field: 'from' | 'to' | 'page'; problem: 'date' | 'period' | 'page' }>
    }

function parseDay(value: string): Temporal.PlainDate | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' })
  } catch {
    return undefined
  }
}

const startOf = (day: Temporal.PlainDate) =>
  new Date(day.toZonedDateTime({ timeZone: TIME_ZONE }).toInstant().epochMilliseconds)

type Row = Awaited<ReturnType<typeof store.listAccessRecords>>['rows'][number]

export function presentRecord(personId: string, r: Row): AccessRecordView {
  const person = r.actor_kind === 'person'
  const [ruleSetId = '', version = ''] = r.actor_kind === 'rule' ? r.actor_id.split('@') : []
  return {
    id: Number(r.id),
    seq: Number(r.seq),
    readAt: r.read_at.toISOString(),
    reader: person ? (r.actor_id === personId ? 'self' : 'other-person') : (r.actor_kind as Reader),
    agencyId: r.actor_agency_id,
    ruleSet: r.actor_kind === 'rule' ? { id: ruleSetId, version } : null,
    process: r.actor_kind === 'samla' ? r.actor_id : null,
    actingForYou: person && r.actor_id !== personId && r.on_behalf_of === personId,
    categories: r.data_categories,
    purpose: r.purpose,
    legalBasis: r.legal_basis,
    consentId: r.consent_id,
    hash: Buffer.from(r.hash).toString('hex'),
  }
}

export function createAccessRecords(deps: { db: Kysely<PeopleTables> }) {
  const { db } = deps

  /** The person's own records, newest first, filtered and a page at a time. */
  async function listAccessRecords(personId: string, query: AccessRecordQuery): Promise<ListResult> {
    const problems: Extract<ListResult, { kind: 'invalid' }>['problems'] = []
    const from = query.from ? parseDay(query.from) : undefined
    const to = query.to ? parseDay(query.to) : undefined
    if (query.from && !from) problems.push({ field: 'from', problem: 'date' })
    if (query.to && !to) problems.push({ field: 'to', problem: 'date' })
    if (from && to && Temporal.PlainDate.compare(from, to) > 0)
      problems.push({ field: 'to', problem: 'period' })
    const page = query.page ?? 1
    if (!Number.isInteger(page) || page < 1 || page > 100_000)
      problems.push({ field: 'page', problem: 'page' })
    if (problems.length > 0) return { kind: 'invalid', problems }
    const pageSize = Math.min(Math.max(1, Math.trunc(query.pageSize ?? 20)), MAX_PAGE_SIZE)
    const { rows, total } = await store.listAccessRecords(
      db,
      personId,
      {
        reader: query.reader,
        agencyId: query.agencyId || undefined,
        purpose: query.purpose || undefined,
        from: from ? startOf(from) : undefined,
        to: to ? startOf(to.add({ days: 1 })) : undefined,
      },
      { offset: (page - 1) * pageSize, limit: pageSize },
    )
    return {
      kind: 'records',
      records: rows.map((r) => presentRecord(personId, r)),
      total,
      page,
      pageSize,
      pages: Math.max(1, Math.ceil(total / pageSize)),
    }
  }

  /** What the filters can offer the person: the agencies and purposes in their own records. */
  const accessRecordFilters = (personId: string) => store.accessRecordFacets(db, personId)

  /** Every record of the person, oldest first: for the download of everything Samla holds. */
  async function allAccessRecords(personId: string): Promise<AccessRecordView[]> {
    const { rows } = await store.listAccessRecords(db, personId, {}, { offset: 0, limit: 1_000_000 })
    return rows.reverse().map((r) => presentRecord(personId, r))
  }

  return { listAccessRecords, accessRecordFilters, allAccessRecords }
}
