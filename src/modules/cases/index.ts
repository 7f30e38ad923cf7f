// cases: a person's errands with agencies ("Mina ärenden"), their status and history.
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { requireViewer, viewerPersonId } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { Catalog } from '../catalog/index.ts'

export interface CasesTables {
  'cases.cases': {
    id: string
    person_id: string
    service_id: string
    agency_id: string
    status: string
    submitted_at: Date
    updated_at: Date
  }
}

export type CaseSummary = {
  id: string
  serviceId: string
  agencyId: string
  status: string
  submittedAt: string
  updatedAt: string
}

export type Cases = ReturnType<typeof createCases>

export function createCases(deps: { db: Kysely<CasesTables> }) {
  const { db } = deps

  /** The person's own cases, newest change first. Only the person themself may list them. */
  async function listCasesOf(viewerPersonId: string, personId: string): Promise<CaseSummary[] | undefined> {
    if (viewerPersonId !== personId) return undefined
    const rows = await db
      .selectFrom('cases.cases')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('updated_at', 'desc')
      .execute()
    return rows.map((r) => ({
      id: r.id,
      serviceId: r.service_id,
      agencyId: r.agency_id,
      status: r.status,
      submittedAt: r.submitted_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    }))
  }

  return { listCasesOf }
}

const CaseList = Type.Object({
  cases: Type.Array(
    Type.Object({
      id: Type.String(),
      serviceId: Type.String(),
      agencyId: Type.String(),
      status: Type.String(),
      submittedAt: Type.String({ format: 'date-time' }),
      updatedAt: Type.String({ format: 'date-time' }),
    }),
  ),
})

export async function casesHttp(
  app: FastifyInstance,
  deps: { cases: Cases; catalog: Catalog; views: Views },
) {
  const { cases, views } = deps
  app.get(
    '/api/v1/persons/:personId/cases',
    {
      preHandler: requireViewer,
      schema: {
        tags: ['Ärenden / Cases'],
        summary: 'En persons ärenden / A person’s cases (only one’s own)',
        params: Type.Object({ personId: Type.String({ format: 'uuid' }) }),
        response: { 200: CaseList },
      },
    },
    async (request) => {
      const list = await cases.listCasesOf(
        viewerPersonId(request),
        (request.params as { personId: string }).personId,
      )
      if (!list) throw new AppError('PERSON_NOT_FOUND')
      return { cases: list }
    },
  )

  app.get('/mina-arenden', { preHandler: requireViewer }, async (request, reply) => {
    const personId = request.viewer?.personId
    const list = personId ? ((await cases.listCasesOf(personId, personId)) ?? []) : []
    const agencies = await deps.catalog.agenciesById()
    return views.page(request, reply, '/modules/cases/views/my-cases', {
      title: request.t('cases.title'),
      cases: list.map((c) => ({ ...c, agency: agencies.get(c.agencyId) })),
    })
  })
}
