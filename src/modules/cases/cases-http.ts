import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Clock } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import { type Errand, errandOf, filedByOf, readerOf, requireScope } from '../../platform/http/errand.ts'
import { requireViewer } from '../../platform/http/guards.ts'
import { formatDateLong, formatMoney } from '../../web/format.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog } from '../catalog/index.ts'
import type { People } from '../people/index.ts'
import { letterOfCase } from './benefit-letter.ts'
import { CaseDetail, CaseSummary, PersonId, tags } from './cases-schemas.ts'
import { type DecisionLetter, renderDecisionPdf } from './decision-pdf.ts'
import type { Cases } from './index.ts'
import type { ReviewRequestResult } from './review-decision.ts'

/** A person's cases: the list, one case with its decision (page, API, PDF), the inbox, and review. */
export async function casesHttp(
  app: FastifyInstance,
  deps: { cases: Cases; catalog: Catalog; people: People; views: Views; clock: Clock },
): Promise<void> {
  const { cases, views, people } = deps

  /**
   * A case of the errand's person; someone acting for them reaches it only when their right covers
   * the case's service.
   */
  const caseOf = async (errand: Errand, caseId: string) => {
    const found = await cases.getCase(errand.personId, caseId)
    if (!found) throw new AppError('CASE_NOT_FOUND')
    requireScope(errand, { service: found.serviceId })
    await recordSeenBy(errand)
    return found
  }

  /**
   * Someone acting for the person sees their cases: recorded in the person's access log with the
   * right it rests on. The person's own look at their cases needs no record.
   */
  const recordSeenBy = async (errand: Errand) => {
    const representation = errand.representation
    if (!representation) return
    await people.access.read(
      {
        actor: { kind: 'person', personId: errand.actorPersonId },
        purpose: 'case-overview',
        onBehalfOf: errand.personId,
      },
      async (scope) => scope.record(errand.personId, undefined, { legalBasis: representation.basis }),
    )
  }

  app.get(
    '/api/v1/persons/:personId/cases',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'En persons ärenden / A person’s cases: one’s own, or those of someone one acts for within the right’s areas',
        params: Type.Object({ personId: PersonId }),
        response: { 200: Type.Object({ cases: Type.Array(CaseSummary) }) },
      },
    },
    async (request) => {
      const { personId } = request.params as { personId: string }
      const errand = await errandOf(request, 'any', { personId })
      const list = await cases.listCasesOf(errand.personId, errand.personId)
      if (!list) throw new AppError('PERSON_NOT_FOUND')
      await recordSeenBy(errand)
      return { cases: list.filter((c) => errand.covers({ service: c.serviceId })) }
    },
  )

  app.get(
    '/api/v1/persons/:personId/cases/:caseId',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Ett ärende med beslut och historik / One case with its decision and history',
        params: Type.Object({ personId: PersonId, caseId: Type.String({ format: 'uuid' }) }),
        response: { 200: CaseDetail },
      },
    },
    async (request) => {
      const { personId, caseId } = request.params as { personId: string; caseId: string }
      return caseOf(await errandOf(request, 'any', { personId }), caseId)
    },
  )

  // Review (omprövning) of a decision

  const unwrapReview = (result: ReviewRequestResult) => {
    if (result.kind === 'not-found') throw new AppError('CASE_NOT_FOUND')
    if (result.kind === 'not-decided') throw new AppError('CASE_NOT_DECIDED')
    if (result.kind === 'invalid') throw new AppError('REVIEW_TEXT_TOO_SHORT')
    return result
  }

  app.post(
    '/api/v1/persons/:personId/cases/:caseId/review',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Begär omprövning av ett beslut / Ask for a decision to be reviewed',
        params: Type.Object({ personId: PersonId, caseId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { text: Type.String({ minLength: 1, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ reviewCaseId: Type.String(), late: Type.Boolean() }),
          200: Type.Object({ reviewCaseId: Type.String(), late: Type.Boolean() }),
        },
      },
    },
    async (request, reply) => {
      const { personId, caseId } = request.params as { personId: string; caseId: string }
      const errand = await errandOf(request, 'any', { personId })
      await caseOf(errand, caseId)
      const r = unwrapReview(
        await cases.requestReview(
          errand.personId,
          caseId,
          (request.body as { text: string }).text,
          filedByOf(errand),
        ),
      )
      return reply.status(r.replayed ? 200 : 201).send({ reviewCaseId: r.reviewCaseId, late: r.late })
    },
  )

  app.post(
    '/mina-arenden/:caseId/omprovning',
    {
      preHandler: requireViewer,
      preValidation: app.csrfProtection,
      schema: {
        params: Type.Object({ caseId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ _csrf: Type.String(), text: Type.String({ maxLength: 4000 }) }),
      },
    },
    async (request, reply) => {
      const { caseId } = request.params as { caseId: string }
      const errand = await errandOf(request, 'any')
      await caseOf(errand, caseId)
      const r = unwrapReview(
        await cases.requestReview(
          errand.personId,
          caseId,
          (request.body as { text: string }).text,
          filedByOf(errand),
        ),
      )
      return reply.redirect(`/mina-arenden/${r.reviewCaseId}`, 303)
    },
  )

  // Pages

  app.get('/mina-arenden', { preHandler: requireViewer }, async (request, reply) => {
    const errand = request.viewer?.personId ? await errandOf(request, 'any') : undefined
    const list = errand
      ? ((await cases.listCasesOf(errand.personId, errand.personId)) ?? []).filter((c) =>
          errand.covers({ service: c.serviceId }),
        )
      : []
    if (errand) await recordSeenBy(errand)
    const [agencies, services] = [await deps.catalog.agenciesById(), await deps.catalog.listServices()]
    return views.page(request, reply, '/modules/cases/views/my-cases', {
      title: request.t('cases.title'),
      cases: list.map((c) => ({
        ...c,
        agency: agencies.get(c.agencyId),
        service: services.find((s) => s.service.id === c.serviceId)?.service,
      })),
    })
  })

  app.get(
    '/api/v1/persons/:personId/messages',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary: 'Inkorgen: beslut och begäran om komplettering / The inbox: decisions and requests',
        params: Type.Object({ personId: PersonId }),
        response: {
          200: Type.Object({
            messages: Type.Array(
              Type.Object({
                id: Type.String(),
                caseId: Type.String(),
                kind: Type.String(),
                serviceId: Type.String(),
                agencyId: Type.String(),
                createdAt: Type.String({ format: 'date-time' }),
                read: Type.Boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { personId } = request.params as { personId: string }
      const errand = await errandOf(request, 'any', { personId })
      await recordSeenBy(errand)
      return {
        messages: (await cases.listMessages(errand.personId)).filter((m) =>
          errand.covers({ service: m.serviceId }),
        ),
      }
    },
  )

  app.get('/inkorg', { preHandler: requireViewer }, async (request, reply) => {
    const errand = await errandOf(request, 'any')
    const messages = (await cases.listMessages(errand.personId)).filter((m) =>
      errand.covers({ service: m.serviceId }),
    )
    await recordSeenBy(errand)
    const [agencies, services] = [await deps.catalog.agenciesById(), await deps.catalog.listServices()]
    return views.page(request, reply, '/modules/cases/views/inbox', {
      title: request.t('inbox.title'),
      messages: messages.map((m) => ({
        ...m,
        agency: agencies.get(m.agencyId),
        service: services.find((x) => x.service.id === m.serviceId)?.service,
      })),
    })
  })

  app.get(
    '/mina-arenden/:caseId',
    {
      preHandler: requireViewer,
      schema: { params: Type.Object({ caseId: Type.String({ format: 'uuid' }) }) },
    },
    async (request, reply) => {
      const errand = await errandOf(request, 'any')
      const found = await caseOf(errand, (request.params as { caseId: string }).caseId)
      await cases.markRead(errand.personId, found.id)
      const agencies = await deps.catalog.agenciesById()
      return views.page(request, reply, '/modules/cases/views/case', {
        title: request.t('case.title'),
        csrf: true,
        c: found,
        ownCase: errand.representation === undefined,
        agency: agencies.get(found.agencyId),
        service: (await deps.catalog.getServiceEntry(found.serviceId))?.service,
        letter: letterOfCase(
          found,
          agencies.get(found.agencyId)?.name[request.lang] ?? found.agencyId,
          request.lang,
          request.t,
        ),
      })
    },
  )

  app.get(
    '/mina-arenden/:caseId/beslut.pdf',
    {
      preHandler: requireViewer,
      schema: { params: Type.Object({ caseId: Type.String({ format: 'uuid' }) }) },
    },
    async (request, reply) => {
      const errand = await errandOf(request, 'any')
      const found = await caseOf(errand, (request.params as { caseId: string }).caseId)
      if (found.status !== 'decided' || !found.decision || !found.decidedAt)
        throw new AppError('CASE_NOT_FOUND')
      const lang = request.lang
      const agency = (await deps.catalog.agenciesById()).get(found.agencyId)
      const service = (await deps.catalog.getServiceEntry(found.serviceId))?.service
      const person = await people.readPerson({
        ...readerOf(errand, { service: found.serviceId }),
        purpose: 'profile',
      })
      const pdf = await renderDecisionPdf({
        caseId: found.id,
        lang,
        t: request.t,
        agencyName: agency?.name[lang] ?? found.agencyId,
        serviceName: service?.name[lang] ?? found.serviceId,
        applicantName: person?.identity ? `${person.identity.givenName} ${person.identity.familyName}` : '',
        outcome: found.outcome ?? 'rejected',
        decidedAt: found.decidedAt.slice(0, 10),
        decidedByCaseworker: Boolean(found.decidedBy?.startsWith('caseworker:')),
        decision: found.decision as unknown as DecisionLetter['decision'],
        ...((found.decision as { kind?: string }).kind === 'assessment'
          ? {
              assessmentOutcome: request.t(`care.outcome.${found.outcome ?? 'rejected'}`, {
                insats: request
                  .t(`care.insatser.${String((found.application as { insats?: unknown }).insats)}`)
                  .toLowerCase(),
              }),
            }
          : {}),
        formatDate: (d) => formatDateLong(d, lang),
        formatMoney: (n) => formatMoney(n, lang),
        formatNumber: (n) =>
          new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 3 }).format(n),
      })
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="beslut-${found.id}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf)
    },
  )
}
