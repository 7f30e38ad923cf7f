import type { Generated, JSONColumnType } from 'kysely'

export type CaseStatus =
  | 'submitted'
  | 'in-progress'
  | 'in-queue'
  | 'waiting-for-applicant'
  | 'decided'
  | 'withdrawn'
export type CaseOutcome = 'approved' | 'partly-approved' | 'rejected'

export interface CasesTables {
  'cases.cases': {
    id: Generated<string>
    person_id: string
    applicant_person_id: string | null
    service_id: string
    agency_id: string
    status: CaseStatus
    idempotency_key: string | null
    request_hash: string | null
    application: JSONColumnType<Record<string, unknown>>
    rule_set: string | null
    rule_set_version: string | null
    outcome: CaseOutcome | null
    decision: JSONColumnType<Record<string, unknown> | null>
    queue_reason: string | null
    submitted_at: Generated<Date>
    updated_at: Generated<Date>
    decided_at: Date | null
    decided_by: string | null
    /** Who filed it for the person, and on what right; null when the person filed it themself. */
    filed_by_person_id: Generated<string | null>
    filed_by_name: Generated<string | null>
    filed_by_basis: Generated<'custody' | 'power-of-attorney' | null>
  }
  'cases.events': {
    id: Generated<number>
    case_id: string
    at: Generated<Date>
    actor_kind: string
    actor_id: string
    kind: string
    data: JSONColumnType<Record<string, unknown>>
  }
  'cases.documents': {
    id: Generated<string>
    case_id: string
    kind: 'certificate'
    file_name: string
    content_type: string
    size_bytes: number
    content: Uint8Array
    uploaded_by: string
    uploaded_at: Generated<Date>
  }
  'cases.messages': {
    id: Generated<string>
    person_id: string
    case_id: string
    kind: 'decision' | 'request'
    created_at: Generated<Date>
    read_at: Date | null
  }
  'cases.recorded_care_days': {
    person_id: string
    child_person_id: string
    care_date: string
    fraction: number
    reason: string
    recorded_at: Generated<Date>
    employer_notified_at: Date | null
    applied_in_case: string | null
  }
  'cases.care_days': {
    case_id: string
    child_person_id: string
    claimant_person_id: string
    care_date: string
    fraction: number
    outcome: string
  }
}
