// The person in control of their reminders: /mina-sidor/paminnelser lists what Samla will remind
// them of, when and why, and lets them move a reminder to another day or dismiss it (forms that
// work without JavaScript); the same through the API. A person reaches only their own.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { requireViewer, viewerPersonId } from '../../platform/http/guards.ts'
import type { Language } from '../../platform/i18n.ts'
import { formatDateLong, formatDateTime } from '../../web/format.ts'
import type { Views } from '../../web/views.ts'
import type { Proactive } from './index.ts'
import { localParams, type MoveResult, type Offer } from './offers.ts'

const tags = ['Påminnelser / Reminders']
const PAGE = '/mina-sidor/paminnelser'
const PersonId = Type.String({ format: 'uuid' })
const OfferId = Type.String({ format: 'uuid' })
const Day = Type.String({ maxLength: 20, description: 'YYYY-MM-DD: today or later, before the deadline' })

const OfferSchema = Type.Object({
  id: OfferId,
  kind: Type.Union([Type.Literal('offer'), Type.Literal('reminder')]),
  title: Type.String(),
  agencyId: Type.String(),
  why: Type.String({ description: 'Why the person sees it: the event or date, and the rule behind it' }),
  deadline: Type.String({ format: 'date' }),
  scheduledFor: Type.String({ format: 'date-time' }),
  plannedBy: Type.Union(
    ['calendar', 'default', 'person'].map((p) => Type.Literal(p)),
    {
      description:
        'How the moment was chosen: a shared calendar’s free days, the default rule, or the person',
    },
  ),
  status: Type.Union(['scheduled', 'sent', 'dismissed'].map((s) => Type.Literal(s))),
})

type MoveProblem = Exclude<MoveResult['kind'], 'moved' | 'not-found' | 'not-scheduled'>

export async function offersHttp(
  app: FastifyInstance,
  deps: {
    proactive: Proactive
    views: Views
    agencyName: (id: string, lang: Language) => Promise<string>
    /** YYYY-MM-DD, from the clock: the first day a reminder may be moved to. */
    today: () => string
  },
): Promise<void> {
  const { proactive, views } = deps
  const offers = proactive.offers

  const words = (request: FastifyRequest, o: Offer) => ({
    title: request.t(`proactive.offers.titles.${o.source}`),
    why: request.t(o.reason.key, localParams(o.reason.params, request.lang)),
  })

  /** The viewer's own person id, or 404 for anyone else's: whether the person exists is not told. */
  const ownPerson = (request: FastifyRequest): string => {
    const { personId } = request.params as { personId: string }
    if (viewerPersonId(request) !== personId) throw new AppError('PERSON_NOT_FOUND')
    return personId
  }

  const moveProblem = (request: FastifyRequest, kind: MoveProblem, o?: Offer) =>
    request.t(`proactive.offers.problems.${kind}`, {
      deadline: o ? formatDateLong(o.deadline, request.lang) : '',
    })

  /** A move that did not happen, as a catalogued error. */
  const moveFailed = (request: FastifyRequest, result: Exclude<MoveResult, { kind: 'moved' }>, o?: Offer) => {
    if (result.kind === 'not-found') return new AppError('OFFER_NOT_FOUND')
    if (result.kind === 'not-scheduled') return new AppError('OFFER_NOT_SCHEDULED')
    return new AppError('INVALID_REMINDER_DAY', {
      fields: [{ field: 'day', message: moveProblem(request, result.kind, o) }],
    })
  }

  app.get(
    '/api/v1/persons/:personId/reminders',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Dina påminnelser och varför / Your reminders, and why',
        params: Type.Object({ personId: PersonId }),
        response: { 200: Type.Object({ reminders: Type.Array(OfferSchema) }) },
      },
    },
    async (request) => ({
      reminders: (await offers.listOffers(ownPerson(request))).map((o) => ({ ...o, ...words(request, o) })),
    }),
  )

  app.post(
    '/api/v1/persons/:personId/reminders/:offerId/move',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Flytta en påminnelse / Move a reminder',
        description:
          'To a day from today until the day before the deadline; the time is the first within your preferred hours outside your quiet hours. Otherwise 422 with the field.',
        params: Type.Object({ personId: PersonId, offerId: OfferId }),
        body: Type.Object({ day: Day }, { additionalProperties: false }),
        response: { 200: Type.Object({ scheduledFor: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (request) => {
      const personId = ownPerson(request)
      const { offerId } = request.params as { offerId: string }
      const { day } = request.body as { day: string }
      const result = await offers.moveOffer({ personId, offerId, day })
      if (result.kind === 'moved') return { scheduledFor: result.scheduledFor }
      const offer = (await offers.listOffers(personId)).find((o) => o.id === offerId)
      throw moveFailed(request, result, offer)
    },
  )

  app.post(
    '/api/v1/persons/:personId/reminders/:offerId/dismissal',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Ta bort en påminnelse / Dismiss a reminder',
        params: Type.Object({ personId: PersonId, offerId: OfferId }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const personId = ownPerson(request)
      const { offerId } = request.params as { offerId: string }
      const result = await offers.dismissOffer({ personId, offerId })
      if (result.kind === 'not-found') throw new AppError('OFFER_NOT_FOUND')
      if (result.kind === 'not-scheduled') throw new AppError('OFFER_NOT_SCHEDULED')
      return reply.status(204).send()
    },
  )

  // The page: a list, each with why and when, and forms to move or dismiss.

  const renderPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: Array<{ offerId: string; message: string; day: string }>; notice?: string } = {},
    status = 200,
  ) => {
    const personId = viewerPersonId(request)
    const lang = request.lang
    const today = deps.today()
    const all = await offers.listOffers(personId)
    const present = async (o: Offer) => {
      const error = extra.errors?.find((e) => e.offerId === o.id)
      return {
        ...o,
        ...words(request, o),
        when: formatDateTime(o.scheduledFor, lang),
        day: error?.day ?? o.scheduledFor.slice(0, 10),
        deadlineText: formatDateLong(o.deadline, lang),
        lastDayText: formatDateLong(o.lastDay, lang),
        sentText: o.sentAt ? formatDateTime(o.sentAt, lang) : '',
        timing: request.t(`proactive.offers.plannedBy.${o.plannedBy}`, {
          agency: await deps.agencyName(o.agencyId, lang),
        }),
        error: error?.message,
      }
    }
    const upcoming = await Promise.all(all.filter((o) => o.status === 'scheduled').map(present))
    const earlier = await Promise.all(all.filter((o) => o.status !== 'scheduled').map(present))
    return views.page(
      request,
      reply,
      '/modules/proactive/views/reminders',
      {
        title: request.t('proactive.offers.title'),
        csrf: true,
        upcoming,
        earlier,
        today,
        errors: (extra.errors ?? []).map((e) => ({ field: `day-${e.offerId}`, message: e.message })),
        notice: extra.notice,
      },
      status,
    )
  }

  app.get(
    PAGE,
    {
      preHandler: requireViewer,
      schema: {
        querystring: Type.Object({
          flyttad: Type.Optional(Type.String({ maxLength: 40 })),
          borttagen: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query as { flyttad?: string; borttagen?: string }
      const notice =
        q.flyttad !== undefined
          ? request.t('proactive.offers.moved')
          : q.borttagen !== undefined
            ? request.t('proactive.offers.dismissed')
            : undefined
      return renderPage(request, reply, notice ? { notice } : {})
    },
  )

  app.post(
    `${PAGE}/:offerId/flytta`,
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        params: Type.Object({ offerId: OfferId }),
        body: Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), day: Day }),
      },
    },
    async (request, reply) => {
      const personId = viewerPersonId(request)
      const { offerId } = request.params as { offerId: string }
      const { day } = request.body as { day: string }
      const result = await offers.moveOffer({ personId, offerId, day })
      if (result.kind === 'moved') return reply.redirect(`${PAGE}?flyttad=1`, 303)
      if (result.kind === 'not-found' || result.kind === 'not-scheduled') throw moveFailed(request, result)
      const offer = (await offers.listOffers(personId)).find((o) => o.id === offerId)
      return renderPage(
        request,
        reply,
        { errors: [{ offerId, day, message: moveProblem(request, result.kind, offer) }] },
        422,
      )
    },
  )

  app.post(
    `${PAGE}/:offerId/ta-bort`,
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: { params: Type.Object({ offerId: OfferId }) },
    },
    async (request, reply) => {
      const { offerId } = request.params as { offerId: string }
      const result = await offers.dismissOffer({ personId: viewerPersonId(request), offerId })
      if (result.kind === 'not-found') throw new AppError('OFFER_NOT_FOUND')
      if (result.kind === 'not-scheduled') throw new AppError('OFFER_NOT_SCHEDULED')
      return reply.redirect(`${PAGE}?borttagen=1`, 303)
    },
  )
}
