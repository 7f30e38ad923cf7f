// Group commit for access records, without a database: reads that end while a statement is on its
// way share the next one, each read settles once its own records are written, and a bad record
// fails only the read it belongs to.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AccessRecord } from './people-store.ts'
import { inBatches } from './record-reads.ts'

const record = (personId: string): AccessRecord => ({
  personId,
  actorKind: 'person',
  actorId: personId,
  actorAgencyId: null,
  onBehalfOf: null,
  purpose: 'profile',
  legalBasis: 'own-request',
  categories: ['identity'],
})

describe('writing access records in batches', () => {
  it('puts the reads that end while a statement is on its way into the next one', async () => {
    const statements: string[][] = []
    const append = inBatches(async (records) => {
      statements.push(records.map((r) => r.personId))
      await new Promise((resolve) => setTimeout(resolve, 5))
    })
    await Promise.all(['a', 'b', 'c', 'd'].map((p) => append([record(p)])))
    assert.deepEqual(statements, [['a'], ['b', 'c', 'd']])
  })

  it('settles a read only when its own records are written', async () => {
    let written = 0
    const append = inBatches(async (records) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      written += records.length
    })
    await append([record('a'), record('b')])
    assert.equal(written, 2)
  })

  it('fails only the read whose record the database refuses', async () => {
    const append = inBatches(async (records) => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      if (records.some((r) => r.personId === 'bad')) throw new Error('refused')
    })
    const [first, ...rest] = await Promise.allSettled(
      ['x', 'ok1', 'bad', 'ok2'].map((p) => append([record(p)])),
    )
    assert.equal(first?.status, 'fulfilled')
    assert.deepEqual(
      rest.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    )
  })
})
