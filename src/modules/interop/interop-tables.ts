import type { JSONColumnType } from 'kysely'

export type ChangeKind = 'move' | 'death'
export type DeliveryStatus = 'waiting' | 'pending' | 'failed' | 'delivered' | 'dead'

/** What agencies are told of a move: the new address and both municipalities. */
export interface MoveData {
  street: string
  postalCode: string
  city: string
  fromMunicipalityId: string
  toMunicipalityId: string
}

/** What agencies are told of a death: the municipality where the person lived. */
export interface DeathData {
  municipalityId: string
}

export type InteropTables = {
  'interop.changes': {
    id: string
    person_id: string
    kind: ChangeKind
    occurred_on: string
    source: 'samla' | 'register'
    data: JSONColumnType<MoveData | DeathData>
    idempotency_key: string | null
    request_hash: string | null
    register_event_id: string | null
    recorded_at: Date
  }
  'interop.deliveries': {
    id: string
    change_id: string
    person_id: string
    agency_id: string
    stage: 1 | 2
    status: DeliveryStatus
    event_id: string
    attempts: number
    last_error: string | null
    receipt_id: string | null
    delivered_at: Date | null
    created_at: Date
  }
  'interop.demo_inbox': {
    receipt_id: string
    agency_id: string
    event_id: string
    content_type: string
    body: string
    signature: string
    received_at: Date
  }
}
