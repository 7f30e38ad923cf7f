import type { Generated } from 'kysely'

export interface AuthTables {
  'auth.sessions': {
    token_hash: string
    subject: string
    person_id: string | null
    display_name: string
    roles: string[]
    agency_id: string | null
    assurance_level: string | null
    id_token: string | null
    created_at: Generated<Date>
    last_seen_at: Date
    expires_at: Date
    acting_for_person_id: Generated<string | null>
    acting_for_name: Generated<string | null>
  }
  'auth.powers_of_attorney': {
    id: Generated<string>
    principal_person_id: string
    holder_person_id: string
    principal_name: string
    holder_name: string
    areas: string[]
    valid_from: string
    valid_to: string
    idempotency_key: string
    granted_at: Generated<Date>
    withdrawn_at: Date | null
  }
}
