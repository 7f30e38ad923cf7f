// The demonstration register adapter's door: an operator sends a register event (a birth, a move,
// a death …) as the register would. Stored once; the same event again changes nothing.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { requireRole } from '../../platform/http/guards.ts'
import type { People } from './index.ts'
import { REGISTER_EVENT_KINDS, type RegisterEventInput, type RegisterEventResult } from './register-events.ts'

/** Who may send register events by hand: an operator of the register adapters. */
export const REGISTER_OPERATOR_ROLE = 'operator'

const RegisterEventBody = Type.Object(
  {
    sourceEventId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The register’s own id for the event; the same id is the same event',
    }),
    source: Type.Optional(
      Type.String({
        maxLength: 80,
        description: 'The register that sent it, e.g. skatteverket (the default)',
      }),
    ),
    kind: Type.String({ maxLength: 40, description: `One of ${REGISTER_EVENT_KINDS.join(', ')}` }),
    personalNumber: Type.String({
      maxLength: 13,
      description: 'Whom the event is about; for a birth the child’s new personal identity number',
    }),
    occurredOn: Type.String({ maxLength: 10, description: 'The day it happened, YYYY-MM-DD' }),
    data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'birth: { guardians: [personal numbers], givenName?, familyName? }; pregnancy: { expectedDate }; move: { municipality, street, postalCode, city }; marriage: { spouse }; company-registration: { organisationNumber, name, form }; age-reached: { age }',
      }),
    ),
  },
  { additionalProperties: false },
)

const Recorded = Type.Object({
  eventId: Type.String({ format: 'uuid' }),
  replayed: Type.Boolean({ description: 'true when the same event had come before: nothing changed' }),
  personIds: Type.Array(Type.String({ format: 'uuid' })),
})

/** The outcome of a register event, or the catalogued error that says what to correct. */
export function unwrapRegisterEvent(
  result: RegisterEventResult,
  t: FastifyRequest['t'],
): Extract<RegisterEventResult, { kind: 'recorded' }> {
  switch (result.kind) {
    case 'recorded':
      return result
    case 'unknown-kind':
      throw new AppError('UNKNOWN_REGISTER_EVENT_KIND', {
        params: { kinds: REGISTER_EVENT_KINDS.join(', ') },
      })
    case 'invalid':
      throw new AppError('INVALID_REGISTER_EVENT', {
        fields: result.problems.map((p) => ({
          field: p.field,
          message: t(`registerEvents.problems.${p.problem}`, p.params),
        })),
      })
    case 'person-not-found':
      throw new AppError('REGISTER_EVENT_PERSON_NOT_FOUND', {
        fields: [{ field: result.field, message: t('registerEvents.problems.person-not-found') }],
      })
    case 'person-exists':
      throw new AppError('REGISTER_EVENT_PERSON_EXISTS')
    case 'conflict':
      throw new AppError('REGISTER_EVENT_CONFLICT')
  }
}

export async function registerEventsHttp(app: FastifyInstance, deps: { people: People }): Promise<void> {
  app.post(
    '/api/v1/register-events',
    {
      preHandler: requireRole(REGISTER_OPERATOR_ROLE),
      schema: {
        tags: ['Registerhändelser / Register events'],
        summary:
          'Ta emot en händelse från ett register / Receive an event from a register (operators): stored once, applied to the register data',
        body: RegisterEventBody,
        response: { 200: Recorded, 201: Recorded },
      },
    },
    async (request, reply) => {
      const result = unwrapRegisterEvent(
        await deps.people.recordRegisterEvent(request.body as RegisterEventInput),
        request.t,
      )
      return reply
        .status(result.replayed ? 200 : 201)
        .send({ eventId: result.eventId, replayed: result.replayed, personIds: result.personIds })
    },
  )
}
