import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { Agency, LifeEvent, Service, ServiceTemplate, Text } from './catalog-schema.ts'
import type { Catalog } from './index.ts'

export const LifeEventId = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 80,
  description: 'A life event id, e.g. vi-ska-fa-barn',
})
export const ServiceId = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 })

const LifeEventSummary = Type.Object({
  id: Type.String(),
  title: Text,
  summary: Text,
  sdgLifeEvent: Type.Optional(Type.String()),
  steps: Type.Integer(),
  agencies: Type.Array(Type.String(), {
    description: 'Responsible parties: agency ids or roles such as $municipality',
  }),
})

const ServiceSummary = Type.Object({
  id: Type.String(),
  name: Text,
  competentAuthority: Type.String(),
  automatic: Type.Boolean(),
  isTemplate: Type.Boolean(),
})

const ServiceDetail = Type.Object({
  service: Type.Union([Service, ServiceTemplate]),
  isTemplate: Type.Boolean(),
  adoptions: Type.Array(
    Type.Object({ agencyId: Type.String(), adoptedOn: Type.String({ format: 'date' }), service: Service }),
  ),
})

const tags = ['Katalog / Catalogue']

export async function catalogApi(app: FastifyInstance, deps: { catalog: Catalog }): Promise<void> {
  const { catalog } = deps

  app.get(
    '/api/v1/life-events',
    {
      schema: {
        tags,
        summary: 'Livshändelser / The life events in the catalogue',
        response: { 200: Type.Object({ version: Type.String(), lifeEvents: Type.Array(LifeEventSummary) }) },
      },
    },
    async () => {
      const events = await catalog.listLifeEvents()
      return {
        version: (await catalog.currentVersion()) ?? '',
        lifeEvents: events.map((e) => ({
          id: e.id,
          title: e.title,
          summary: e.summary,
          ...(e.sdgLifeEvent ? { sdgLifeEvent: e.sdgLifeEvent } : {}),
          steps: e.steps.length,
          agencies: [...new Set(e.steps.map((s) => s.responsible))],
        })),
      }
    },
  )

  app.get(
    '/api/v1/life-events/:id',
    {
      schema: {
        tags,
        summary: 'En livshändelse med alla steg / One life event with its steps, services and deadline rules',
        params: Type.Object({ id: LifeEventId }),
        response: { 200: LifeEvent },
      },
    },
    async (request) => {
      const event = await catalog.getLifeEvent((request.params as { id: string }).id)
      if (!event) throw new AppError('LIFE_EVENT_NOT_FOUND')
      return event
    },
  )

  app.get(
    '/api/v1/services',
    {
      schema: {
        tags,
        summary: 'Offentliga tjänster / Public services (CPSV-AP)',
        response: { 200: Type.Object({ services: Type.Array(ServiceSummary) }) },
      },
    },
    async () => ({
      services: (await catalog.listServices()).map(({ service, isTemplate }) => ({
        id: service.id,
        name: service.name,
        competentAuthority: service.competentAuthority,
        automatic: service.automatic,
        isTemplate,
      })),
    }),
  )

  app.get(
    '/api/v1/services/:id',
    {
      schema: {
        tags,
        summary:
          'En tjänst, och för en nationell mall kommunernas versioner / One service; for a national template, each adopting municipality’s version',
        params: Type.Object({ id: ServiceId }),
        response: { 200: ServiceDetail },
      },
    },
    async (request) => {
      const entry = await catalog.getServiceEntry((request.params as { id: string }).id)
      if (!entry) throw new AppError('SERVICE_NOT_FOUND')
      return {
        service: entry.service,
        isTemplate: entry.isTemplate,
        adoptions: entry.adoptions.map((a) => ({
          agencyId: a.agency.id,
          adoptedOn: a.adoptedOn,
          service: a.local,
        })),
      }
    },
  )

  app.get(
    '/api/v1/agencies',
    {
      schema: {
        tags,
        summary: 'Myndigheter, regioner och kommuner / Agencies, regions and municipalities',
        response: { 200: Type.Object({ agencies: Type.Array(Agency) }) },
      },
    },
    async () => ({ agencies: await catalog.listAgencies() }),
  )
}
