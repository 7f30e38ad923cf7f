import { randomUUID } from 'node:crypto'
import multipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Clock } from '../../platform/clock.ts'
import { Temporal } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import { type Errand, errandOf, filedByOf, readerOf, requireScope } from '../../platform/http/errand.ts'
import { requireViewer } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog } from '../catalog/index.ts'
import type { People } from '../people/index.ts'
import { FiledResponses, IdempotencyHeaders, PersonId, tags } from './cases-schemas.ts'
import { type CompleteResult, MAX_DOCUMENT_BYTES, type UploadedDocument } from './complete-case.ts'
import type { Cases } from './index.ts'
import type { CareDayRecord, RecordResult } from './record-care-days.ts'
import {
  CARE_FRACTIONS,
  CARE_REASONS,
  type SubmitResult,
  type VabApplication,
} from './submit-vab-application.ts'

export const VabApplicationBody = Type.Object(
  {
    childPersonId: Type.String({
      format: 'uuid',
      description: 'The child, one of the applicant’s children in the population register',
    }),
    days: Type.Array(
      Type.Object(
        {
          date: Type.String({ format: 'date' }),
          fraction: Type.Union(
            CARE_FRACTIONS.map((f) => Type.Literal(f)),
            { description: 'Part of the day: 1, 0.75, 0.5, 0.25 or 0.125' },
          ),
          reason: Type.Union(CARE_REASONS.map((r) => Type.Literal(r))),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 60 },
    ),
    certificateDays: Type.Optional(Type.Array(Type.String({ format: 'date' }), { maxItems: 60 })),
    childInHospitalOrChildcare: Type.Optional(Type.Boolean()),
    seriouslyIll: Type.Optional(
      Type.Boolean({
        description:
          'The child is seriously ill (a real threat to the child’s life): days without limit, with a doctor’s statement for each day',
      }),
    ),
  },
  { additionalProperties: false },
)

function unwrapSubmit(result: SubmitResult) {
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
        fields: result.problems.map((p) => ({ field: p.field, message: p.problem })),
      })
  }
}

/** VAB: record care days, apply with them filled in, and send a certificate to a waiting case. */
export async function vabHttp(
  app: FastifyInstance,
  deps: { cases: Cases; catalog: Catalog; people: People; views: Views; clock: Clock },
): Promise<void> {
  const { cases, views, people, clock } = deps
  /** VAB is among the parental benefits: a power of attorney must cover them. */
  const PARENTAL_BENEFITS = { area: 'parental-benefits' }
  /** A case of the errand's person, within the right's reach. */
  const caseOf = async (errand: Errand, caseId: string) => {
    const found = await cases.getCase(errand.personId, caseId)
    if (!found) throw new AppError('CASE_NOT_FOUND')
    requireScope(errand, { service: found.serviceId })
  }

  app.post(
    '/api/v1/persons/:personId/applications/vab',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Ansök om tillfällig föräldrapenning (VAB) / Apply for temporary parental benefit (VAB)',
        description:
          'Send an Idempotency-Key header: a repeated request with the same key and body returns the same case; the same key with another body is refused (409). The rules decide each day at once when they can.',
        params: Type.Object({ personId: PersonId }),
        headers: IdempotencyHeaders,
        body: VabApplicationBody,
        response: FiledResponses,
      },
    },
    async (request, reply) => {
      const { personId } = request.params as { personId: string }
      const errand = await errandOf(request, PARENTAL_BENEFITS, { personId })
      const filed = unwrapSubmit(
        await cases.submitVabApplication({
          applicantPersonId: errand.personId,
          filedBy: filedByOf(errand),
          idempotencyKey: request.headers['idempotency-key'] as string,
          application: request.body as VabApplication,
        }),
      )
      return reply
        .status(filed.replayed ? 200 : 201)
        .send({ caseId: filed.caseId, status: filed.status, outcome: filed.outcome })
    },
  )

  // Documents: one file a request, checked for its type and size before anything is stored.
  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: true,
      limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 4, parts: 5 },
    })
    const readUpload = async (request: FastifyRequest): Promise<UploadedDocument> => {
      const file = (request.body as Record<string, unknown> | undefined)?.certificate as
        | MultipartFile
        | undefined
      if (!file || typeof file.toBuffer !== 'function')
        throw new AppError('INVALID_DOCUMENT', { params: { problem: 'missing' } })
      const content = await file.toBuffer()
      return { fileName: file.filename, contentType: file.mimetype, content }
    }
    const unwrapComplete = (result: CompleteResult) => {
      if (result.kind === 'not-found') throw new AppError('CASE_NOT_FOUND')
      if (result.kind === 'not-waiting') throw new AppError('CASE_NOT_WAITING')
      if (result.kind === 'invalid-document') throw new AppError('INVALID_DOCUMENT')
      return result
    }

    uploads.post(
      '/api/v1/persons/:personId/cases/:caseId/documents',
      {
        preHandler: requireViewer,
        schema: {
          tags,
          summary: 'Skicka intyg till ett ärende / Send a certificate to a case that waits for one',
          description:
            'multipart/form-data with one file in the field `certificate` (PDF, JPEG or PNG, at most 5 MB).',
          params: Type.Object({ personId: PersonId, caseId: Type.String({ format: 'uuid' }) }),
          response: {
            200: Type.Object({ status: Type.String(), outcome: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const { personId, caseId } = request.params as { personId: string; caseId: string }
        const errand = await errandOf(request, 'any', { personId })
        await caseOf(errand, caseId)
        const done = unwrapComplete(
          await cases.sendCertificate(errand.personId, caseId, await readUpload(request), filedByOf(errand)),
        )
        return { status: done.status, outcome: done.outcome }
      },
    )

    uploads.post(
      '/mina-arenden/:caseId/intyg',
      {
        preHandler: requireViewer,
        preValidation: app.csrfProtection,
        schema: { params: Type.Object({ caseId: Type.String({ format: 'uuid' }) }) },
      },
      async (request, reply) => {
        const { caseId } = request.params as { caseId: string }
        const errand = await errandOf(request, 'any')
        await caseOf(errand, caseId)
        unwrapComplete(
          await cases.sendCertificate(errand.personId, caseId, await readUpload(request), filedByOf(errand)),
        )
        return reply.redirect(`/mina-arenden/${caseId}`, 303)
      },
    )
  })

  // Care days recorded as they happen

  const CareDay = Type.Object(
    {
      childPersonId: Type.String({ format: 'uuid' }),
      date: Type.String({ format: 'date', description: 'Today or tomorrow' }),
      fraction: Type.Union(CARE_FRACTIONS.map((f) => Type.Literal(f))),
      reason: Type.Union(CARE_REASONS.map((r) => Type.Literal(r))),
    },
    { additionalProperties: false },
  )
  const unwrapRecord = (result: RecordResult) => {
    if (result.kind === 'not-your-child') throw new AppError('NOT_YOUR_CHILD')
    if (result.kind === 'person-not-found') throw new AppError('PERSON_NOT_FOUND')
    if (result.kind === 'invalid') throw new AppError('INVALID_CARE_DAY')
    return result
  }

  app.post(
    '/api/v1/persons/:personId/care-days',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Anmäl vab i dag eller i morgon / Record a care day today or tomorrow, to apply for later',
        params: Type.Object({ personId: PersonId }),
        body: CareDay,
        response: { 201: CareDay },
      },
    },
    async (request, reply) => {
      const { personId } = request.params as { personId: string }
      const errand = await errandOf(request, PARENTAL_BENEFITS, { personId })
      const recorded = unwrapRecord(
        await cases.recordCareDay(errand.personId, request.body as CareDayRecord, filedByOf(errand)),
      )
      const { childName: _name, ...day } = recorded.day
      return reply.status(201).send(day)
    },
  )

  app.get(
    '/api/v1/persons/:personId/care-days',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Vab-dagar som inte har sökts än / Recorded care days not yet applied for',
        params: Type.Object({ personId: PersonId }),
        response: { 200: Type.Object({ careDays: Type.Array(CareDay) }) },
      },
    },
    async (request) => {
      const { personId } = request.params as { personId: string }
      const errand = await errandOf(request, PARENTAL_BENEFITS, { personId })
      return { careDays: await cases.listRecordedDays(errand.personId) }
    },
  )

  const renderRecord = async (
    request: FastifyRequest,
    reply: import('fastify').FastifyReply,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const { children, errand } = await childrenOf(request)
    const recorded = await cases.listRecordedDays(errand.personId)
    const today = clock.today()
    return views.page(
      request,
      reply,
      '/modules/cases/views/record-care-day',
      {
        title: request.t('record.title'),
        csrf: true,
        children,
        recorded: recorded.map((d) => ({
          ...d,
          child: children.find((c) => c.personId === d.childPersonId),
        })),
        today: today.toString(),
        tomorrow: today.add({ days: 1 }).toString(),
        fractions: CARE_FRACTIONS,
        reasons: CARE_REASONS,
        errors: [],
        ...extra,
      },
      status,
    )
  }

  app.get('/vab', { preHandler: requireViewer }, async (request, reply) => renderRecord(request, reply))

  app.post(
    '/vab',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 200 }), {
          maxProperties: 10,
        }),
      },
    },
    async (request, reply) => {
      const form = request.body as Record<string, string>
      if (!form.child)
        return renderRecord(
          request,
          reply,
          { errors: [{ field: 'child-0', message: request.t('apply.errors.child') }] },
          422,
        )
      const errand = await errandOf(request, PARENTAL_BENEFITS)
      const result = await cases.recordCareDay(
        errand.personId,
        {
          childPersonId: form.child,
          date: form.day ?? '',
          fraction: Number(form.fraction ?? '1'),
          reason: (form.reason ?? 'child-ill') as CareDayRecord['reason'],
        },
        filedByOf(errand),
      )
      if (result.kind === 'invalid')
        return renderRecord(
          request,
          reply,
          { errors: [{ field: 'day-today', message: request.t(`record.problems.${result.problem}`) }] },
          422,
        )
      const recorded = unwrapRecord(result)
      return renderRecord(request, reply, { confirmation: recorded.day })
    },
  )

  const childrenOf = async (request: FastifyRequest) => {
    const errand = await errandOf(request, PARENTAL_BENEFITS)
    const person = await people.readPerson({ ...readerOf(errand), purpose: 'application' })
    if (!person) throw new AppError('PERSON_NOT_FOUND')
    const today = clock.today()
    return {
      errand,
      person,
      children: (person.family ?? [])
        .filter((f) => f.kind === 'child' && f.custody)
        .map((c) => ({
          ...c,
          age: Temporal.PlainDate.from(c.birthDate).until(today, { largestUnit: 'years' }).years,
        })),
    }
  }

  const ROWS = 5
  /** The form starts from the days the parent recorded as they happened; otherwise from today. */
  const recordedRows = async (personId: string): Promise<Record<string, string>> => {
    const recorded = cases.applicable(await cases.listRecordedDays(personId)).slice(0, ROWS)
    if (recorded.length === 0) return { date1: clock.today().toString() }
    const rows: Record<string, string> = { child: recorded[0]?.childPersonId ?? '' }
    recorded
      .filter((d) => d.childPersonId === rows.child)
      .forEach((d, i) => {
        rows[`date${i + 1}`] = d.date
        rows[`fraction${i + 1}`] = String(d.fraction)
        rows[`reason${i + 1}`] = d.reason
      })
    return rows
  }
  const renderForm = async (
    request: FastifyRequest,
    reply: import('fastify').FastifyReply,
    values: Record<string, string>,
    errors: Array<{ field: string; message: string }>,
  ) => {
    const { person, children, errand } = await childrenOf(request)
    return views.page(
      request,
      reply,
      '/modules/cases/views/apply-vab',
      {
        title: request.t('apply.vab.title'),
        csrf: true,
        children,
        occupation: person.occupation,
        rows: Array.from({ length: ROWS }, (_, i) => i + 1),
        fractions: CARE_FRACTIONS,
        reasons: CARE_REASONS,
        values: { idempotencyKey: randomUUID(), ...(await recordedRows(errand.personId)), ...values },
        errors,
      },
      errors.length > 0 ? 422 : 200,
    )
  }

  app.get('/ansok/vab', { preHandler: requireViewer }, async (request, reply) =>
    renderForm(request, reply, {}, []),
  )

  app.post(
    '/ansok/vab',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        body: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 200 }), {
          maxProperties: 40,
        }),
      },
    },
    async (request, reply) => {
      const form = request.body as Record<string, string>
      const t = request.t
      const errors: Array<{ field: string; message: string }> = []
      if (!form.child) errors.push({ field: 'child', message: t('apply.errors.child') })
      const days: VabApplication['days'] = []
      const certificateDays: string[] = []
      for (let i = 1; i <= ROWS; i++) {
        const date = (form[`date${i}`] ?? '').trim()
        if (!date) continue
        const fraction = Number(form[`fraction${i}`] ?? '1')
        const reason = form[`reason${i}`] ?? 'child-ill'
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
          errors.push({ field: `date${i}`, message: t('apply.errors.date', { row: i }) })
        if (!(CARE_FRACTIONS as readonly number[]).includes(fraction))
          errors.push({ field: `fraction${i}`, message: t('apply.errors.fraction', { row: i }) })
        if (!(CARE_REASONS as readonly string[]).includes(reason))
          errors.push({ field: `reason${i}`, message: t('apply.errors.reason', { row: i }) })
        days.push({ date, fraction, reason: reason as VabApplication['days'][number]['reason'] })
        if (form[`certificate${i}`] === 'yes') certificateDays.push(date)
      }
      if (days.length === 0) errors.push({ field: 'date1', message: t('apply.errors.noDays') })
      const key = form.idempotencyKey ?? ''
      if (!/^[A-Za-z0-9-]{8,100}$/.test(key))
        errors.push({ field: 'idempotencyKey', message: t('apply.errors.reload') })
      if (errors.length > 0) return renderForm(request, reply, form, errors)

      const errand = await errandOf(request, PARENTAL_BENEFITS)
      const result = await cases.submitVabApplication({
        applicantPersonId: errand.personId,
        filedBy: filedByOf(errand),
        idempotencyKey: key,
        application: {
          childPersonId: form.child as string,
          days,
          certificateDays,
          ...(form.seriouslyIll === 'yes' ? { seriouslyIll: true } : {}),
        },
      })
      if (result.kind === 'invalid') {
        const problems = result.problems.map((p) => {
          const row = Number(/days\.(\d+)/.exec(p.field)?.[1] ?? 0) + 1
          return { field: `date${row}`, message: t(`apply.problems.${p.problem}`, { row }) }
        })
        return renderForm(request, reply, form, problems)
      }
      if (result.kind === 'not-your-child')
        return renderForm(request, reply, form, [{ field: 'child', message: t('errors.NOT_YOUR_CHILD') }])
      const filed = unwrapSubmit(result)
      return reply.redirect(`/mina-arenden/${filed.caseId}`, 303)
    },
  )
}
