import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { errandOf, readerOf, rightCovers, type Scope } from '../../platform/http/errand.ts'
import { requireViewer } from '../../platform/http/guards.ts'
import { formatDateTime } from '../../web/format.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog, Text } from '../catalog/index.ts'
import type { Journeys, PlanRequest, PlanResult } from './index.ts'
import type { Plan } from './make-plan.ts'

const TextSchema = Type.Object({ sv: Type.String(), en: Type.String() })
const Verification = Type.Union([
  Type.Literal('verified'),
  Type.Literal('derived'),
  Type.Literal('unverified'),
])
const Id = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 })
const PersonId = Type.String({ format: 'uuid', description: 'A person’s internal id in Samla' })
const DeliverySchema = Type.Object({
  agencyId: Type.String(),
  status: Type.Union(
    ['waiting', 'pending', 'failed', 'delivered', 'dead'].map((s) => Type.Literal(s)),
    {
      description:
        'waiting for Skatteverket, pending, failed (tried again later), delivered (with a receipt) or dead',
    },
  ),
  attempts: Type.Integer(),
  receiptId: Type.Optional(Type.String()),
  deliveredAt: Type.Optional(Type.String({ format: 'date-time' })),
  lastError: Type.Optional(Type.String()),
})

const PlanQuery = Type.Object({
  date: Type.Optional(Type.String({ maxLength: 10, description: 'The life event’s date, YYYY-MM-DD' })),
  municipality: Type.Optional(
    Type.String({
      maxLength: 80,
      description: 'The other municipality: where one moves, or where the relative lives',
    }),
  ),
})

export const PlanSchema = Type.Object({
  lifeEventId: Type.String(),
  title: TextSchema,
  summary: TextSchema,
  today: Type.String({ format: 'date' }),
  personal: Type.Boolean(),
  anchor: Type.Object({
    key: Type.String(),
    label: TextSchema,
    date: Type.Optional(Type.String({ format: 'date' })),
    source: Type.Optional(
      Type.Union([Type.Literal('register'), Type.Literal('entered'), Type.Literal('today')]),
    ),
    circumstance: Type.Optional(
      Type.String({ description: 'Which register fact the date came from, e.g. pregnancy' }),
    ),
  }),
  steps: Type.Array(
    Type.Object({
      id: Type.String(),
      title: TextSchema,
      action: TextSchema,
      automatic: Type.Boolean(),
      status: Type.Union([
        Type.Literal('automatic'),
        Type.Literal('to-do'),
        Type.Literal('overdue'),
        Type.Literal('done'),
      ]),
      delivery: Type.Optional(DeliverySchema),
      change: Type.Optional(
        Type.Object(
          {
            status: Type.Union([Type.Literal('done'), Type.Literal('granted')]),
            reason: Type.String({
              description: 'Why the step changed by itself: a message key, plan.changes.<reason>',
            }),
            params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
            on: Type.String({ format: 'date' }),
          },
          {
            description:
              'A register event did the step (the birth registered), or decided it (barnbidrag granted)',
          },
        ),
      ),
      responsible: Type.Object({
        agencyId: Type.Optional(Type.String()),
        name: Type.Optional(TextSchema),
        level: Type.Optional(
          Type.Union([Type.Literal('state'), Type.Literal('region'), Type.Literal('municipality')]),
        ),
        role: Type.Optional(Type.String()),
      }),
      due: Type.Optional(
        Type.Object({
          date: Type.String({ format: 'date' }),
          daysLeft: Type.Integer(),
          explanation: TextSchema,
          legalReference: Type.Optional(Type.String()),
          status: Verification,
        }),
      ),
      service: Type.Optional(Type.Object({ id: Type.String(), isTemplate: Type.Boolean() })),
      after: Type.Array(Type.String()),
      unknownConditions: Type.Array(Type.String()),
    }),
  ),
  omittedSteps: Type.Integer(),
  tellUsOnce: Type.Optional(
    Type.Object({
      date: Type.String({ format: 'date' }),
      reportedAt: Type.String({ format: 'date-time' }),
      source: Type.Union([Type.Literal('samla'), Type.Literal('register')]),
      deliveries: Type.Array(DeliverySchema),
    }),
  ),
})

function presentPlan(plan: Plan, personal: boolean) {
  return {
    ...plan,
    personal,
    steps: plan.steps.map((s) => ({
      ...s,
      responsible: {
        ...(s.responsible.agency
          ? { agencyId: s.responsible.agency.id, name: s.responsible.agency.name }
          : {}),
        ...(s.responsible.level ? { level: s.responsible.level } : {}),
        ...(s.responsible.role ? { role: s.responsible.role } : {}),
      },
    })),
  }
}

function unwrap(result: PlanResult): Plan {
  switch (result.kind) {
    case 'plan':
      return result.plan
    case 'life-event-not-found':
      throw new AppError('LIFE_EVENT_NOT_FOUND')
    case 'person-not-found':
      throw new AppError('PERSON_NOT_FOUND')
    case 'invalid-date':
      throw new AppError('INVALID_DATE')
    case 'unknown-municipality':
      throw new AppError('UNKNOWN_MUNICIPALITY')
  }
}

/** A personal plan is made from personal details: a power of attorney must cover them. */
const PERSONAL_DETAILS: Scope = { area: 'personal-details' }

/**
 * Whose plan a signed-in person sees: their own, or that of the one they act for when the right
 * covers personal details. Anyone else, and a right that does not reach, get the general plan.
 */
async function planViewer(request: FastifyRequest): Promise<PlanRequest['viewer']> {
  if (!request.viewer?.personId) return undefined
  const chosen = request.viewer.actingFor
  if (chosen && !(chosen.right && rightCovers(chosen.right, PERSONAL_DETAILS))) return undefined
  return readerOf(await errandOf(request, PERSONAL_DETAILS))
}

const tags = ['Planer / Plans']

export async function journeysApi(app: FastifyInstance, deps: { journeys: Journeys }): Promise<void> {
  const { journeys } = deps

  app.get(
    '/api/v1/life-events/:id/plan',
    {
      schema: {
        tags,
        summary:
          'En allmän plan för en livshändelse / A general plan for a life event, with due dates from the given date',
        params: Type.Object({ id: Id }),
        querystring: PlanQuery,
        response: { 200: PlanSchema },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string }
      const q = request.query as { date?: string; municipality?: string }
      const plan = unwrap(await journeys.makePersonalPlan({ lifeEventId: id, ...q }))
      return presentPlan(plan, false)
    },
  )

  app.get(
    '/api/v1/persons/:personId/plans/:lifeEventId',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'En persons plan för en livshändelse / A person’s plan for a life event: one’s own, or of someone one acts for',
        params: Type.Object({ personId: PersonId, lifeEventId: Id }),
        querystring: PlanQuery,
        response: { 200: PlanSchema },
      },
    },
    async (request) => {
      const { personId, lifeEventId } = request.params as { personId: string; lifeEventId: string }
      // One's own plan, or that of someone one acts for; anyone else's answers 404.
      const viewer = readerOf(await errandOf(request, PERSONAL_DETAILS, { personId }))
      const q = request.query as { date?: string; municipality?: string }
      const plan = unwrap(await journeys.makePersonalPlan({ lifeEventId, viewer, ...q }))
      return presentPlan(plan, true)
    },
  )
}

export async function journeysPages(
  app: FastifyInstance,
  deps: {
    journeys: Journeys
    catalog: Catalog
    views: Views
    /** Where a service can be applied for in Samla, if it can. */
    applicationPath?: (serviceId: string) => string | undefined
  },
) {
  const { journeys, catalog, views } = deps

  app.get(
    '/livshandelser/:id',
    {
      schema: {
        params: Type.Object({ id: Id }),
        querystring: Type.Object({
          datum: Type.Optional(Type.String({ maxLength: 10 })),
          kommun: Type.Optional(Type.String({ maxLength: 80 })),
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string }
      const { datum, kommun } = request.query as { datum?: string; kommun?: string }
      const viewer = await planViewer(request)
      const planRequest: PlanRequest = { lifeEventId: id }
      if (datum) planRequest.date = datum
      if (kommun) planRequest.municipality = kommun
      if (viewer) planRequest.viewer = viewer
      const plan = unwrap(await journeys.makePersonalPlan(planRequest))
      const event = await catalog.getLifeEvent(id)
      const roles = new Set(event?.steps.map((s) => s.responsible) ?? [])
      const asksDate = event?.steps.some((s) => s.due?.anchor === event.anchor.key) ?? false
      const asksMunicipality = [...roles].some(
        (r) => r.startsWith('$destination') || r.startsWith('$relative'),
      )
      const agencies = await catalog.listAgencies()
      return views.page(request, reply, '/modules/journeys/views/plan', {
        title: (plan.title as Text)[request.lang],
        plan,
        applyPath: (serviceId: string) => deps.applicationPath?.(serviceId),
        personal: Boolean(viewer),
        asksDate,
        asksMunicipality,
        chosenMunicipality: kommun ?? '',
        municipalities: agencies.filter((a) => a.level === 'municipality'),
        anchorSource: plan.anchor.circumstance ? request.t(`sources.${plan.anchor.circumstance}`) : undefined,
        enteredDate: datum ?? '',
        // Tell us once: the agencies a reported move went to, with each receipt's time.
        agencyName: (agencyId: string) =>
          agencies.find((a) => a.id === agencyId)?.name[request.lang] ?? agencyId,
        dateTime: (instant: string) => formatDateTime(instant, request.lang),
        reportMovePath: event?.anchor.key === 'moveDate' ? deps.applicationPath?.('flyttanmalan') : undefined,
      })
    },
  )
}
