import type { Generated } from 'kysely'
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
}
