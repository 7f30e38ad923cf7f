import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { requireViewer, viewerPersonId } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog } from '../catalog/index.ts'
import { calendarApi, calendarPages } from './calendar-http.ts'
import { isConsentPurpose } from './consent-purposes.ts'
import { ConsentSchema } from './consent-schemas.ts'
import type { Consent } from './index.ts'

const tags = ['Samtycken / Consents']

const Words = Type.Object({ sv: Type.String(), en: Type.String() })
const LegalBasisSchema = Type.Object({
  id: Type.String(),
  recipient: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.String(), Type.Null()]),
  data: Words,
  purpose: Words,
  legalReferences: Type.Array(
    Type.Object({
      reference: Type.String(),
      status: Type.Union([Type.Literal('verified'), Type.Literal('unverified')]),
      source: Type.String(),
    }),
  ),
})

const ConsentId = Type.Object({ consentId: Type.String({ format: 'uuid' }) })

/** The person's consents: the list with what is read by law, withdrawal, and a preview. */
export async function consentApi(app: FastifyInstance, deps: { consent: Consent }): Promise<void> {
  const { consent } = deps

  app.get(
    '/api/v1/me/consents',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'Mina samtycken och vad myndigheter får läsa enligt lag / My consents, and what agencies may read by law',
        response: {
          200: Type.Object({
            consents: Type.Array(ConsentSchema),
            withoutConsent: Type.Array(LegalBasisSchema, {
              description: 'What agencies may read without consent, because a law says so',
            }),
          }),
        },
      },
    },
    async (request) => ({
      consents: await consent.listConsents(viewerPersonId(request)),
      withoutConsent: await consent.listLegalBases(),
    }),
  )

  app.post(
    '/api/v1/me/consents/:consentId/withdraw',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Ta tillbaka ett samtycke / Withdraw a consent: the next read that relies on it fails',
        params: ConsentId,
        response: { 200: Type.Object({ consent: ConsentSchema }) },
      },
    },
    async (request) => {
      const { consentId } = request.params as { consentId: string }
      const personId = viewerPersonId(request)
      const done = await consent.withdrawConsent({ personId, consentId, withdrawnBy: personId })
      if (done.kind === 'not-found') throw new AppError('CONSENT_NOT_FOUND')
      return { consent: done.consent }
    },
  )

  app.get(
    '/api/v1/me/consents/preview',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Se vad ett samtycke skulle dela / See exactly what a consent would share',
        querystring: Type.Object({
          recipient: Type.String({ maxLength: 100 }),
          purpose: Type.String({ maxLength: 40 }),
        }),
        response: {
          200: Type.Object({
            recipientAgencyId: Type.String(),
            purpose: Type.String(),
            categories: Type.Array(Type.String()),
            validThrough: Type.String({ format: 'date' }),
            data: Type.Object({
              income: Type.Optional(
                Type.Union([
                  Type.Object({
                    year: Type.Integer(),
                    earnedIncomeSek: Type.Number(),
                    source: Type.String(),
                  }),
                  Type.Null(),
                ]),
              ),
              pensions: Type.Optional(
                Type.Array(
                  Type.Object({
                    kind: Type.String(),
                    payer: Type.String(),
                    grossPerMonthSek: Type.Number(),
                    taxPerMonthSek: Type.Number(),
                  }),
                ),
              ),
            }),
          }),
        },
      },
    },
    async (request) => {
      const { recipient, purpose } = request.query as { recipient: string; purpose: string }
      if (!isConsentPurpose(purpose))
        throw new AppError('INVALID_CONSENT', { fields: [{ field: 'purpose', message: 'unknown purpose' }] })
      const preview = await consent.previewShare({
        personId: viewerPersonId(request),
        recipientAgencyId: recipient,
        purpose,
      })
      if (preview.kind === 'person-not-found') throw new AppError('PERSON_NOT_FOUND')
      if (preview.kind !== 'preview')
        throw new AppError('INVALID_CONSENT', { fields: [{ field: 'recipient', message: preview.kind }] })
      return {
        recipientAgencyId: preview.recipient.id,
        purpose: preview.purpose,
        categories: preview.categories,
        validThrough: preview.validThrough,
        data: preview.data,
      }
    },
  )

  await calendarApi(app, { consent })
}

/** The consent page, /mina-sidor/samtycken, with withdrawal as a plain form; and the calendar page. */
export async function consentPages(
  app: FastifyInstance,
  deps: { consent: Consent; catalog: Catalog; views: Views },
): Promise<void> {
  const { consent, catalog, views } = deps

  const agencyNames = async (lang: 'sv' | 'en') => {
    const agencies = await catalog.agenciesById()
    return (id: string | null) => (id ? (agencies.get(id)?.name[lang] ?? id) : null)
  }

  const render = async (request: FastifyRequest, reply: FastifyReply) => {
    const personId = viewerPersonId(request)
    const all = await consent.listConsents(personId)
    const { withdrawn } = request.query as { withdrawn?: string }
    const name = await agencyNames(request.lang)
    const justWithdrawn = all.find((c) => c.id === withdrawn && c.status === 'withdrawn')
    return views.page(request, reply, '/modules/consent/views/consents', {
      title: request.t('consent.title'),
      inForce: all.filter((c) => c.status === 'in-force' || c.status === 'not-yet'),
      ended: all.filter((c) => c.status === 'withdrawn' || c.status === 'expired'),
      justWithdrawn,
      legalBases: await consent.listLegalBases(),
      agencyName: name,
      self: personId,
    })
  }

  app.get(
    '/mina-sidor/samtycken',
    {
      preHandler: requireViewer,
      schema: { querystring: Type.Object({ withdrawn: Type.Optional(Type.String({ maxLength: 40 })) }) },
    },
    render,
  )

  app.post(
    '/mina-sidor/samtycken/:consentId/aterkalla',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        params: ConsentId,
        body: Type.Object({
          _csrf: Type.String(),
          returnTo: Type.Optional(
            Type.Union([Type.Literal('/mina-sidor/samtycken'), Type.Literal('/mina-sidor/kalender')]),
          ),
        }),
      },
    },
    async (request, reply) => {
      const { consentId } = request.params as { consentId: string }
      const { returnTo } = request.body as { returnTo?: string }
      const personId = viewerPersonId(request)
      const done = await consent.withdrawConsent({ personId, consentId, withdrawnBy: personId })
      if (done.kind === 'not-found') throw new AppError('CONSENT_NOT_FOUND')
      return reply.redirect(
        `${returnTo ?? '/mina-sidor/samtycken'}?${new URLSearchParams({ withdrawn: consentId })}`,
        303,
      )
    },
  )

  await calendarPages(app, { consent, catalog, views })
}
