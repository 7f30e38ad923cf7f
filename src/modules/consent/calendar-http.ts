import multipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { requireViewer, viewerPersonId } from '../../platform/http/guards.ts'
import type { Translate } from '../../platform/i18n.ts'
import { formatPeriod } from '../../web/format.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog } from '../catalog/index.ts'
import { ConsentSchema } from './consent-schemas.ts'
import type { Consent } from './index.ts'
import { CALENDAR_LIMITS } from './parse-calendar.ts'
import { CALENDAR_HORIZON_DAYS, type CalendarSource, type ShareResult } from './share-calendar.ts'

const tags = ['Samtycken / Consents']

/** What may arrive around the calendar itself: the other fields, JSON quoting, multipart headers. */
const ENVELOPE_BYTES = 64 * 1024

const SharedCalendarSchema = Type.Object({
  consentId: Type.String({ format: 'uuid' }),
  source: Type.Union([Type.Literal('file'), Type.Literal('link')]),
  linkHost: Type.Union([Type.String(), Type.Null()]),
  readAt: Type.String({ format: 'date-time' }),
  knownThrough: Type.String({ format: 'date' }),
  periods: Type.Integer(),
})

const ConsentId = Type.Object({ consentId: Type.String({ format: 'uuid' }) })

/** A body larger than a calendar may be is refused before it is read. */
async function refuseOversized(request: FastifyRequest): Promise<void> {
  if (Number(request.headers['content-length'] ?? 0) > CALENDAR_LIMITS.maxBytes + ENVELOPE_BYTES)
    throw new AppError('CALENDAR_TOO_LARGE')
}

type Refusal = Exclude<ShareResult, { kind: 'shared' }>

/** Why a calendar could not be shared, as a catalogued error with a message the person can act on. */
export function shareRefusal(result: Refusal, t: Translate): AppError {
  switch (result.kind) {
    case 'unknown-recipient':
    case 'recipient-not-allowed':
      return new AppError('INVALID_CONSENT', { fields: [{ field: 'agencyId', message: result.kind }] })
    case 'invalid-period':
      return new AppError('INVALID_CONSENT', { fields: [{ field: 'validThrough', message: result.kind }] })
    case 'invalid-calendar': {
      const detail = { detail: t(`calendar.problems.${result.problem}`) }
      if (result.problem === 'too-large') return new AppError('CALENDAR_TOO_LARGE')
      if (['empty', 'not-icalendar', 'malformed'].includes(result.problem))
        return new AppError('CALENDAR_INVALID', { params: detail })
      return new AppError('CALENDAR_TOO_COMPLEX', { params: detail })
    }
    case 'link-failed': {
      const detail = { detail: t(`calendar.problems.${result.problem}`) }
      if (result.problem === 'too-large') return new AppError('CALENDAR_TOO_LARGE')
      if (['invalid-link', 'not-https', 'address-not-allowed'].includes(result.problem))
        return new AppError('CALENDAR_LINK_NOT_ALLOWED', { params: detail })
      return new AppError('CALENDAR_LINK_FAILED', { params: detail })
    }
  }
}

/** Sharing a calendar through the API: a link, or the iCalendar text itself. */
export async function calendarApi(app: FastifyInstance, deps: { consent: Consent }): Promise<void> {
  const { consent } = deps

  app.get(
    '/api/v1/me/calendars',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Kalendrar jag delar / The calendars I share, with what Samla keeps of each',
        response: { 200: Type.Object({ calendars: Type.Array(SharedCalendarSchema) }) },
      },
    },
    async (request) => ({ calendars: await consent.listSharedCalendars(viewerPersonId(request)) }),
  )

  app.post(
    '/api/v1/me/calendars',
    {
      preHandler: requireViewer,
      onRequest: refuseOversized,
      bodyLimit: CALENDAR_LIMITS.maxBytes + ENVELOPE_BYTES,
      schema: {
        tags,
        summary: 'Dela en kalender för bokning / Share a calendar with an agency, for scheduling only',
        description: `Give either \`link\` (https, or webcal) or \`icalendar\` (the file's text, at most ${CALENDAR_LIMITS.maxBytes} bytes). Samla keeps only when you are busy (start and end), for the next ${CALENDAR_HORIZON_DAYS} days, under a consent you can withdraw; withdrawing deletes them. Sharing again with the same agency replaces the earlier calendar.`,
        body: Type.Object(
          {
            agencyId: Type.String({ maxLength: 100 }),
            link: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
            icalendar: Type.Optional(Type.String({ minLength: 1, maxLength: CALENDAR_LIMITS.maxBytes })),
            validThrough: Type.Optional(Type.String({ format: 'date' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            consent: ConsentSchema,
            periods: Type.Integer(),
            openEndedRecurrences: Type.Integer(),
            knownThrough: Type.String({ format: 'date' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as {
        agencyId: string
        link?: string
        icalendar?: string
        validThrough?: string
      }
      if ((body.link === undefined) === (body.icalendar === undefined))
        throw new AppError('INVALID_INPUT', {
          fields: [{ field: 'body', message: 'give either link or icalendar' }],
        })
      const source: CalendarSource =
        body.link !== undefined
          ? { kind: 'link', url: body.link }
          : { kind: 'file', content: new TextEncoder().encode(body.icalendar) }
      const personId = viewerPersonId(request)
      const shared = await consent.shareCalendar({
        personId,
        givenBy: personId,
        agencyId: body.agencyId,
        source,
        ...(body.validThrough ? { validThrough: body.validThrough } : {}),
      })
      if (shared.kind !== 'shared') throw shareRefusal(shared, request.t)
      const { kind: _kind, ...answer } = shared
      return reply.status(201).send(answer)
    },
  )

  app.get(
    '/api/v1/me/calendars/:consentId/busy-periods',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'Det Samla sparar från en delad kalender / What Samla keeps from a shared calendar: busy periods only',
        params: ConsentId,
        response: {
          200: Type.Object({
            periods: Type.Array(
              Type.Object({
                start: Type.String({ format: 'date-time' }),
                end: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { consentId } = request.params as { consentId: string }
      const periods = await consent.busyPeriodsOf(viewerPersonId(request), consentId)
      if (!periods) throw new AppError('CONSENT_NOT_FOUND')
      return { periods }
    },
  )
}

/** /mina-sidor/kalender: share a calendar by file or link, see what is kept, and stop sharing. */
export async function calendarPages(
  app: FastifyInstance,
  deps: { consent: Consent; catalog: Catalog; views: Views },
): Promise<void> {
  const { consent, catalog, views } = deps

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, string>; errors?: Array<{ field: string; message: string }> } = {},
    status = 200,
  ) => {
    const personId = viewerPersonId(request)
    const agencies = await catalog.listAgencies()
    const byId = new Map(agencies.map((a) => [a.id, a]))
    const calendars = await consent.listSharedCalendars(personId)
    const consents = new Map((await consent.listConsents(personId)).map((c) => [c.id, c]))
    const shared = await Promise.all(
      calendars.map(async (c) => ({
        ...c,
        consent: consents.get(c.consentId),
        busy: (await consent.busyPeriodsOf(personId, c.consentId)) ?? [],
      })),
    )
    const { shared: justShared, withdrawn } = request.query as { shared?: string; withdrawn?: string }
    return views.page(
      request,
      reply,
      '/modules/consent/views/calendar',
      {
        title: request.t('calendar.title'),
        csrf: true,
        agencies,
        agencyName: (id: string) => byId.get(id)?.name[request.lang] ?? id,
        period: (start: string, end: string) => formatPeriod(start, end, request.lang),
        calendars: shared,
        justShared: shared.find((c) => c.consentId === justShared),
        justWithdrawn: withdrawn !== undefined,
        horizonDays: CALENDAR_HORIZON_DAYS,
        maxKilobytes: Math.round(CALENDAR_LIMITS.maxBytes / 1024),
        values: { validThrough: consent.defaultValidThrough('scheduling'), ...extra.values },
        errors: extra.errors ?? [],
      },
      status,
    )
  }

  app.get(
    '/mina-sidor/kalender',
    {
      preHandler: requireViewer,
      schema: {
        querystring: Type.Object({
          shared: Type.Optional(Type.String({ maxLength: 40 })),
          withdrawn: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    (request, reply) => render(request, reply),
  )

  // The upload: one file, its size limited while it arrives; a larger one is cut off and refused.
  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: true,
      throwFileSizeLimit: false,
      limits: { fileSize: CALENDAR_LIMITS.maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 4096 },
    })

    uploads.post(
      '/mina-sidor/kalender',
      { onRequest: refuseOversized, preHandler: requireViewer, preValidation: app.csrfProtection },
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, { value?: unknown } | MultipartFile | undefined>
        const field = (name: string) => {
          const value = (body[name] as { value?: unknown } | undefined)?.value
          return typeof value === 'string' ? value.trim() : ''
        }
        const values = {
          agencyId: field('agencyId'),
          link: field('link'),
          validThrough: field('validThrough'),
        }
        const file = body.calendar as MultipartFile | undefined
        const content = file && typeof file.toBuffer === 'function' ? await file.toBuffer() : undefined
        const errors: Array<{ field: string; message: string }> = []
        const fail = (name: string, key: string, params?: Record<string, string | number>) =>
          errors.push({ field: name, message: request.t(key, params) })
        if (values.agencyId === '') fail('agencyId', 'calendar.errors.agency')
        const hasFile = content !== undefined && content.byteLength > 0
        if (file?.file.truncated)
          fail('calendar', 'calendar.errors.tooLarge', { kb: Math.round(CALENDAR_LIMITS.maxBytes / 1024) })
        else if (hasFile === (values.link !== '')) fail('calendar', 'calendar.errors.fileOrLink')
        if (errors.length > 0)
          return render(request, reply, { values, errors }, file?.file.truncated ? 413 : 422)

        const personId = viewerPersonId(request)
        const shared = await consent.shareCalendar({
          personId,
          givenBy: personId,
          agencyId: values.agencyId,
          source: hasFile && content ? { kind: 'file', content } : { kind: 'link', url: values.link },
          ...(values.validThrough ? { validThrough: values.validThrough } : {}),
        })
        if (shared.kind === 'shared')
          return reply.redirect(
            `/mina-sidor/kalender?${new URLSearchParams({ shared: shared.consent.id })}`,
            303,
          )
        const refusal = shareRefusal(shared, request.t)
        const where =
          shared.kind === 'invalid-period'
            ? 'validThrough'
            : shared.kind === 'link-failed'
              ? 'link'
              : shared.kind === 'invalid-calendar'
                ? 'calendar'
                : 'agencyId'
        errors.push({ field: where, message: request.t(`errors.${refusal.code}`, refusal.params) })
        return render(request, reply, { values, errors }, refusal.status)
      },
    )
  })
}
