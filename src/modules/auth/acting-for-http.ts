import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Clock } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import { requireViewer, viewerPersonId } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { ActingFor, GiveResult } from './acting-for.ts'
import { MAX_POWER_YEARS } from './acting-for.ts'
import { ACTING_FOR_AREAS, AREA_IDS } from './acting-for-areas.ts'
import { SESSION_COOKIE } from './auth-routes.ts'
import type { Sessions } from './sessions.ts'

const tags = ['Fullmakter / Powers of attorney']
const PersonId = Type.String({ format: 'uuid', description: 'A person’s internal id in Samla' })
const Text = Type.Object({ sv: Type.String(), en: Type.String() })
const Area = Type.Object({ id: Type.String(), name: Text })
const Party = Type.Object({ personId: Type.String({ format: 'uuid' }), name: Type.String() })

const PowerSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  principal: Party,
  holder: Party,
  areas: Type.Array(Area),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.String({ format: 'date' }),
  grantedAt: Type.String({ format: 'date-time' }),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Union([
    Type.Literal('valid'),
    Type.Literal('not-yet-valid'),
    Type.Literal('expired'),
    Type.Literal('withdrawn'),
  ]),
})

const GiveBody = Type.Object(
  {
    holderPersonalNumber: Type.String({
      maxLength: 20,
      description: 'The holder’s personal identity number, YYYYMMDD-NNNN',
    }),
    areas: Type.Array(Type.Union(AREA_IDS.map((a) => Type.Literal(a))), { minItems: 1, maxItems: 20 }),
    validFrom: Type.String({ format: 'date', description: 'The first day, today or later' }),
    validTo: Type.String({
      format: 'date',
      description: `The last day, at most ${MAX_POWER_YEARS} years after the first`,
    }),
  },
  { additionalProperties: false },
)

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    pattern: '^[A-Za-z0-9-]{8,100}$',
    description: 'Chosen by the client; the same key gives the same power of attorney once more',
  }),
})

const unwrapWithdraw = (result: { kind: 'withdrawn' } | { kind: 'not-found' }) => {
  if (result.kind === 'not-found') throw new AppError('POWER_OF_ATTORNEY_NOT_FOUND')
}

/**
 * Powers of attorney and the choice of whose errands to handle: the pages under Mina sidor and the
 * API. Powers are always the signed-in person's own: no one gives or withdraws one for someone else.
 */
export async function actingForHttp(
  app: FastifyInstance,
  deps: { actingFor: ActingFor; sessions: Sessions; views: Views; clock: Clock },
): Promise<void> {
  const { actingFor, sessions, views, clock } = deps

  /** The person in the path must be the signed-in person: others answer 404, as elsewhere. */
  const ownPersonId = (request: FastifyRequest) => {
    const { personId } = request.params as { personId: string }
    if (viewerPersonId(request) !== personId) throw new AppError('PERSON_NOT_FOUND')
    return personId
  }
  const findPower = async (personId: string, powerId: string) => {
    const { given } = await actingFor.listPowersOfAttorney(personId)
    const power = given.find((p) => p.id === powerId)
    if (!power) throw new AppError('POWER_OF_ATTORNEY_NOT_FOUND')
    return power
  }

  // API

  app.get(
    '/api/v1/persons/:personId/powers-of-attorney',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'Fullmakter som personen har gett och fått / Powers of attorney the person has given and received',
        params: Type.Object({ personId: PersonId }),
        response: { 200: Type.Object({ given: Type.Array(PowerSchema), received: Type.Array(PowerSchema) }) },
      },
    },
    async (request) => actingFor.listPowersOfAttorney(ownPersonId(request)),
  )

  app.post(
    '/api/v1/persons/:personId/powers-of-attorney',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Ge en fullmakt / Give a power of attorney',
        description:
          'The holder is another adult, named by personal identity number. The power covers the areas chosen, from the first to the last day, until it is withdrawn.',
        params: Type.Object({ personId: PersonId }),
        headers: IdempotencyHeaders,
        body: GiveBody,
        response: { 201: PowerSchema, 200: PowerSchema },
      },
    },
    async (request, reply) => {
      const principalPersonId = ownPersonId(request)
      const body = request.body as {
        holderPersonalNumber: string
        areas: string[]
        validFrom: string
        validTo: string
      }
      const result = await actingFor.givePowerOfAttorney({
        principalPersonId,
        ...body,
        idempotencyKey: request.headers['idempotency-key'] as string,
      })
      if (result.kind === 'person-not-found') throw new AppError('PERSON_NOT_FOUND')
      if (result.kind === 'invalid')
        throw new AppError('INVALID_POWER_OF_ATTORNEY', {
          fields: result.problems.map((p) => ({
            field: p.field,
            message: request.t(`actingFor.problems.${p.problem}`, { years: MAX_POWER_YEARS }),
          })),
        })
      return reply.status(result.replayed ? 200 : 201).send(await findPower(principalPersonId, result.id))
    },
  )

  app.post(
    '/api/v1/persons/:personId/powers-of-attorney/:powerId/withdrawal',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Återkalla en fullmakt / Withdraw a power of attorney',
        description: 'Takes effect at once: the holder’s next request in the person’s name is refused.',
        params: Type.Object({ personId: PersonId, powerId: Type.String({ format: 'uuid' }) }),
        response: { 200: PowerSchema },
      },
    },
    async (request) => {
      const principalPersonId = ownPersonId(request)
      const { powerId } = request.params as { powerId: string }
      unwrapWithdraw(await actingFor.withdrawPowerOfAttorney(principalPersonId, powerId))
      return findPower(principalPersonId, powerId)
    },
  )

  app.get(
    '/api/v1/persons/:personId/represented',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'Vilka personen kan sköta ärenden åt i dag / Whom the person may act for today (children in custody, valid powers of attorney)',
        params: Type.Object({ personId: PersonId }),
        response: {
          200: Type.Object({
            persons: Type.Array(
              Type.Object({
                personId: Type.String({ format: 'uuid' }),
                name: Type.String(),
                basis: Type.Union([Type.Literal('custody'), Type.Literal('power-of-attorney')]),
                areas: Type.Union([Type.Literal('all'), Type.Array(Area)]),
                validTo: Type.String({ format: 'date' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ persons: await actingFor.listRepresented(ownPersonId(request)) }),
  )

  // Pages

  const renderPowers = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string | string[]>,
    errors: Array<{ field: string; message: string }>,
  ) => {
    const personId = viewerPersonId(request)
    const { given, received } = await actingFor.listPowersOfAttorney(personId)
    const today = clock.today()
    const status = (request.query as { klart?: string } | undefined)?.klart
    return views.page(
      request,
      reply,
      '/modules/auth/views/powers-of-attorney',
      {
        title: request.t('actingFor.powers.title'),
        csrf: true,
        given,
        received,
        areas: AREA_IDS.map((id) => ({ id, name: ACTING_FOR_AREAS[id].name })),
        values: {
          idempotencyKey: randomUUID(),
          validFrom: today.toString(),
          validTo: today.add({ years: 1 }).subtract({ days: 1 }).toString(),
          areas: [],
          ...values,
        },
        errors,
        done: status === 'given' || status === 'withdrawn' ? status : undefined,
        maxYears: MAX_POWER_YEARS,
      },
      errors.length > 0 ? 422 : 200,
    )
  }

  app.get(
    '/mina-sidor/fullmakter',
    {
      preHandler: requireViewer,
      schema: {
        querystring: Type.Object({ klart: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => renderPowers(request, reply, {}, []),
  )

  app.post(
    '/mina-sidor/fullmakter',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        body: Type.Record(
          Type.String({ maxLength: 40 }),
          Type.Union([
            Type.String({ maxLength: 200 }),
            Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }),
          ]),
          { maxProperties: 12 },
        ),
      },
    },
    async (request, reply) => {
      const form = request.body as Record<string, string | string[] | undefined>
      const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '')
      const areas = ([] as string[]).concat(form.areas ?? [])
      const key = text('idempotencyKey')
      if (!/^[A-Za-z0-9-]{8,100}$/.test(key))
        return renderPowers(request, reply, {}, [
          { field: 'holderPersonalNumber', message: request.t('apply.errors.reload') },
        ])
      const result: GiveResult = await actingFor.givePowerOfAttorney({
        principalPersonId: viewerPersonId(request),
        holderPersonalNumber: text('holderPersonalNumber'),
        areas,
        validFrom: text('validFrom'),
        validTo: text('validTo'),
        idempotencyKey: key,
      })
      if (result.kind === 'person-not-found') throw new AppError('PERSON_NOT_FOUND')
      if (result.kind === 'invalid')
        return renderPowers(
          request,
          reply,
          {
            holderPersonalNumber: text('holderPersonalNumber'),
            validFrom: text('validFrom'),
            validTo: text('validTo'),
            idempotencyKey: key,
            areas,
          },
          result.problems.map((p) => ({
            field: p.field === 'areas' ? `area-${AREA_IDS[0]}` : p.field,
            message: request.t(`actingFor.problems.${p.problem}`, { years: MAX_POWER_YEARS }),
          })),
        )
      return reply.redirect('/mina-sidor/fullmakter?klart=given', 303)
    },
  )

  app.post(
    '/mina-sidor/fullmakter/:powerId/aterkalla',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        params: Type.Object({ powerId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ _csrf: Type.String() }),
      },
    },
    async (request, reply) => {
      const { powerId } = request.params as { powerId: string }
      unwrapWithdraw(await actingFor.withdrawPowerOfAttorney(viewerPersonId(request), powerId))
      return reply.redirect('/mina-sidor/fullmakter?klart=withdrawn', 303)
    },
  )

  app.get('/mina-sidor/vems-arenden', { preHandler: requireViewer }, async (request, reply) => {
    const represented = await actingFor.listRepresented(viewerPersonId(request))
    return views.page(request, reply, '/modules/auth/views/whose-errands', {
      title: request.t('actingFor.choose.title'),
      csrf: true,
      represented,
      current: request.viewer?.actingFor?.personId ?? 'self',
    })
  })

  app.post(
    '/mina-sidor/vems-arenden',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        body: Type.Object({
          _csrf: Type.String(),
          person: Type.String({ maxLength: 40, pattern: '^(self|[0-9a-f-]{36})$' }),
        }),
      },
    },
    async (request, reply) => {
      const me = viewerPersonId(request)
      const token = request.cookies[SESSION_COOKIE] ?? ''
      const { person } = request.body as { person: string }
      if (person === 'self' || person === me) {
        await sessions.chooseActingFor(token, undefined)
        return reply.redirect('/mina-arenden', 303)
      }
      const chosen = (await actingFor.listRepresented(me)).find((r) => r.personId === person)
      if (!chosen) {
        const answer = await actingFor.rightOf(me, person)
        throw new AppError(answer.kind === 'outside-period' ? 'ACTING_FOR_NOT_VALID' : 'PERSON_NOT_FOUND')
      }
      await sessions.chooseActingFor(token, { personId: chosen.personId, name: chosen.name })
      return reply.redirect('/mina-arenden', 303)
    },
  )
}
