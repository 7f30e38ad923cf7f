import type { Generated } from 'kysely'

export interface ConsentTables {
  'consent.consents': {
    id: Generated<string>
    person_id: string
    given_by: string
    recipient_agency_id: string
    purpose: string
    data_categories: string[]
    valid_from: Date
    valid_until: Date
    reference: string | null
    given_at: Generated<Date>
    withdrawn_at: Date | null
    withdrawn_by: string | null
  }
  'consent.calendar_sources': {
    consent_id: string
    person_id: string
    kind: 'file' | 'link'
    link_url: string | null
    read_at: Date
    horizon_from: Date
    horizon_until: Date
  }
  'consent.busy_periods': {
    consent_id: string
    person_id: string
    starts_at: Date
    ends_at: Date
  }
}
