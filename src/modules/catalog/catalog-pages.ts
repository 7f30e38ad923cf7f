import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import type { Views } from '../../web/views.ts'
import { ServiceId } from './catalog-api.ts'
import type { Catalog } from './index.ts'

export async function catalogPages(
  app: FastifyInstance,
  deps: {
    catalog: Catalog
    views: Views
    /** Where in Samla a service can be applied for, when it can (the cases module knows). */
    applicationPath: (serviceId: string) => string | undefined
  },
): Promise<void> {
  const { catalog, views } = deps

  app.get('/', async (request, reply) => {
    const events = await catalog.listLifeEvents()
    return views.page(request, reply, '/modules/catalog/views/start', {
      title: request.t('start.title'),
      lifeEvents: events.map((e) => ({
        id: e.id,
        title: e.title,
        summary: e.summary,
        steps: e.steps.length,
        agencies: new Set(e.steps.map((s) => s.responsible)).size,
      })),
    })
  })

  app.get('/tjanster', async (request, reply) => {
    const [services, agencies] = await Promise.all([catalog.listServices(), catalog.agenciesById()])
    return views.page(request, reply, '/modules/catalog/views/services', {
      title: request.t('service.servicesTitle'),
      services: services.map(({ service, isTemplate }) => ({
        id: service.id,
        name: service.name,
        isTemplate,
        agency: agencies.get(service.competentAuthority),
      })),
    })
  })

  app.get(
    '/tjanster/:id',
    {
      schema: {
        params: Type.Object({ id: ServiceId }),
        querystring: Type.Object({ kommun: Type.Optional(Type.String({ maxLength: 80 })) }),
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string }
      const { kommun } = request.query as { kommun?: string }
      const entry = await catalog.getServiceEntry(id)
      if (!entry) throw new AppError('SERVICE_NOT_FOUND')
      const agencies = await catalog.agenciesById()
      let chosen: (typeof entry.adoptions)[number] | undefined
      if (entry.isTemplate && kommun) {
        if (agencies.get(kommun)?.level !== 'municipality') throw new AppError('UNKNOWN_MUNICIPALITY')
        chosen = entry.adoptions.find((a) => a.agency.id === kommun)
      }
      const shown = chosen?.local ?? entry.service
      return views.page(request, reply, '/modules/catalog/views/service', {
        title: shown.name[request.lang],
        service: shown,
        isTemplate: entry.isTemplate,
        adoptions: entry.adoptions,
        chosenMunicipality: kommun,
        chosen,
        authority: agencies.get(shown.competentAuthority),
        applyPath: deps.applicationPath(id),
        municipalities: [...agencies.values()].filter((a) => a.level === 'municipality'),
      })
    },
  )
}
