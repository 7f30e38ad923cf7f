// Walking one chain, without a database: a whole chain holds; a changed, missing, reordered or
// inserted record is named with its place in the chain.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type ChainHead,
  type ChainRecord,
  chainHash,
  contentHash,
  describeVerification,
  findBrokenLink,
  GENESIS_HASH,
} from './access-chain.ts'

const PERSON = '8c6f7a0e-5b1d-4f3a-9e2c-1d2b3c4d5e6f'

/** A chain of n records as the trigger writes them. */
function chain(n: number): ChainRecord[] {
  const records: ChainRecord[] = []
  let prev: Uint8Array = GENESIS_HASH
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      personId: PERSON,
      actorKind: seq % 2 ? 'person' : 'caseworker',
      actorId: seq % 2 ? PERSON : 'karin',
      actorAgencyId: seq % 2 ? null : 'forsakringskassan',
      onBehalfOf: null,
      consentId: null,
      purpose: seq % 2 ? 'profile' : 'case-handling',
      legalBasis: seq % 2 ? 'own-request' : 'case-handling',
      categories: ['identity', 'family'],
      readAtMicros: String(1_795_600_000_000_000 + seq * 1_000_000),
    }
    const hash = chainHash(prev, content)
    records.push({ ...content, id: 100 + seq, seq, contentHash: contentHash(content), prevHash: prev, hash })
    prev = hash
  }
  return records
}
const headOf = (records: ChainRecord[]): ChainHead => {
  const last = records.at(-1) as ChainRecord
  return { personId: PERSON, seq: last.seq, hash: last.hash }
}
const kindAt = (records: ChainRecord[], head?: ChainHead) => {
  const broken = findBrokenLink(PERSON, records, head)
  return broken && { kind: broken.kind, seq: broken.seq, recordId: broken.recordId }
}

describe('a chain of access records', () => {
  it('holds when every record follows the one before and reaches its sealed head', () => {
    const records = chain(5)
    assert.equal(findBrokenLink(PERSON, records, headOf(records)), undefined)
    assert.equal(
      findBrokenLink(PERSON, records, headOf(records.slice(0, 3))),
      undefined,
      'newer than the seal',
    )
  })

  it('names a record whose content was changed', () => {
    const records = chain(5)
    records[2] = { ...(records[2] as ChainRecord), purpose: 'personal-plan' }
    assert.deepEqual(kindAt(records, headOf(records)), { kind: 'changed', seq: 3, recordId: 103 })
  })

  it('names the number of a missing record, and records missing after the seal', () => {
    const records = chain(5)
    assert.deepEqual(kindAt([...records.slice(0, 2), ...records.slice(3)], headOf(records)), {
      kind: 'missing',
      seq: 3,
      recordId: null,
    })
    assert.deepEqual(kindAt(records.slice(0, 4), headOf(records)), {
      kind: 'missing',
      seq: 5,
      recordId: null,
    })
  })

  it('names a record moved to another place', () => {
    const [a, b, c, d] = chain(4) as [ChainRecord, ChainRecord, ChainRecord, ChainRecord]
    const swapped = [a, { ...c, seq: 2 }, { ...b, seq: 3 }, d]
    assert.deepEqual(kindAt(swapped, headOf(chain(4))), { kind: 'reordered', seq: 2, recordId: c.id })
  })

  it('names a record put into the chain', () => {
    const records = chain(4)
    const [a, b] = records as [ChainRecord, ChainRecord]
    const forged = { ...b, id: 999, seq: 3, actorId: 'someone' }
    const inserted = [
      a,
      b,
      { ...forged, contentHash: contentHash(forged), hash: chainHash(b.hash, forged), prevHash: b.hash },
    ]
    const shifted = records.slice(2).map((r) => ({ ...r, seq: r.seq + 1 }))
    assert.deepEqual(kindAt([...inserted, ...shifted]), { kind: 'inserted', seq: 3, recordId: 999 })
  })

  it('tells a terminal OK with the counts, or each broken chain', () => {
    assert.deepEqual(describeVerification({ chains: 3, records: 12, broken: [] }), [
      'OK: 3 chains, 12 access records, every chain whole',
    ])
    const lines = describeVerification({
      chains: 3,
      records: 12,
      broken: [{ personId: PERSON, kind: 'missing', seq: 4, recordId: null, detail: 'record 4 is missing' }],
    })
    assert.equal(lines[0], 'BROKEN: 1 of 3 chains, 12 access records do not hold')
    assert.equal(lines[1], `  person ${PERSON}, record 4: missing – record 4 is missing`)
  })
})
