import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { type Errand, errandOf, filedByOf } from '../../platform/http/errand.ts'
import { requireViewer } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog } from '../catalog/index.ts'
import { PersonId, tags } from './cases-schemas.ts'
import type { Cases } from './index.ts'
import { FEE_SERVICE, type FeeBasisChoice, type FeeBasisResult } from './provide-fee-basis.ts'

/** Within the case of elderly care, which a power of attorney must reach. */
const SCOPE = { service: FEE_SERVICE }
const CaseParams = Type.Object({ caseId: Type.String({ format: 'uuid' }) })

const unwrap = (result: FeeBasisResult) => {
  if (result.kind === 'not-found') throw new AppError('CASE_NOT_FOUND')
  if (result.kind === 'consent-refused')
    throw new AppError('INVALID_CONSENT', { fields: [{ field: 'choice', message: result.reason }] })
  if (result.kind === 'consent-missing') throw new AppError('CONSENT_MISSING')
  return result
}

/**
 * The elderly-care fee: the municipality asks whether it may fetch income and pension, with a
 * preview of exactly what it would see; the person consents, gives the figure, or answers later.
 */
export async function careFeeHttp(
  app: FastifyInstance,
  deps: { cases: Cases; catalog: Catalog; views: Views },
): Promise<void> {
  const { cases, catalog, views } = deps

  app.post(
    '/api/v1/persons/:personId/cases/:caseId/fee-basis',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'Underlag för avgiften för äldreomsorg / How the municipality learns the income for the elderly-care fee',
        description:
          '`consent`: the person consents, and the municipality’s system fetches income and pension at once (see /api/v1/me/consents/preview for exactly what). `own`: the person gives their income after tax per month. `later`: they give it when the municipality asks. Declining the consent does not affect the application.',
        params: Type.Object({ personId: PersonId, caseId: Type.String({ format: 'uuid' }) }),
        body: Type.Union([
          Type.Object({ choice: Type.Literal('consent') }, { additionalProperties: false }),
          Type.Object(
            {
              choice: Type.Literal('own'),
              netIncomePerMonthSek: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
            },
            { additionalProperties: false },
          ),
          Type.Object({ choice: Type.Literal('later') }, { additionalProperties: false }),
        ]),
        response: {
          200: Type.Object({
            basis: Type.Union([Type.Literal('fetched'), Type.Literal('given'), Type.Literal('later')]),
            consentId: Type.Optional(Type.String({ format: 'uuid' })),
          }),
        },
      },
    },
    async (request) => {
      const { personId, caseId } = request.params as { personId: string; caseId: string }
      const errand = await errandOf(request, SCOPE, { personId })
      const body = request.body as { choice: 'consent' | 'own' | 'later'; netIncomePerMonthSek?: number }
      const choice: FeeBasisChoice =
        body.choice === 'own'
          ? { kind: 'own', netIncomePerMonthSek: body.netIncomePerMonthSek ?? 0 }
          : { kind: body.choice }
      const done = unwrap(
        await cases.provideFeeBasis({
          applicantPersonId: errand.personId,
          caseId,
          filedBy: filedByOf(errand),
          choice,
        }),
      )
      return { basis: done.basis, ...(done.consentId ? { consentId: done.consentId } : {}) }
    },
  )

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errand: Errand,
    caseId: string,
    extra: { values?: Record<string, string>; errors?: Array<{ field: string; message: string }> } = {},
  ) => {
    const asked = await cases.feeBasisRequest({
      applicantPersonId: errand.personId,
      caseId,
      filedBy: filedByOf(errand),
    })
    if (asked.kind === 'not-found') throw new AppError('CASE_NOT_FOUND')
    const agency = (await catalog.agenciesById()).get(asked.agencyId)
    const pensions = asked.preview.data.pensions ?? []
    return views.page(
      request,
      reply,
      '/modules/cases/views/care-fee',
      {
        title: request.t('consent.request.title'),
        csrf: true,
        caseId,
        agencyName: agency?.name[request.lang] ?? asked.agencyId,
        preview: asked.preview,
        netPerMonth: pensions.reduce((sum, p) => sum + p.grossPerMonthSek - p.taxPerMonthSek, 0),
        values: extra.values ?? {},
        errors: extra.errors ?? [],
      },
      extra.errors?.length ? 422 : 200,
    )
  }

  app.get(
    '/mina-arenden/:caseId/inkomst',
    { preHandler: requireViewer, schema: { params: CaseParams } },
    async (request, reply) =>
      render(request, reply, await errandOf(request, SCOPE), (request.params as { caseId: string }).caseId),
  )

  app.post(
    '/mina-arenden/:caseId/inkomst',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        params: CaseParams,
        body: Type.Object({
          _csrf: Type.String(),
          choice: Type.Union([Type.Literal('consent'), Type.Literal('own')]),
          netIncomePerMonth: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const { caseId } = request.params as { caseId: string }
      const errand = await errandOf(request, SCOPE)
      const form = request.body as { choice: 'consent' | 'own'; netIncomePerMonth?: string }
      let choice: FeeBasisChoice = { kind: 'consent' }
      if (form.choice === 'own') {
        const written = (form.netIncomePerMonth ?? '').replace(/[\s\u00a0]/g, '').replace(/kr$/i, '')
        if (written === '') choice = { kind: 'later' }
        else if (/^\d{1,8}$/.test(written)) choice = { kind: 'own', netIncomePerMonthSek: Number(written) }
        else
          return render(request, reply, errand, caseId, {
            values: { netIncomePerMonth: form.netIncomePerMonth ?? '' },
            errors: [{ field: 'netIncomePerMonth', message: request.t('consent.request.errors.ownIncome') }],
          })
      }
      unwrap(
        await cases.provideFeeBasis({
          applicantPersonId: errand.personId,
          caseId,
          filedBy: filedByOf(errand),
          choice,
        }),
      )
      return reply.redirect(`/mina-arenden/${caseId}`, 303)
    },
  )
}
