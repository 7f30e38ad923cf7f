// Delivering one change to one agency: the job interop.deliver-change. It reads the change inside
// a recorded scope of the receiving agency's system (so the person sees in "Vem har sett mina
// uppgifter" which agency got their new address, when and why), builds the signed CloudEvent (its
// id the same on every attempt), hands it to the agency's connector and keeps the receipt. A
// failure is recorded on the delivery and the job is tried again with a growing wait; after the
// last attempt the delivery is dead, kept with its error. When Skatteverket has given its receipt
// for a move reported in Samla, the agencies that follow the register are queued, in the same
// transaction. A delivery that has its receipt is not sent again.
import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { enqueueJobs, type JobsTables } from '../../platform/jobs/queue.ts'
import type { Job, JobHandler } from '../../platform/jobs/worker.ts'
import type { People } from '../people/index.ts'
import type { ConnectorRegistry } from './connectors.ts'
import { checkPayload, DELIVER_CHANGE, DeliverChangePayload } from './interop-jobs.ts'
import * as store from './interop-store.ts'
import type { InteropTables } from './interop-tables.ts'
import { EVENT_TYPES } from './recipients.ts'
import { type SigningKey, signEvent } from './signed-events.ts'

type Db = Kysely<InteropTables & JobsTables>

const errorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000) || 'failed without a message'

/** The jobs that deliver these deliveries. */
export function deliveryJobs(deliveries: Array<{ id: string; person_id: string; agency_id: string }>) {
  return deliveries.map((d) => ({
    name: DELIVER_CHANGE,
    payload: { deliveryId: d.id, personId: d.person_id, agencyId: d.agency_id },
    uniqueKey: `${DELIVER_CHANGE}:${d.id}`,
  }))
}

export function createDeliverChange(deps: {
  db: Db
  clock: Clock
  people: People
  connectors: ConnectorRegistry
  signingKey: SigningKey
  /** The CloudEvents' source: Samla's address. */
  source: string
  retry?: { maxAttempts: number; backoff: { baseMs: number; maxMs: number } }
}): JobHandler<DeliverChangePayload> {
  const { db, clock, people } = deps
  const now = () => new Date(clock.now().epochMilliseconds)

  async function deliver(job: Job<DeliverChangePayload>, signal: AbortSignal): Promise<void> {
    const { deliveryId, personId, agencyId } = checkPayload<DeliverChangePayload>(
      DeliverChangePayload,
      job.payload,
      DELIVER_CHANGE,
    )
    const actor = { kind: 'agency-system' as const, agencyId }
    await people.access.read({ actor, purpose: 'tell-us-once' }, async (scope) => {
      const delivery = await store.findDeliveryWithChange(db, deliveryId)
      if (!delivery || delivery.person_id !== personId || delivery.agency_id !== agencyId) return
      if (delivery.status === 'delivered' || delivery.status === 'dead') return
      scope.record(personId, ['identity', 'address'], {
        legalBasis: delivery.source === 'samla' ? 'own-request' : 'register-law',
      })
      const event = signEvent(deps.signingKey, {
        id: delivery.event_id,
        type: EVENT_TYPES[delivery.kind],
        source: deps.source,
        subject: delivery.change_id,
        time: delivery.recorded_at.toISOString(),
        data: { kind: delivery.kind, occurredOn: delivery.occurred_on, ...delivery.data },
      })
      let receiptId: string
      try {
        receiptId = (await deps.connectors.connectorFor(agencyId).deliver(agencyId, event, signal)).receiptId
      } catch (error) {
        await store.markFailed(db, deliveryId, {
          status: 'failed',
          error: errorText(error),
          attempts: job.attempt,
        })
        throw error
      }
      await db.transaction().execute(async (tx) => {
        await store.markDelivered(tx, deliveryId, { receiptId, attempts: job.attempt, at: now() })
        if (delivery.stage === 1) await releaseFollowers(tx, delivery.change_id)
      })
    })
  }

  /** Once every first delivery has its receipt, the agencies that follow the register are queued. */
  async function releaseFollowers(tx: Transaction<InteropTables & JobsTables>, changeId: string) {
    const all = await store.listDeliveries(tx, changeId)
    if (all.some((d) => d.stage === 1 && d.status !== 'delivered')) return
    const released = await store.releaseWaiting(tx, changeId)
    await enqueueJobs(tx, deliveryJobs(released), now())
  }

  return {
    maxAttempts: deps.retry?.maxAttempts ?? 8,
    backoff: deps.retry?.backoff ?? { baseMs: 30_000, maxMs: 60 * 60_000 },
    timeoutMs: 30_000,
    run: deliver,
    async onDead(job: Job<DeliverChangePayload>, lastError: string, jobsTx: Transaction<JobsTables>) {
      const deliveryId = (job.payload as Partial<DeliverChangePayload>).deliveryId
      if (typeof deliveryId !== 'string') return
      await store.markFailed(jobsTx.withTables<InteropTables>(), deliveryId, {
        status: 'dead',
        error: lastError,
      })
    },
  }
}
