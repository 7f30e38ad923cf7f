// interop: tell us once. A change in a person's life (a move reported in Samla, a move or a death
// from the population register) reaches every agency that needs it through that agency's
// connector, as a signed CloudEvent delivered by the job queue, with a receipt for each.
import type { Kysely } from 'kysely'
import { ownData } from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import type { JobsTables } from '../../platform/jobs/queue.ts'
import type { Actor, People } from '../people/index.ts'
import { type Connector, createConnectorRegistry, parseConnectorSettings } from './connectors.ts'
import { createDeliverChange } from './deliver-change.ts'
import * as store from './interop-store.ts'
import type { DeliveryStatus, InteropTables, MoveData } from './interop-tables.ts'
import { createPassOnRegisterEvent } from './pass-on-register-event.ts'
import { createReportMove, type MoveReport } from './report-move.ts'
import { loadSigningKey, publicJwk, type SigningKey } from './signed-events.ts'

export { type Connector, parseConnectorSettings, type Receipt, webhookConnector } from './connectors.ts'
export { DELIVER_CHANGE, REGISTER_EVENT_RECORDED } from './interop-jobs.ts'
export type { ChangeKind, DeliveryStatus, InteropTables } from './interop-tables.ts'
export { interopHttp, moveReportPath } from './move-http.ts'
export { MOVE_WINDOW, type MoveProblem, type MoveReport, type ReportMoveResult } from './report-move.ts'
export { SIGNATURE_HEADER, type SignedEvent, verifySignedEvent } from './signed-events.ts'

/** The tables that hold a person's data: read only inside an access scope. */
export const INTEROP_PERSONAL_TABLES = ['interop.changes', 'interop.deliveries'] as const

/** Who reads: the person, or someone acting for them (the people module's reader). */
export interface Reader {
  actor: Actor
  personId: string
  onBehalfOf?: string
  scope?: string
}

/** A reported move and how far it has reached: for the plan of "Flytta". */
export interface MoveStatus {
  changeId: string
  moveDate: string
  source: 'samla' | 'register'
  reportedAt: string
  fromMunicipalityId?: string
  toMunicipalityId: string
  deliveries: Array<{
    agencyId: string
    status: DeliveryStatus
    attempts: number
    receiptId?: string
    deliveredAt?: string
    lastError?: string
  }>
}

export type Interop = ReturnType<typeof createInterop>

export function createInterop(deps: {
  db: Kysely<InteropTables & JobsTables>
  clock: Clock
  people: People
  /** Whether the id is a municipality in the catalogue. */
  isMunicipality: (id: string) => Promise<boolean>
  /** Where the signing key is kept when none is given. */
  dataDir: string
  /** Samla's address: the source of its CloudEvents. */
  publicUrl: string
  /** INTEROP_CONNECTORS: which connector each agency has (demo when not named). */
  connectorSettings?: string
  /** Connectors given in code (tests). */
  connectors?: Record<string, Connector>
  signingKey?: SigningKey
  retry?: { maxAttempts: number; backoff: { baseMs: number; maxMs: number } }
}) {
  const { db, clock, people } = deps
  const signingKey = deps.signingKey ?? loadSigningKey(deps.dataDir)
  const connectors = createConnectorRegistry({
    db,
    settings: parseConnectorSettings(deps.connectorSettings),
    ...(deps.connectors ? { connectors: deps.connectors } : {}),
  })
  const reportMove = createReportMove({ db, clock, people, isMunicipality: deps.isMunicipality })

  /** The person's own errand, or a recorded read by whoever acts for them. */
  function asReader<T>(reader: Reader, work: () => Promise<T>): Promise<T> {
    if (reader.actor.kind === 'person' && reader.actor.personId === reader.personId)
      return ownData(reader.personId, work)
    return people.access.read(
      {
        actor: reader.actor,
        purpose: 'personal-plan',
        ...(reader.onBehalfOf ? { onBehalfOf: reader.onBehalfOf } : {}),
      },
      async (scope) => {
        scope.record(reader.personId, ['circumstances'])
        return work()
      },
    )
  }

  /** The person's latest move known to interop, with each agency's delivery. */
  async function latestMove(reader: Reader): Promise<MoveStatus | undefined> {
    return asReader(reader, async () => {
      const [change] = await store.listChanges(db, reader.personId, 'move')
      if (!change) return undefined
      const data = change.data as Partial<MoveData>
      const deliveries = await store.listDeliveries(db, change.id)
      return {
        changeId: change.id,
        moveDate: change.occurred_on,
        source: change.source,
        reportedAt: change.recorded_at.toISOString(),
        ...(data.fromMunicipalityId ? { fromMunicipalityId: data.fromMunicipalityId } : {}),
        toMunicipalityId: data.toMunicipalityId ?? '',
        deliveries: deliveries.map((d) => ({
          agencyId: d.agency_id,
          status: d.status,
          attempts: d.attempts,
          ...(d.receipt_id ? { receiptId: d.receipt_id } : {}),
          ...(d.delivered_at ? { deliveredAt: d.delivered_at.toISOString() } : {}),
          ...(d.last_error ? { lastError: d.last_error } : {}),
        })),
      }
    })
  }

  return {
    /** Reports a move once: Samla tells every agency that needs it. */
    reportMove: (request: { reader: Reader; idempotencyKey: string; report: MoveReport }) =>
      asReader(request.reader, () => reportMove(request)),
    latestMove,
    /** Samla's public signing keys as a JWK set, for agencies to verify its events. */
    signingKeys: () => ({ keys: [publicJwk(signingKey)] }),
    handlers: {
      deliverChange: createDeliverChange({
        db,
        clock,
        people,
        connectors,
        signingKey,
        source: `${deps.publicUrl}/interop`,
        ...(deps.retry ? { retry: deps.retry } : {}),
      }),
      passOnRegisterEvent: createPassOnRegisterEvent({ db, clock, people }),
    },
  }
}
