// A move or a death stored in the population register (the job register-event.recorded) is passed
// to the agencies that need it. The register is Skatteverket's own, so it is not told again; the
// others get it at once. A move already reported in Samla is not passed twice when the register's
// event of the same move comes back: a change is kept once per person, kind and date, and a
// register move to the address reported in Samla is the same move.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { enqueueJobs, type JobsTables } from '../../platform/jobs/queue.ts'
import type { Job, JobHandler } from '../../platform/jobs/worker.ts'
import type { People } from '../people/index.ts'
import { deliveryJobs } from './deliver-change.ts'
import { checkPayload, REGISTER_EVENT_RECORDED, RegisterEventPayload } from './interop-jobs.ts'
import * as store from './interop-store.ts'
import type { ChangeKind, DeathData, InteropTables, MoveData } from './interop-tables.ts'
import { recipientsOf } from './recipients.ts'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** The day the event happened, when the payload says; otherwise the day it is handled. */
function dayOf(payload: Record<string, unknown>, today: string): string {
  for (const field of ['occurredOn', 'date', 'moveDate', 'deathDate']) {
    const value = payload[field]
    if (typeof value === 'string' && DATE.test(value)) return value
  }
  return today
}

export function createPassOnRegisterEvent(deps: {
  db: Kysely<InteropTables & JobsTables>
  clock: Clock
  people: People
}): JobHandler<RegisterEventPayload> {
  const { db, clock, people } = deps
  const actor = { kind: 'samla' as const, process: 'tell-us-once' }

  async function passOn(personId: string, kind: ChangeKind, eventId: string, occurredOn: string) {
    const person = await people.readPerson({ actor, purpose: 'tell-us-once', personId })
    if (!person?.identity || !person.address) return
    const address = person.address
    if (kind === 'move') {
      const same = (await store.listChanges(db, personId, 'move')).find((c) => {
        const d = c.data as MoveData
        return (
          c.occurred_on === occurredOn ||
          (d.toMunicipalityId === address.municipalityId &&
            d.street === address.street &&
            d.postalCode === address.postalCode)
        )
      })
      if (same) return
    }
    const data =
      kind === 'move'
        ? {
            personalNumber: person.identity.personalNumber,
            street: address.street,
            postalCode: address.postalCode,
            city: address.city,
            toMunicipalityId: address.municipalityId,
          }
        : { personalNumber: person.identity.personalNumber, municipalityId: address.municipalityId }
    const at = new Date(clock.now().epochMilliseconds)
    const changeId = randomUUID()
    await db.transaction().execute(async (tx) => {
      const added = await store.insertChange(tx, {
        id: changeId,
        personId,
        kind,
        occurredOn,
        source: 'register',
        data: data as (MoveData | DeathData) & { personalNumber: string },
        registerEventId: eventId,
        recordedAt: at,
      })
      if (!added) return
      const deliveries = recipientsOf(kind, data as MoveData | DeathData, 'register').map((r) => ({
        id: randomUUID(),
        changeId,
        personId,
        agencyId: r.agencyId,
        stage: r.stage,
        status: 'pending' as const,
        eventId: randomUUID(),
        createdAt: at,
      }))
      await store.insertDeliveries(tx, deliveries)
      await enqueueJobs(
        tx,
        deliveryJobs(deliveries.map((d) => ({ id: d.id, person_id: personId, agency_id: d.agencyId }))),
        at,
      )
    })
  }

  return {
    maxAttempts: 5,
    async run(job: Job<RegisterEventPayload>) {
      const payload = checkPayload<RegisterEventPayload>(
        RegisterEventPayload,
        job.payload,
        REGISTER_EVENT_RECORDED,
      )
      if (payload.kind !== 'move' && payload.kind !== 'death') return
      const kind: ChangeKind = payload.kind
      const occurredOn = dayOf(job.payload as Record<string, unknown>, clock.today().toString())
      await people.access.read({ actor, purpose: 'tell-us-once' }, async () => {
        for (const personId of payload.personIds)
          await passOn(personId, kind, String(payload.eventId), occurredOn)
      })
    },
  }
}
