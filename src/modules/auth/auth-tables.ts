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
  }
}
