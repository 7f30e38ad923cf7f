import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Clock } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import { errandOf, filedByOf } from '../../platform/http/errand.ts'
import { requireViewer } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog } from '../catalog/index.ts'
import type { People } from '../people/index.ts'
import { FiledResponses, IdempotencyHeaders, PersonId, tags } from './cases-schemas.ts'
import type { Cases } from './index.ts'
import { CARE_INSATSER, type CareApplication, type CareSubmitResult } from './submit-care-application.ts'

/** Elderly care from the municipality: the application, in the API and as a form. */
export async function careHttp(
  app: FastifyInstance,
  deps: { cases: Cases; catalog: Catalog; people: People; views: Views; clock: Clock },
): Promise<void> {
  const { cases, views } = deps
  /** Elderly care is an area of its own: a power of attorney must cover it. */
  const ELDERLY_CARE = { area: 'elderly-care' }

  // Elderly care from the municipality (bistånd)

  const CareBody = Type.Object(
    {
      insats: Type.Union(CARE_INSATSER.map((i) => Type.Literal(i))),
      urgentNeed: Type.Boolean(),
      description: Type.String({ minLength: 1, maxLength: 4000 }),
    },
    { additionalProperties: false },
  )
  const unwrapCare = (result: CareSubmitResult) => {
    if (result.kind === 'person-not-found') throw new AppError('PERSON_NOT_FOUND')
    if (result.kind === 'idempotency-conflict') throw new AppError('IDEMPOTENCY_CONFLICT')
    if (result.kind === 'invalid')
      throw new AppError('INVALID_APPLICATION', {
        fields: [{ field: 'description', message: result.problem }],
      })
    return result
  }

  app.post(
    '/api/v1/persons/:personId/applications/hemtjanst',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Ansök om äldreomsorg från kommunen / Apply for elderly care from the municipality',
        description:
          'The municipality where the person lives handles it. A needs assessment is made by a caseworker. Someone acting for the person (a guardian, or the holder of a power of attorney for elderly care) may apply in their name; the case records who did.',
        params: Type.Object({ personId: PersonId }),
        headers: IdempotencyHeaders,
        body: CareBody,
        response: FiledResponses,
      },
    },
    async (request, reply) => {
      const { personId } = request.params as { personId: string }
      const errand = await errandOf(request, ELDERLY_CARE, { personId })
      const filed = unwrapCare(
        await cases.submitCareApplication({
          applicantPersonId: errand.personId,
          filedBy: filedByOf(errand),
          idempotencyKey: request.headers['idempotency-key'] as string,
          application: request.body as CareApplication,
        }),
      )
      return reply
        .status(filed.replayed ? 200 : 201)
        .send({ caseId: filed.caseId, status: filed.status, outcome: filed.outcome })
    },
  )

  const renderCareForm = async (
    request: FastifyRequest,
    reply: import('fastify').FastifyReply,
    values: Record<string, string>,
    errors: Array<{ field: string; message: string }>,
  ) =>
    views.page(
      request,
      reply,
      '/modules/cases/views/apply-care',
      {
        title: request.t('care.title'),
        csrf: true,
        insatser: CARE_INSATSER,
        values: { idempotencyKey: randomUUID(), ...values },
        errors,
      },
      errors.length > 0 ? 422 : 200,
    )

  app.get('/ansok/hemtjanst', { preHandler: requireViewer }, async (request, reply) => {
    await errandOf(request, ELDERLY_CARE)
    return renderCareForm(request, reply, {}, [])
  })

  app.post(
    '/ansok/hemtjanst',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 4000 }), {
          maxProperties: 10,
        }),
      },
    },
    async (request, reply) => {
      const errand = await errandOf(request, ELDERLY_CARE)
      const form = request.body as Record<string, string>
      const errors: Array<{ field: string; message: string }> = []
      if (!(CARE_INSATSER as readonly string[]).includes(form.insats ?? ''))
        errors.push({ field: 'insats', message: request.t('care.errors.insats') })
      if ((form.description ?? '').trim().length < 10)
        errors.push({ field: 'description', message: request.t('care.errors.description') })
      if (!/^[A-Za-z0-9-]{8,100}$/.test(form.idempotencyKey ?? ''))
        errors.push({ field: 'description', message: request.t('apply.errors.reload') })
      if (errors.length > 0) return renderCareForm(request, reply, form, errors)
      const filed = unwrapCare(
        await cases.submitCareApplication({
          applicantPersonId: errand.personId,
          filedBy: filedByOf(errand),
          idempotencyKey: form.idempotencyKey as string,
          application: {
            insats: form.insats as CareApplication['insats'],
            urgentNeed: form.urgentNeed === 'yes',
            description: form.description ?? '',
          },
        }),
      )
      return reply.redirect(`/mina-arenden/${filed.caseId}`, 303)
    },
  )
}
