import type { Generated, JSONColumnType } from 'kysely'

export interface PeopleTables {
  'people.persons': {
    id: Generated<string>
    personal_number: string
    given_name: string
    family_name: string
    birth_date: string
    municipality_id: string
    address: JSONColumnType<{ street: string; postalCode: string; city: string }>
    civil_status: string
    occupation: JSONColumnType<{ kind: string; employer?: string; annualIncomeSek?: number } | null>
    synced_at: Generated<Date>
    /** Set when folkbokföringen registers the person's death. */
    died_on: Generated<string | null>
  }
  'people.relations': {
    person_id: string
    related_person_id: string
    kind: 'child' | 'parent' | 'spouse'
    custody: boolean
  }
  'people.circumstances': {
    id: Generated<string>
    person_id: string
    kind: 'pregnancy' | 'planned-move' | 'planned-business'
    data: JSONColumnType<Record<string, unknown>>
    source: string
    registered_on: string
  }
  'people.register_events': {
    id: Generated<string>
    source: string
    source_event_id: string
    kind: string
    occurred_on: string
    person_id: string
    person_ids: string[]
    data: JSONColumnType<Record<string, unknown>>
    request_hash: string
    received_at: Generated<Date>
  }
  'people.access_log': {
    id: Generated<number>
    person_id: string
    actor_kind: string
    actor_id: string
    actor_agency_id: string | null
    on_behalf_of: string | null
    purpose: string
    legal_basis: string
    data_categories: string[]
    read_at: Generated<Date>
    consent_id: string | null
    /** SHA-256 of the record's canonical content; the insert trigger computes it when not sent. */
    content_hash: Generated<Uint8Array>
    /** Set by the insert trigger: the record's place in the person's chain, and the hashes. */
    seq: Generated<number>
    prev_hash: Generated<Uint8Array>
    hash: Generated<Uint8Array>
  }
  'people.access_chain_heads': {
    person_id: string
    seq: number
    hash: Uint8Array
    sealed_at: Generated<Date>
  }
  'people.access_chain_seals': {
    id: Generated<number>
    sealed_at: Generated<Date>
    up_to_id: number
  }
}
