import type { JSONColumnType } from 'kysely'

export interface JourneysTables {
  'journeys.started_life_events': {
    person_id: string
    life_event_id: string
    started_on: string
    anchor_date: string | null
    anchor_kind: string | null
    register_event_id: string
    updated_on: string
  }
  'journeys.step_changes': {
    person_id: string
    life_event_id: string
    step_id: string
    status: 'done' | 'granted'
    reason: string
    params: JSONColumnType<Record<string, string | number>>
    changed_on: string
    register_event_id: string
  }
}
