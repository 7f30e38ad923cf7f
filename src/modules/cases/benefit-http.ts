import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type TSchema, Type } from 'typebox'
import type { Clock } from '../../platform/clock.ts'
import { Temporal } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import { errandOf, filedByOf } from '../../platform/http/errand.ts'
import { requireViewer } from '../../platform/http/guards.ts'
import { formatDateLong } from '../../web/format.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog } from '../catalog/index.ts'
import { factValue, letterFormat } from './benefit-letter.ts'
import type { Problem } from './benefit-services.ts'
import { FiledResponses, IdempotencyHeaders, PersonId, tags } from './cases-schemas.ts'
import type { Cases } from './index.ts'
import type { BenefitField, BenefitSubmitResult } from './submit-benefit-application.ts'

/** The API's schema of one question, from the rule set's input. */
function schemaOf(f: BenefitField): TSchema {
  const description = f.label.en
  switch (f.type) {
    case 'date':
      return Type.String({ format: 'date', description })
    case 'number':
      return (f.integer ? Type.Integer : Type.Number)({
        description,
        ...(f.minimum !== undefined ? { minimum: f.minimum } : {}),
        ...(f.maximum !== undefined ? { maximum: f.maximum } : {}),
      })
    case 'boolean':
      return Type.Boolean({ description })
    case 'choice':
      return Type.Union(
        (f.choices ?? []).map((c) => Type.Literal(c)),
        { description },
      )
    default:
      return Type.String({ maxLength: 200, description })
  }
}

/**
 * Applications built from a rule set's inputs (föräldrapenning, bostadstillägg): for each service
 * an API route whose body schema is made from the questions, and a form that works without
 * JavaScript, prefilled with what Samla knows.
 */
export async function benefitHttp(
  app: FastifyInstance,
  deps: { cases: Cases; catalog: Catalog; views: Views; clock: Clock },
): Promise<void> {
  const { cases, views, clock } = deps

  /** A problem in words a person can act on, in the request's language. */
  const say = (request: FastifyRequest, p: Problem) => {
    const params = { ...p.params }
    for (const k of ['from', 'to'])
      if (typeof params[k] === 'string') params[k] = formatDateLong(String(params[k]), request.lang)
    return request.t(`benefit.problems.${p.problem}`, params)
  }

  const unwrap = (request: FastifyRequest, result: BenefitSubmitResult) => {
    switch (result.kind) {
      case 'filed':
        return result
      case 'not-your-child':
        throw new AppError('NOT_YOUR_CHILD')
      case 'person-not-found':
        throw new AppError('PERSON_NOT_FOUND')
      case 'idempotency-conflict':
        throw new AppError('IDEMPOTENCY_CONFLICT')
      case 'invalid':
        throw new AppError('INVALID_APPLICATION', {
          fields: result.problems.map((p) => ({ field: p.field, message: say(request, p) })),
        })
    }
  }

  for (const { service, fields, title } of cases.benefitServices()) {
    const { slug } = service
    const Body = Type.Object(
      {
        ...(service.aboutChild
          ? {
              childPersonId: Type.String({
                format: 'uuid',
                description: 'The child, one of the applicant’s children in the population register',
              }),
            }
          : {}),
        ...Object.fromEntries(fields.map((f) => [f.name, schemaOf(f)])),
      },
      { additionalProperties: false },
    )

    app.post(
      `/api/v1/persons/:personId/applications/${slug}`,
      {
        preHandler: requireViewer,
        schema: {
          tags,
          summary: `Ansök om ${title.sv.toLowerCase()} / Apply for ${title.en.toLowerCase()}`,
          description:
            'The body holds the answers to the questions of the rule set’s inputs that Samla asks; what Samla knows from the registers is filled in. Send an Idempotency-Key header: the same key and body return the same case, the same key with another body is refused (409). The rules decide at once when they can; otherwise the case goes to the agency’s caseworker with the reason.',
          params: Type.Object({ personId: PersonId }),
          headers: IdempotencyHeaders,
          body: Body,
          response: FiledResponses,
        },
      },
      async (request, reply) => {
        const { personId } = request.params as { personId: string }
        // One's own, or for someone whose right to act for covers the service.
        const errand = await errandOf(request, { service: service.serviceId }, { personId })
        const { childPersonId, ...answers } = request.body as Record<string, unknown>
        const filed = unwrap(
          request,
          await cases.submitBenefitApplication({
            applicantPersonId: errand.personId,
            filedBy: filedByOf(errand),
            slug,
            idempotencyKey: request.headers['idempotency-key'] as string,
            ...(typeof childPersonId === 'string' ? { childPersonId } : {}),
            answers,
          }),
        )
        return reply
          .status(filed.replayed ? 200 : 201)
          .send({ caseId: filed.caseId, status: filed.status, outcome: filed.outcome })
      },
    )

    const renderForm = async (
      request: FastifyRequest,
      reply: FastifyReply,
      values: Record<string, string>,
      problems: Problem[],
    ) => {
      const errand = await errandOf(request, { service: service.serviceId })
      const form = await cases.openBenefitForm(errand.personId, slug, filedByOf(errand))
      if (!form) throw new AppError('PERSON_NOT_FOUND')
      const lang = request.lang
      const fmt = letterFormat(lang)
      const today = clock.today()
      const municipality = form.person.address
        ? (await deps.catalog.agenciesById()).get(form.person.address.municipalityId)
        : undefined
      const errors = problems.map((p) => ({ field: p.field, message: say(request, p) }))
      return views.page(
        request,
        reply,
        '/modules/cases/views/apply-benefit',
        {
          title: request.t(`benefit.${slug}.title`),
          csrf: true,
          slug,
          aboutChild: service.aboutChild,
          name: form.person.identity
            ? `${form.person.identity.givenName} ${form.person.identity.familyName}`
            : '',
          municipality: municipality?.name[lang],
          known: form.known.map((k) => ({ label: k[lang], value: factValue(k, request.t, fmt) })),
          children: form.children.map((c) => ({
            ...c,
            age: Temporal.PlainDate.from(c.birthDate).until(today, { largestUnit: 'years' }).years,
          })),
          fields: form.fields.map((f) => ({
            ...f,
            label: f.label[lang],
            error: errors.find((e) => e.field === f.name)?.message,
          })),
          childError: errors.find((e) => e.field === 'child')?.message,
          values: { idempotencyKey: randomUUID(), ...form.prefill, ...values },
          errors: errors.map((e) => ({
            ...e,
            label:
              e.field === 'child'
                ? request.t('benefit.child')
                : form.fields.find((f) => f.name === e.field)?.label[lang],
          })),
        },
        problems.length > 0 ? 422 : 200,
      )
    }

    app.get(`/ansok/${slug}`, { preHandler: requireViewer }, async (request, reply) =>
      renderForm(request, reply, {}, []),
    )

    app.post(
      `/ansok/${slug}`,
      {
        preHandler: requireViewer,
        preValidation: app.csrfProtection,
        schema: {
          body: Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 200 }), {
            maxProperties: 40,
          }),
        },
      },
      async (request, reply) => {
        const form = request.body as Record<string, string>
        const key = form.idempotencyKey ?? ''
        if (!/^[A-Za-z0-9-]{8,100}$/.test(key))
          return renderForm(request, reply, form, [{ field: fields[0]?.name ?? 'child', problem: 'reload' }])
        const answers = Object.fromEntries(fields.map((f) => [f.name, form[f.name] ?? '']))
        const errand = await errandOf(request, { service: service.serviceId })
        const result = await cases.submitBenefitApplication({
          applicantPersonId: errand.personId,
          filedBy: filedByOf(errand),
          slug,
          idempotencyKey: key,
          ...(service.aboutChild && form.child ? { childPersonId: form.child } : {}),
          answers,
        })
        if (result.kind === 'invalid') return renderForm(request, reply, form, result.problems)
        if (result.kind === 'not-your-child')
          return renderForm(request, reply, form, [{ field: 'child', problem: 'not-your-child' }])
        const filed = unwrap(request, result)
        return reply.redirect(`/mina-arenden/${filed.caseId}`, 303)
      },
    )
  }
}
