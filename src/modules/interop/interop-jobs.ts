// The jobs interop runs, with the schema of each payload.
import Type, { type Static, type TSchema } from 'typebox'
import Value from 'typebox/value'
import { JobFailedForGood } from '../../platform/jobs/worker.ts'

const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
})

/** Delivers one change to one agency through its connector. */
export const DELIVER_CHANGE = 'interop.deliver-change'
export const DeliverChangePayload = Type.Object(
  { deliveryId: Uuid, personId: Uuid, agencyId: Type.String({ maxLength: 80 }) },
  { additionalProperties: false },
)
export type DeliverChangePayload = Static<typeof DeliverChangePayload>

/**
 * An event stored in the population register (the people module's job): a move or a death is
 * passed to the agencies that need it; other kinds are not interop's. Fields beyond these are
 * read when present (the day it happened), never required.
 */
export const REGISTER_EVENT_RECORDED = 'register-event.recorded'
export const RegisterEventPayload = Type.Object({
  eventId: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Integer()]),
  kind: Type.String({ maxLength: 40 }),
  personIds: Type.Array(Uuid, { maxItems: 1000 }),
})
export type RegisterEventPayload = Static<typeof RegisterEventPayload>

/** A payload that does not fit its schema will not fit on the next try either. */
export function checkPayload<T>(schema: TSchema, payload: unknown, job: string): T {
  if (Value.Check(schema, payload)) return payload as T
  throw new JobFailedForGood(`${job}: the payload does not fit its schema`)
}
