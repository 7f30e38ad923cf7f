// Tell us once over HTTP: the form under "Flytta" that reports a move (works without JavaScript),
// the same in the API with an idempotency key, and Samla's public signing keys for agencies.
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { errandOf, readerOf } from '../../platform/http/errand.ts'
import { requireViewer } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { Interop } from './index.ts'
import type { MoveProblem, MoveReport, ReportMoveResult } from './report-move.ts'

const tags = ['Flytt / Moves']
/** A move is a change of personal details: a power of attorney must cover them. */
const PERSONAL_DETAILS = { area: 'personal-details' }
const FIELDS = ['street', 'postalCode', 'city', 'municipalityId', 'moveDate'] as const

/** Where a service is applied for through interop: the notice of move. */
export function moveReportPath(serviceId: string): string | undefined {
  return serviceId === 'flyttanmalan' ? '/flytta/anmal' : undefined
}

const MoveBody = Type.Object(
  {
    street: Type.String({ minLength: 1, maxLength: 100, description: 'Gatuadress, t.ex. Storgatan 1' }),
    postalCode: Type.String({ minLength: 1, maxLength: 10, description: 'Postnummer, 5 siffror' }),
    city: Type.String({ minLength: 1, maxLength: 60, description: 'Postort' }),
    municipalityId: Type.String({
      minLength: 1,
      maxLength: 80,
      description: 'Kommunen, t.ex. goteborgs-stad',
    }),
    moveDate: Type.String({ minLength: 1, maxLength: 10, description: 'Flyttdagen, ÅÅÅÅ-MM-DD' }),
  },
  { additionalProperties: false },
)

const MoveAnswer = Type.Object({
  changeId: Type.String({ format: 'uuid' }),
  moveDate: Type.String({ format: 'date' }),
  deliveries: Type.Array(
    Type.Object({
      agencyId: Type.String(),
      status: Type.Union(['waiting', 'pending', 'failed', 'delivered', 'dead'].map((s) => Type.Literal(s))),
    }),
  ),
})

export async function interopHttp(
  app: FastifyInstance,
  deps: {
    interop: Interop
    views: Views
    municipalities: () => Promise<Array<{ id: string; name: { sv: string; en: string } }>>
  },
) {
  const { interop, views } = deps

  const problemMessage = (request: FastifyRequest, problem: MoveProblem) =>
    request.t(`move.problems.${problem}`)

  /** The expected outcomes, as HTTP: what is wrong and how to put it right. */
  function unwrap(request: FastifyRequest, result: ReportMoveResult) {
    switch (result.kind) {
      case 'reported':
        return result
      case 'person-not-found':
        throw new AppError('PERSON_NOT_FOUND')
      case 'idempotency-conflict':
        throw new AppError('IDEMPOTENCY_CONFLICT')
      case 'already-reported':
        throw new AppError('MOVE_ALREADY_REPORTED', { params: { date: result.moveDate } })
      case 'invalid': {
        const fields = result.problems.map((p) => ({
          field: p.field,
          message: problemMessage(request, p.problem),
        }))
        if (result.problems.every((p) => p.problem === 'unknown-municipality'))
          throw new AppError('UNKNOWN_MUNICIPALITY', { fields })
        if (result.problems.every((p) => p.problem === 'invalid-date'))
          throw new AppError('INVALID_DATE', { fields })
        throw new AppError('INVALID_MOVE', { fields })
      }
    }
  }

  app.get(
    '/api/v1/interop/signing-keys',
    {
      schema: {
        tags,
        summary:
          'Samlas publika nycklar för signerade händelser / Samla’s public keys for its signed events (JWK set)',
        response: {
          200: Type.Object({
            keys: Type.Array(
              Type.Object({
                kty: Type.String(),
                crv: Type.String(),
                x: Type.String(),
                kid: Type.String(),
                alg: Type.String(),
                use: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async () => interop.signingKeys(),
  )

  app.post(
    '/api/v1/persons/:personId/moves',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'Anmäl en flytt en gång / Report a move once: Samla tells Skatteverket, then every agency that follows the population register',
        params: Type.Object({ personId: Type.String({ format: 'uuid' }) }),
        headers: Type.Object({
          'idempotency-key': Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
        }),
        body: MoveBody,
        response: { 200: MoveAnswer, 201: MoveAnswer },
      },
    },
    async (request, reply) => {
      const { personId } = request.params as { personId: string }
      const errand = await errandOf(request, PERSONAL_DETAILS, { personId })
      const result = unwrap(
        request,
        await interop.reportMove({
          reader: readerOf(errand),
          idempotencyKey: request.headers['idempotency-key'] as string,
          report: request.body as MoveReport,
        }),
      )
      return reply
        .status(result.replayed ? 200 : 201)
        .send({ changeId: result.changeId, moveDate: result.moveDate, deliveries: result.deliveries })
    },
  )

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: Array<{ field: string; message: string }>,
    status = 200,
  ) {
    return views.page(
      request,
      reply,
      '/modules/interop/views/report-move',
      {
        title: request.t('move.title'),
        csrf: true,
        values: { idempotencyKey: randomUUID(), ...values },
        errors,
        municipalities: await deps.municipalities(),
      },
      errors.length > 0 ? status : 200,
    )
  }

  app.get('/flytta/anmal', { preHandler: requireViewer }, async (request, reply) => {
    await errandOf(request, PERSONAL_DETAILS)
    return renderForm(request, reply, {}, [])
  })

  app.post(
    '/flytta/anmal',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 200 }), {
          maxProperties: 12,
        }),
      },
    },
    async (request, reply) => {
      const errand = await errandOf(request, PERSONAL_DETAILS)
      const form = request.body as Record<string, string>
      const missing = new Set<string>(FIELDS.filter((f) => (form[f] ?? '').trim() === ''))
      if (!/^[A-Za-z0-9-]{8,100}$/.test(form.idempotencyKey ?? ''))
        return renderForm(
          request,
          reply,
          form,
          [{ field: 'street', message: request.t('apply.errors.reload') }],
          422,
        )
      // Every problem at once: an empty field is asked for, a filled one is checked.
      const result = await interop.reportMove({
        reader: readerOf(errand),
        idempotencyKey: form.idempotencyKey as string,
        report: Object.fromEntries(FIELDS.map((f) => [f, form[f] ?? ''])) as unknown as MoveReport,
      })
      if (result.kind === 'invalid')
        return renderForm(
          request,
          reply,
          form,
          result.problems.map((p) => ({
            field: p.field,
            message: missing.has(p.field)
              ? request.t(`move.missing.${p.field}`)
              : problemMessage(request, p.problem),
          })),
          422,
        )
      if (result.kind === 'already-reported')
        return renderForm(
          request,
          reply,
          form,
          [
            {
              field: 'moveDate',
              message: request.t('errors.MOVE_ALREADY_REPORTED', { date: result.moveDate }),
            },
          ],
          409,
        )
      unwrap(request, result)
      return reply.redirect('/livshandelser/flytta#anmald-flytt', 303)
    },
  )
}
