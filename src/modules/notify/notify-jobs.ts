// The jobs notify runs, with the schema of each payload. Other modules reach notify through jobs
// written in their own transaction (an outbox), never through a direct call; app/jobs.ts names
// which handler takes which job.
import Type, { type Static, type TSchema } from 'typebox'
import Value from 'typebox/value'
import { JobFailedForGood } from '../../platform/jobs/worker.ts'

const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
})

/** Sends one message through its channel. */
export const DELIVER_MESSAGE = 'notify.deliver-message'
export const DeliverMessagePayload = Type.Object({ messageId: Uuid }, { additionalProperties: false })
export type DeliverMessagePayload = Static<typeof DeliverMessagePayload>

/**
 * A decision or a request has come to the person's inbox: the cases module's event, as notify
 * reads it. Notify tells the person where they want to hear it.
 */
export const InboxMessagePayload = Type.Object(
  {
    personId: Uuid,
    caseId: Uuid,
    kind: Type.Union([Type.Literal('decision'), Type.Literal('request')]),
  },
  { additionalProperties: false },
)
export type InboxMessagePayload = Static<typeof InboxMessagePayload>

/** A payload that does not fit its schema will not fit on the next try either. */
export function checkPayload<T>(schema: TSchema, payload: unknown, job: string): T {
  if (Value.Check(schema, payload)) return payload as T
  throw new JobFailedForGood(`${job}: the payload does not fit its schema`)
}
