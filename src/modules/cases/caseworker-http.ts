import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { requireRole, signedInViewer } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog } from '../catalog/index.ts'
import { formatPersonalNumber } from '../people/index.ts'
import { letterOfCase } from './benefit-letter.ts'
import { daysFromForm } from './decision-days.ts'
import { type Caseworker, type DecideResult, QUEUE_STATUSES, type QueueStatus } from './handle-case.ts'
import type { Cases } from './index.ts'

function caseworkerOf(request: FastifyRequest): Caseworker {
  const viewer = signedInViewer(request)
  if (!viewer.agencyId) throw new AppError('FORBIDDEN')
  return { subject: viewer.subject, agencyId: viewer.agencyId }
}

/** An amount as people write it ("5 760", "5 760 kr", "5760,50"); NaN when it is not one. */
function amountOf(text: string | undefined): number | undefined {
  const written = (text ?? '').replace(/\s*kr$/i, '').replace(/[\s\u00a0\u202f]/g, '')
  if (written === '') return undefined
  return /^\d+([.,]\d{1,2})?$/.test(written) ? Number(written.replace(',', '.')) : Number.NaN
}

const tags = ['Handläggning / Case handling']
const CaseId = Type.String({ format: 'uuid' })
const Status = Type.Union(QUEUE_STATUSES.map((s) => Type.Literal(s)))

export async function caseworkerHttp(
  app: FastifyInstance,
  deps: { cases: Cases; catalog: Catalog; views: Views },
) {
  const { cases, views } = deps
  const staff = requireRole('caseworker')

  app.get(
    '/api/v1/queue',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: 'Handläggarens kö / The caseworker’s queue at their own agency',
        querystring: Type.Object({ status: Type.Optional(Status) }),
        response: {
          200: Type.Object({
            agencyId: Type.String(),
            cases: Type.Array(
              Type.Object({
                id: Type.String(),
                serviceId: Type.String(),
                status: Type.String(),
                queueReason: Type.Union([Type.String(), Type.Null()]),
                submittedAt: Type.String({ format: 'date-time' }),
                ageDays: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const caseworker = caseworkerOf(request)
      const status = (request.query as { status?: QueueStatus }).status ?? 'in-queue'
      return { agencyId: caseworker.agencyId, cases: await cases.listQueue(caseworker, { status }) }
    },
  )

  const DecisionBody = Type.Object(
    {
      days: Type.Record(
        Type.String({ format: 'date' }),
        Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
      ),
      reasons: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30 }),
      note: Type.String({ maxLength: 4000 }),
    },
    { additionalProperties: false },
  )

  const unwrapDecide = (result: DecideResult) => {
    if (result.kind === 'not-found') throw new AppError('CASE_NOT_FOUND')
    if (result.kind === 'already-decided') throw new AppError('CASE_ALREADY_DECIDED')
    if (result.kind === 'invalid')
      throw new AppError('INVALID_DECISION', {
        fields: result.problems.map((p) => ({ field: p.field, message: p.problem })),
      })
    return result
  }

  app.post(
    '/api/v1/queue/:caseId/decision',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: 'Besluta ett ärende / Decide a case, with reasons',
        params: Type.Object({ caseId: CaseId }),
        body: DecisionBody,
        response: { 200: Type.Object({ outcome: Type.String() }) },
      },
    },
    async (request) => {
      const { caseId } = request.params as { caseId: string }
      const body = request.body as {
        days: Record<string, 'approved' | 'rejected'>
        reasons: string[]
        note: string
      }
      return { outcome: unwrapDecide(await cases.decideCase(caseworkerOf(request), caseId, body)).outcome }
    },
  )

  app.get(
    '/handlaggning',
    { preHandler: staff, schema: { querystring: Type.Object({ status: Type.Optional(Status) }) } },
    async (request, reply) => {
      const caseworker = caseworkerOf(request)
      const status = (request.query as { status?: QueueStatus }).status ?? 'in-queue'
      const agency = (await deps.catalog.agenciesById()).get(caseworker.agencyId)
      const services = await deps.catalog.listServices()
      const list = await cases.listQueue(caseworker, { status })
      return views.page(request, reply, '/modules/cases/views/queue', {
        title: request.t('queue.title'),
        agency,
        status,
        statuses: QUEUE_STATUSES,
        cases: list.map((c) => ({
          ...c,
          service: services.find((s) => s.service.id === c.serviceId)?.service,
        })),
      })
    },
  )

  const showCase = async (
    request: FastifyRequest,
    reply: FastifyReply,
    caseId: string,
    errors: Array<{ field: string; message: string }> = [],
  ) => {
    const caseworker = caseworkerOf(request)
    const found = await cases.openCase(caseworker, caseId)
    if (!found) throw new AppError('CASE_NOT_FOUND')
    const reviewOf = (found.application as { reviewOf?: string }).reviewOf
    const original = reviewOf ? await cases.openCase(caseworker, reviewOf) : undefined
    const service = (await deps.catalog.getServiceEntry(found.serviceId))?.service
    const reasons = (found.decision?.days ?? [])
      .flatMap((d) => d.reasons)
      .filter((r, i, all) => all.findIndex((x) => x.rule === r.rule) === i)
    return views.page(
      request,
      reply,
      '/modules/cases/views/handle-case',
      {
        title: request.t('handle.title'),
        csrf: true,
        c: found,
        original,
        service,
        reasons,
        letter: letterOfCase(
          { ...found, decidedAt: null, decidedBy: null },
          (await deps.catalog.agenciesById()).get(caseworker.agencyId)?.name[request.lang] ?? '',
          request.lang,
          request.t,
        ),
        personalNumber: found.person?.identity
          ? formatPersonalNumber(found.person.identity.personalNumber)
          : undefined,
        errors,
      },
      errors.length > 0 ? 422 : 200,
    )
  }

  /** The case again, with the caseworker's problems in words. */
  const showProblems = (
    request: FastifyRequest,
    reply: FastifyReply,
    caseId: string,
    problems: Array<{ field: string; problem: string }>,
  ) =>
    showCase(
      request,
      reply,
      caseId,
      problems.map((p) => ({ field: p.field, message: request.t(`handle.problems.${p.problem}`) })),
    )

  app.get(
    '/handlaggning/:caseId',
    { preHandler: staff, schema: { params: Type.Object({ caseId: CaseId }) } },
    async (request, reply) => showCase(request, reply, (request.params as { caseId: string }).caseId),
  )

  app.get(
    '/handlaggning/:caseId/dokument/:documentId',
    {
      preHandler: staff,
      schema: { params: Type.Object({ caseId: CaseId, documentId: Type.String({ format: 'uuid' }) }) },
    },
    async (request, reply) => {
      const { caseId, documentId } = request.params as { caseId: string; documentId: string }
      const doc = await cases.readDocument(caseworkerOf(request), caseId, documentId)
      if (!doc) throw new AppError('CASE_NOT_FOUND')
      return reply
        .type(doc.content_type)
        .header('content-disposition', `attachment; filename="${doc.file_name.replace(/[^\w.-]/g, '_')}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(doc.content))
    },
  )

  app.post(
    '/handlaggning/:caseId/komplettering',
    {
      preHandler: staff,
      preValidation: app.csrfProtection,
      schema: {
        params: Type.Object({ caseId: CaseId }),
        body: Type.Object({ _csrf: Type.String(), text: Type.String({ maxLength: 4000 }) }),
      },
    },
    async (request, reply) => {
      const { caseId } = request.params as { caseId: string }
      const result = await cases.requestCompletion(
        caseworkerOf(request),
        caseId,
        (request.body as { text: string }).text,
      )
      if (result === 'too-short')
        return showCase(request, reply, caseId, [
          { field: 'completion-text', message: request.t('handle.problems.note-too-short') },
        ])
      if (result === 'not-found') throw new AppError('CASE_NOT_FOUND')
      if (result === 'not-open') throw new AppError('CASE_ALREADY_DECIDED')
      return reply.redirect(`/handlaggning/${caseId}`, 303)
    },
  )

  app.post(
    '/handlaggning/:caseId/bedomning',
    {
      preHandler: staff,
      preValidation: app.csrfProtection,
      schema: {
        params: Type.Object({ caseId: CaseId }),
        body: Type.Object({
          _csrf: Type.String(),
          outcome: Type.Optional(Type.String({ maxLength: 20 })),
          amount: Type.Optional(Type.String({ maxLength: 30 })),
          note: Type.String({ maxLength: 4000 }),
        }),
      },
    },
    async (request, reply) => {
      const { caseId } = request.params as { caseId: string }
      const form = request.body as { outcome?: string; amount?: string; note: string }
      if (form.outcome !== 'approved' && form.outcome !== 'rejected')
        return showCase(request, reply, caseId, [
          { field: 'outcome', message: request.t('handle.problems.choose') },
        ])
      const amount = amountOf(form.amount)
      const result = await cases.decideAssessment(caseworkerOf(request), caseId, {
        outcome: form.outcome,
        note: form.note,
        ...(amount !== undefined ? { amount } : {}),
      })
      if (result.kind === 'invalid') return showProblems(request, reply, caseId, result.problems)
      unwrapDecide(result)
      return reply.redirect(`/handlaggning/${caseId}`, 303)
    },
  )

  app.post(
    '/handlaggning/:caseId/omprovning',
    {
      preHandler: staff,
      preValidation: app.csrfProtection,
      schema: {
        params: Type.Object({ caseId: CaseId }),
        body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 4000 }), {
          maxProperties: 80,
        }),
      },
    },
    async (request, reply) => {
      const { caseId } = request.params as { caseId: string }
      const form = request.body as Record<string, string>
      const days = daysFromForm(form)
      const amount = amountOf(form.amount)
      const result = await cases.decideReview(caseworkerOf(request), caseId, {
        days,
        note: String(form.note ?? ''),
        ...(form.outcome === 'approved' || form.outcome === 'rejected' ? { outcome: form.outcome } : {}),
        ...(amount !== undefined ? { amount } : {}),
      })
      if (result.kind === 'invalid') return showProblems(request, reply, caseId, result.problems)
      if (result.kind === 'not-found') throw new AppError('CASE_NOT_FOUND')
      if (result.kind === 'already-decided') throw new AppError('CASE_ALREADY_DECIDED')
      return reply.redirect(`/handlaggning/${caseId}`, 303)
    },
  )

  app.post(
    '/handlaggning/:caseId/beslut',
    {
      preHandler: staff,
      preValidation: app.csrfProtection,
      schema: {
        params: Type.Object({ caseId: CaseId }),
        body: Type.Record(
          Type.String({ maxLength: 40 }),
          Type.Union([
            Type.String({ maxLength: 4000 }),
            Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30 }),
          ]),
          { maxProperties: 80 },
        ),
      },
    },
    async (request, reply) => {
      const { caseId } = request.params as { caseId: string }
      const form = request.body as Record<string, string | string[]>
      const days = daysFromForm(form)
      const reasons = ([] as string[]).concat(form.reasons ?? [])
      const result = await cases.decideCase(caseworkerOf(request), caseId, {
        days,
        reasons,
        note: String(form.note ?? ''),
      })
      if (result.kind === 'invalid') return showProblems(request, reply, caseId, result.problems)
      unwrapDecide(result)
      return reply.redirect(`/handlaggning/${caseId}`, 303)
    },
  )
}
