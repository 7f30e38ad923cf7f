import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireViewer, viewerPersonId } from '../../platform/http/guards.ts'
import type { Language } from '../../platform/i18n.ts'
import { formatDateTime } from '../../web/format.ts'
import type { Views } from '../../web/views.ts'
import { formatPersonalNumber } from '../people/index.ts'
import type { MyData } from './index.ts'
import { PERSONAL_DATA_FORMAT, type PersonalData } from './personal-data.ts'

const tags = ['Mina uppgifter / My data']

export const PersonalDataSchema = Type.Object({
  format: Type.Literal(PERSONAL_DATA_FORMAT),
  generatedAt: Type.String({ format: 'date-time' }),
  personId: Type.String({ format: 'uuid' }),
  sections: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'One section a module: register, cases, sign-ins, access-records … Each holds what that module keeps about the person.',
  }),
})

type Text = { sv: string; en: string }

export async function myDataHttp(
  app: FastifyInstance,
  deps: {
    myData: MyData
    views: Views
    serviceName: (id: string) => Promise<Text | undefined>
    agencyName: (id: string) => Promise<Text | undefined>
  },
): Promise<void> {
  const { myData, views } = deps
  const fileName = (data: PersonalData) => `samla-mina-uppgifter-${data.generatedAt.slice(0, 10)}.json`

  app.get(
    '/api/v1/me/personal-data',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'Allt Samla har om mig / Everything Samla holds about the signed-in person, machine-readable (GDPR art. 15 and 20)',
        response: { 200: PersonalDataSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return myData.downloadPersonalData(viewerPersonId(request))
    },
  )

  app.get('/mina-sidor/mina-uppgifter.json', { preHandler: requireViewer }, async (request, reply) => {
    const data = await myData.downloadPersonalData(viewerPersonId(request))
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName(data)}"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(data, null, 2))
  })

  app.get('/mina-sidor/mina-uppgifter', { preHandler: requireViewer }, async (request, reply) => {
    const data = await myData.downloadPersonalData(viewerPersonId(request))
    const lang: Language = request.lang
    const sections = data.sections as Record<string, Record<string, unknown> | unknown[] | null>
    const register = sections.register as
      | (Record<string, unknown> & { identity?: { personalNumber: string } })
      | null
      | undefined
    const cases = sections.cases as
      | {
          cases: Array<{
            id: string
            serviceId: string
            agencyId: string
            status: string
            submittedAt: string
          }>
        }
      | undefined
    const named = async (c: { serviceId: string; agencyId: string }) => ({
      service: (await deps.serviceName(c.serviceId))?.[lang] ?? c.serviceId,
      agency: (await deps.agencyName(c.agencyId))?.[lang] ?? c.agencyId,
    })
    return views.page(request, reply, '/modules/my-data/views/my-data', {
      title: request.t('myData.title'),
      data,
      generated: formatDateTime(data.generatedAt, lang),
      register,
      personalNumber: register?.identity ? formatPersonalNumber(register.identity.personalNumber) : undefined,
      cases: await Promise.all((cases?.cases ?? []).map(async (c) => ({ ...c, ...(await named(c)) }))),
      sectionIds: Object.keys(sections),
      sectionTitle: (id: string) => {
        try {
          return request.t(`myData.sections.${id}`)
        } catch {
          return id
        }
      },
      count: (value: unknown) =>
        Array.isArray(value)
          ? value.length
          : value && typeof value === 'object'
            ? Object.keys(value).length
            : 0,
      when: (instant: string) => formatDateTime(instant, lang),
      json: (value: unknown) => JSON.stringify(value, null, 2),
    })
  })
}
