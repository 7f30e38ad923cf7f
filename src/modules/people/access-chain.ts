// The access records' hash chains, checked: every person's records form one chain in which each
// record holds the hash of the one before it, the hash of its own canonical content, and its own
// hash, SHA-256 over the previous hash followed by the content's hash
// (db/migrations/0008_access_chain.sql writes them). Walking a
// chain from its first record to its end, and on to its sealed head, finds the first link that does not hold, and says what
// happened there: a record changed, missing, reordered or inserted.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import * as store from './people-store.ts'
import type { PeopleTables } from './people-tables.ts'

export const GENESIS_HASH = new Uint8Array(32)

/** A record as stored, with the time of the read in microseconds since 1970 UTC. */
export interface ChainRecord {
  id: number
  personId: string
  seq: number
  actorKind: string
  actorId: string
  actorAgencyId: string | null
  onBehalfOf: string | null
  consentId: string | null
  purpose: string
  legalBasis: string
  categories: string[]
  readAtMicros: string
  contentHash: Uint8Array
  prevHash: Uint8Array
  hash: Uint8Array
}

export interface ChainHead {
  personId: string
  seq: number
  hash: Uint8Array
}

const field = (value: string | null): string =>
  value === null ? '-' : `${Buffer.byteLength(value, 'utf8')}:${value}`

export type RecordContent = Omit<ChainRecord, 'id' | 'seq' | 'contentHash' | 'prevHash' | 'hash'>

/** The canonical encoding, version 1: the same bytes people.access_record_content gives. */
export function canonicalContent(r: RecordContent): Buffer {
  return Buffer.from(
    'samla-access-v1' +
      field(r.personId) +
      field(r.actorKind) +
      field(r.actorId) +
      field(r.actorAgencyId) +
      field(r.onBehalfOf) +
      field(r.consentId) +
      field(r.purpose) +
      field(r.legalBasis) +
      `[${r.categories.map(field).join('')}]` +
      field(r.readAtMicros),
    'utf8',
  )
}

export function contentHash(record: RecordContent): Buffer {
  return createHash('sha256').update(canonicalContent(record)).digest()
}

/** A record's hash in its chain: SHA-256 over the previous record's hash and the content's hash. */
export function chainHash(prevHash: Uint8Array, record: RecordContent): Buffer {
  return createHash('sha256').update(prevHash).update(contentHash(record)).digest()
}

/** Microseconds since 1970 UTC, as the canonical encoding writes the time of a read. */
export const microsOf = (date: Date): string => (BigInt(date.getTime()) * 1000n).toString()

export type BreakKind = 'changed' | 'missing' | 'reordered' | 'inserted'

export interface BrokenLink {
  personId: string
  kind: BreakKind
  /** The sequence number where the chain breaks. */
  seq: number
  /** The record found there, when there is one. */
  recordId: number | null
  /** What is wrong, in words. */
  detail: string
}

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0
const hex = (h: Uint8Array) => Buffer.from(h).toString('hex')

/**
 * Walks one person's records in the order of their sequence numbers (a pure function) and returns
 * the first link that does not hold, or undefined when the chain is whole and still reaches the
 * head it was last sealed with (records after the seal are the chain's newest, not yet sealed).
 */
export function findBrokenLink(
  personId: string,
  records: readonly ChainRecord[],
  head: ChainHead | undefined,
): BrokenLink | undefined {
  const broken = (kind: BreakKind, seq: number, recordId: number | null, detail: string): BrokenLink => ({
    personId,
    kind,
    seq,
    recordId,
    detail,
  })
  if (records.length === 0)
    return head ? broken('missing', 1, null, `all ${head.seq} records of the chain are missing`) : undefined
  const byHash = new Map(records.map((r) => [hex(r.hash), r]))
  let previous: ChainRecord | undefined
  for (const [i, r] of records.entries()) {
    const expectedSeq = previous ? previous.seq + 1 : 1
    const expectedPrev = previous ? previous.hash : GENESIS_HASH
    if (previous && r.seq === previous.seq)
      return broken('inserted', r.seq, r.id, `two records have sequence number ${r.seq}`)
    if (!equal(contentHash(r), r.contentHash) || !equal(chainHash(r.prevHash, r), r.hash)) {
      const next = records[i + 1]
      return next && equal(next.prevHash, expectedPrev)
        ? broken('inserted', r.seq, r.id, 'the record is not part of the chain: the next record skips it')
        : broken('changed', r.seq, r.id, 'the record’s content no longer matches its hash')
    }
    if (!equal(r.prevHash, expectedPrev)) {
      const follows = byHash.get(hex(r.prevHash))
      if (previous && equal(previous.prevHash, r.prevHash))
        return broken(
          'inserted',
          previous.seq,
          previous.id,
          `this record and the next claim the same predecessor: it was put into the chain`,
        )
      if (follows && follows.seq > r.seq)
        return broken(
          'reordered',
          r.seq,
          r.id,
          `the record was written after record ${follows.seq}, but stands before it`,
        )
      if (follows)
        return broken(
          'reordered',
          r.seq,
          r.id,
          `the record was written after record ${follows.seq}, not after record ${expectedSeq - 1}`,
        )
      if (r.seq > expectedSeq)
        return broken(
          'missing',
          expectedSeq,
          null,
          r.seq - expectedSeq === 1
            ? `record ${expectedSeq} is missing`
            : `records ${expectedSeq} to ${r.seq - 1} are missing`,
        )
      if (!previous)
        return broken('missing', r.seq, r.id, 'the records before the first one kept are missing')
      return broken(
        'changed',
        previous.seq,
        previous.id,
        'the record was changed and given a new hash: the next record does not follow it',
      )
    }
    if (r.seq !== expectedSeq)
      return broken('changed', r.seq, r.id, `the sequence number was changed from ${expectedSeq}`)
    previous = r
  }
  // The sealed head: the chain must still reach it, through the very record that was sealed.
  const last = previous as ChainRecord
  if (!head) return undefined
  if (head.seq > last.seq)
    return broken(
      'missing',
      last.seq + 1,
      null,
      head.seq - last.seq === 1
        ? `the last record (${head.seq}) is missing: the chain was sealed there`
        : `the last ${head.seq - last.seq} records (${last.seq + 1} to ${head.seq}) are missing: the chain was sealed at ${head.seq}`,
    )
  const sealed = records.find((r) => r.seq === head.seq)
  if (sealed && !equal(head.hash, sealed.hash))
    return broken(
      'changed',
      sealed.seq,
      sealed.id,
      'the record is not the one the chain was sealed with: records up to it were replaced',
    )
  return undefined
}

export interface ChainVerification {
  chains: number
  records: number
  /** The first broken link of each chain that does not hold, in the order of the persons' ids. */
  broken: BrokenLink[]
}

/**
 * Walks every chain in the database, a batch of records at a time, ordered by person and
 * sequence number, and checks each chain against its sealed head.
 */
export async function verifyAccessChains(
  db: Kysely<PeopleTables>,
  options: { batchSize?: number } = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? 5000
  const result: ChainVerification = { chains: 0, records: 0, broken: [] }
  let person: string | undefined
  let chain: ChainRecord[] = []
  const heads = new Map<string, ChainHead>()
  const finish = () => {
    if (person === undefined) return
    const link = findBrokenLink(person, chain, heads.get(person))
    if (link) result.broken.push(link)
    heads.delete(person)
    result.chains++
  }
  let after: { personId: string; seq: number; id: number } | undefined
  for (;;) {
    const batch = await store.listChainRecords(db, after, batchSize)
    const persons = [...new Set(batch.map((r) => r.personId))].filter((p) => !heads.has(p))
    for (const head of await store.findChainHeads(db, persons)) heads.set(head.personId, head)
    for (const r of batch) {
      if (r.personId !== person) {
        finish()
        person = r.personId
        chain = []
      }
      chain.push(r)
      result.records++
    }
    const last = batch.at(-1)
    if (!last || batch.length < batchSize) break
    after = { personId: last.personId, seq: last.seq, id: last.id }
  }
  finish()
  // Heads whose records are all gone.
  for (const head of await store.listHeadsWithoutRecords(db)) {
    result.chains++
    const link = findBrokenLink(head.personId, [], head)
    if (link) result.broken.push(link)
  }
  result.broken.sort((a, b) => a.personId.localeCompare(b.personId))
  return result
}

/** The verification in lines for a terminal: OK with the counts, or each chain's first broken link. */
export function describeVerification(result: ChainVerification): string[] {
  const counts = `${result.chains} chains, ${result.records} access records`
  if (result.broken.length === 0) return [`OK: ${counts}, every chain whole`]
  return [
    `BROKEN: ${result.broken.length} of ${counts} do not hold`,
    ...result.broken.map(
      (b) =>
        `  person ${b.personId}, record ${b.seq}${b.recordId === null ? '' : ` (id ${b.recordId})`}: ${b.kind} – ${b.detail}`,
    ),
  ]
}
