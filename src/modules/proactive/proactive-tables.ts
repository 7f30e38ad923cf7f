import type { Generated, JSONColumnType } from 'kysely'
import type { TriggerKind } from './date-rules.ts'

export interface ProactiveTables {
  'proactive.fired_triggers': {
    person_id: string
    kind: TriggerKind
    occasion: string
    due_on: string
    reason: string
    fired_on: string
    fired_at: Generated<Date>
  }
  'proactive.offers': {
    id: Generated<string>
    person_id: string
    kind: 'offer' | 'reminder'
    source: TriggerKind
    occasion: string
    agency_id: string
    reason_key: string
    reason_params: JSONColumnType<Record<string, string>>
    deadline: string
    scheduled_for: Date
    planned_by: 'calendar' | 'default' | 'person'
    status: Generated<'scheduled' | 'sent' | 'dismissed'>
    sent_at: Date | null
    dismissed_at: Date | null
    created_at: Date
    updated_at: Date
  }
}
