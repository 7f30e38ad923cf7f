// The web server: platform plugins first (cookies, forms, security headers, rate limits, CSRF,
// language, errors), then the API description, then each module's routes and pages.

import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import helmet from 'helmet'
import { sql } from 'kysely'
import {
  applicationPath,
  benefitHttp,
  careFeeHttp,
  careHttp,
  casesHttp,
  caseworkerHttp,
  vabHttp,
} from '../modules/cases/index.ts'
import { catalogApi, catalogPages } from '../modules/catalog/index.ts'
import { consentApi, consentPages } from '../modules/consent/index.ts'
import { interopHttp, moveReportPath } from '../modules/interop/index.ts'
import { journeysApi, journeysPages } from '../modules/journeys/index.ts'
import { myDataHttp } from '../modules/my-data/index.ts'
import { notifyHttp } from '../modules/notify/index.ts'
import { accessRecordsHttp, peopleApi, peoplePages, registerEventsHttp } from '../modules/people/index.ts'
import { offersHttp } from '../modules/proactive/index.ts'
import { rulesPages } from '../modules/rules/index.ts'
import { AppError } from '../platform/errors.ts'
import { errorsPlugin } from '../platform/http/errors-plugin.ts'
import { requestContext } from '../platform/http/request-context.ts'
import { loadMessages } from '../platform/i18n.ts'
import { createViews } from '../web/views.ts'
import { type Container, PATHS } from './container.ts'

const designsystemet = dirname(fileURLToPath(import.meta.resolve('@digdir/designsystemet-css')))

export async function buildServer(
  c: Container,
  options: { logger?: boolean } = {},
): Promise<FastifyInstance> {
  const { config } = c
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    // Fastify's Ajv knows the standard formats (date, uuid, uri) already.
    ajv: { customOptions: { allErrors: true, removeAdditional: false } },
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>()

  const views = createViews({ cache: process.env.NODE_ENV === 'production' })

  await app.register(cookie, { secret: config.cookieSecret })
  await app.register(formbody)
  const externalOrigin = config.oidc.kind === 'external' ? new URL(config.oidc.issuer).origin : undefined
  // Security headers (helmet), built once: @fastify/helmet would build them again for every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'", ...(externalOrigin ? [externalOrigin] : [])],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  })
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined))
  })
  await app.register(rateLimit, { max: 600, timeWindow: '1 minute' })
  await app.register(csrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true },
    // A form posts the token as a field; a file upload (multipart) as a field object.
    getToken: (request) => {
      const field = (request.body as Record<string, unknown> | undefined)?._csrf
      if (typeof field === 'string') return field
      if (field && typeof field === 'object' && 'value' in field) return String(field.value)
      return request.headers['csrf-token'] as string | undefined
    },
  })
  await app.register(requestContext, {
    messages: loadMessages(PATHS.messages),
    secureCookies: config.secureCookies,
  })
  await app.register(errorsPlugin, {
    renderErrorPage: (request, reply, error) =>
      views.page(
        request,
        reply,
        '/web/views/error',
        { title: request.t('errors.title'), error },
        error.status,
      ),
  })

  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('../web/static/', import.meta.url)),
    prefix: '/static/',
  })
  await app.register(fastifyStatic, {
    root: designsystemet,
    prefix: '/static/designsystemet/',
    decorateReply: false,
    allowedPath: (path) => path === '/index.css' || path === '/theme.css',
  })
  // The theme file lives one folder up from the components; serve it under a stable name.
  app.get('/static/designsystemet/theme.css', (_request, reply) =>
    reply.type('text/css; charset=utf-8').sendFile('designsystemet.css', `${designsystemet}/../theme`),
  )

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Samla API',
        version: '1',
        description:
          'Samlas API: livshändelser, tjänster och personliga planer. Svar på fel har alltid { error: { code, status, message } }, med meddelandet på svenska eller engelska efter Accept-Language.',
      },
      servers: [{ url: config.publicUrl }],
    },
    transform: ({ schema, url }) => ({
      schema: { ...(schema as object), hide: !(url.startsWith('/api/v1') || url === '/healthz') } as never,
      url,
    }),
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true })
  app.get('/api/openapi.json', { schema: { hide: true } as never }, async () => app.swagger())

  app.get(
    '/healthz',
    {
      config: { rateLimit: false },
      schema: { summary: 'Svarar 200 när databasen är redo / 200 when the database is ready' },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(c.database.db)
      } catch (error) {
        throw new AppError('NOT_READY', { cause: error })
      }
      return reply.send({ status: 'ok', database: c.database.engine })
    },
  )

  // Sessions first: every module's routes below see who is signed in.
  await c.auth.registerRoutes(app, views)
  await catalogApi(app, { catalog: c.catalog })
  // Where a service is applied for in Samla: the notice of move through interop, the rest as cases.
  const applyPath = (serviceId: string) => moveReportPath(serviceId) ?? applicationPath(serviceId)
  await catalogPages(app, { catalog: c.catalog, views, applicationPath: applyPath })
  await journeysApi(app, { journeys: c.journeys })
  await journeysPages(app, { journeys: c.journeys, catalog: c.catalog, views, applicationPath: applyPath })
  await interopHttp(app, {
    interop: c.interop,
    views,
    municipalities: async () => (await c.catalog.listAgencies()).filter((a) => a.level === 'municipality'),
  })
  await peopleApi(app, { people: c.people })
  await registerEventsHttp(app, { people: c.people })
  await peoplePages(app, {
    people: c.people,
    views,
    municipalityName: async (id, lang) => (await c.catalog.agenciesById()).get(id)?.name[lang] ?? id,
  })
  await accessRecordsHttp(app, {
    people: c.people,
    views,
    agencyNames: async () => new Map([...(await c.catalog.agenciesById())].map(([id, a]) => [id, a.name])),
    ruleSetTitle: (id) => c.rules.get(id)?.file.title,
  })
  await myDataHttp(app, {
    myData: c.myData,
    views,
    serviceName: async (id) => (await c.catalog.getServiceEntry(id))?.service.name,
    agencyName: async (id) => (await c.catalog.agenciesById()).get(id)?.name,
  })
  const casesDeps = { cases: c.cases, catalog: c.catalog, people: c.people, views, clock: c.clock }
  await casesHttp(app, casesDeps)
  await vabHttp(app, casesDeps)
  await careHttp(app, casesDeps)
  await careFeeHttp(app, casesDeps)
  await benefitHttp(app, casesDeps)
  await caseworkerHttp(app, { cases: c.cases, catalog: c.catalog, views })
  await consentApi(app, { consent: c.consent })
  await consentPages(app, { consent: c.consent, catalog: c.catalog, views })
  await rulesPages(app, { ruleSets: c.rules, views, today: () => c.clock.today().toString() })
  await notifyHttp(app, { notify: c.notify, views })
  await offersHttp(app, {
    proactive: c.proactive,
    views,
    agencyName: async (id, lang) => (await c.catalog.agenciesById()).get(id)?.name[lang] ?? id,
    today: () => c.clock.today().toString(),
  })
  return app
}
