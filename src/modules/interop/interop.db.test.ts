import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PERSONS } from '../../../test/helpers/app.ts'
import { buildTestContainer } from '../../../test/helpers/container.ts'
import { ENGINES } from '../../../test/helpers/databases.ts'
import type { Container } from '../../app/container.ts'
import { createJobWorker } from '../../app/jobs.ts'
import { createManualClock } from '../../platform/clock.ts'
import type { Worker } from '../../platform/jobs/worker.ts'
import type { MoveReport } from './index.ts'

const MOVE: MoveReport = {
  street: 'Vasagatan 12',
  postalCode: '41124',
  city: 'Göteborg',
  municipalityId: 'goteborgs-stad',
  moveDate: '2026-12-15',
}

for (const engine of ENGINES) {
  describe(`tell us once (${engine})`, () => {
    const clock = createManualClock('2026-11-25T09:00:00Z')
    let c: Container
    let drop: () => Promise<void>
    let worker: Worker
    let johan: string
    const asJohan = () => ({ actor: { kind: 'person' as const, personId: johan }, personId: johan })

    before(async () => {
      // CSN's connector refuses every message: its delivery is tried again, then given up.
      ;({ container: c, drop } = await buildTestContainer(engine, {
        clock,
        env: { INTEROP_CONNECTORS: 'csn=failing-demo' },
      }))
      worker = createJobWorker(c)
      johan = (await c.people.identifyPerson(PERSONS.johan, 'test')) as string
    })
    after(() => drop())

    it('keeps a move once per key: the same body is answered again, another body is a conflict', async () => {
      const first = await c.interop.reportMove({
        reader: asJohan(),
        idempotencyKey: 'key-00000001',
        report: MOVE,
      })
      assert.equal(first.kind, 'reported')
      assert.equal(first.kind === 'reported' && first.replayed, false)
      const again = await c.interop.reportMove({
        reader: asJohan(),
        idempotencyKey: 'key-00000001',
        report: MOVE,
      })
      assert.equal(again.kind === 'reported' && again.replayed, true)
      const other = await c.interop.reportMove({
        reader: asJohan(),
        idempotencyKey: 'key-00000001',
        report: { ...MOVE, street: 'Linnégatan 3' },
      })
      assert.equal(other.kind, 'idempotency-conflict')
      const sameDay = await c.interop.reportMove({
        reader: asJohan(),
        idempotencyKey: 'key-00000002',
        report: { ...MOVE, street: 'Linnégatan 3' },
      })
      assert.deepEqual(sameDay, { kind: 'already-reported', moveDate: '2026-12-15' })
      assert.equal(first.kind === 'reported' && first.deliveries.length, 6)
    })

    it('refuses what cannot be a move, each problem with its field, and stores nothing', async () => {
      const refused = await c.interop.reportMove({
        reader: asJohan(),
        idempotencyKey: 'key-00000003',
        report: {
          street: ' ',
          postalCode: '1234',
          city: '42',
          municipalityId: 'region-stockholm',
          moveDate: '2028-01-01',
        },
      })
      assert.deepEqual(refused.kind === 'invalid' && refused.problems.map((p) => p.problem), [
        'street',
        'postal-code',
        'city',
        'unknown-municipality',
        'date-too-late',
      ])
      const changes = await c.database.db.selectFrom('interop.changes').select('id').execute()
      assert.equal(changes.length, 1)
    })

    it('gives up on a connector that keeps failing, and keeps the delivery with its last error', async () => {
      await worker.drain()
      for (let i = 0; i < 10; i++) {
        clock.advance({ hours: 2 })
        await worker.drain()
      }
      const move = await c.interop.latestMove(asJohan())
      const csn = move?.deliveries.find((d) => d.agencyId === 'csn')
      assert.equal(csn?.status, 'dead')
      assert.equal(csn?.attempts, 8)
      assert.match(csn?.lastError ?? '', /refuses every message/)
      assert.ok(
        move?.deliveries
          .filter((d) => d.agencyId !== 'csn')
          .every((d) => d.status === 'delivered' && d.receiptId),
      )
    })

    it('shows the person which agency got their new address, when and why', async () => {
      const records = await c.database.db
        .selectFrom('people.access_log')
        .select(['actor_kind', 'actor_id', 'purpose'])
        .where('person_id', '=', johan)
        .where('purpose', '=', 'tell-us-once')
        .execute()
      const agencies = new Set(records.filter((r) => r.actor_kind === 'agency-system').map((r) => r.actor_id))
      for (const agency of ['skatteverket', 'forsakringskassan', 'sundsvalls-kommun', 'goteborgs-stad'])
        assert.ok(
          [...agencies].some((a) => a.includes(agency)),
          agency,
        )
    })
  })
}
