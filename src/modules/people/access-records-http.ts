import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { requireViewer, viewerPersonId } from '../../platform/http/guards.ts'
import type { Language, Translate } from '../../platform/i18n.ts'
import { formatDateTime } from '../../web/format.ts'
import type { Views } from '../../web/views.ts'
import {
  type AccessRecordQuery,
  type AccessRecordView,
  MAX_PAGE_SIZE,
  READERS,
  type Reader,
} from './access-records.ts'
import type { People } from './index.ts'

const tags = ['Personer / People']

type Text = { sv: string; en: string }

export interface TrackerDeps {
  people: People
  views: Views
  /** Agencies' names, by id (the catalogue's). */
  agencyNames: () => Promise<Map<string, Text>>
  /** A rule set's title, by id. */
  ruleSetTitle: (id: string) => Text | undefined
}

const Described = Type.Object({ id: Type.String(), text: Type.String() })

export const AccessRecordSchema = Type.Object({
  id: Type.Integer(),
  seq: Type.Integer({ description: 'The record’s place in the person’s chain of records' }),
  readAt: Type.String({ format: 'date-time' }),
  reader: Type.Object({
    kind: Type.Union(READERS.map((r) => Type.Literal(r))),
    text: Type.String({ description: 'Who read, in words' }),
    agencyId: Type.Union([Type.String(), Type.Null()]),
    ruleSet: Type.Union([Type.Object({ id: Type.String(), version: Type.String() }), Type.Null()]),
    process: Type.Union([Type.String(), Type.Null()]),
    actingForYou: Type.Boolean(),
  }),
  categories: Type.Array(Described),
  purpose: Described,
  legalBasis: Described,
  consentId: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String({ description: 'SHA-256 of the record in the chain, hex' }),
})

/** A translation, or the fallback when the message files have none (a purpose added later). */
const wordsFor =
  (t: Translate) => (key: string, fallback: string, params?: Record<string, string | number>) => {
    try {
      return t(key, params)
    } catch {
      return fallback
    }
  }

/** One record in words: who, what, why and on what basis, in the request's language. */
function describe(
  r: AccessRecordView,
  t: Translate,
  lang: Language,
  names: { agencies: Map<string, Text>; ruleSetTitle: TrackerDeps['ruleSetTitle'] },
) {
  const words = wordsFor(t)
  const agency = r.agencyId ? (names.agencies.get(r.agencyId)?.[lang] ?? r.agencyId) : ''
  let who: string
  if (r.reader === 'other-person' && r.actingForYou) who = words('tracker.readers.acting-for-you', '')
  else if (r.reader === 'rule' && r.ruleSet)
    who = words('tracker.readers.rule', r.ruleSet.id, {
      ruleSet: names.ruleSetTitle(r.ruleSet.id)?.[lang] ?? r.ruleSet.id,
      version: r.ruleSet.version,
      agency,
    })
  else if (r.reader === 'samla' && r.process)
    who = words(`tracker.samla.${r.process}`, words('tracker.readers.samla', 'Samla'))
  else who = words(`tracker.readers.${r.reader}`, r.reader, { agency })
  return {
    id: r.id,
    seq: r.seq,
    readAt: r.readAt,
    reader: {
      kind: r.reader,
      text: who,
      agencyId: r.agencyId,
      ruleSet: r.ruleSet,
      process: r.process,
      actingForYou: r.actingForYou,
    },
    categories: r.categories.map((c) => ({ id: c, text: words(`tracker.categories.${c}`, c) })),
    purpose: { id: r.purpose, text: words(`tracker.purposes.${r.purpose}`, r.purpose) },
    legalBasis: {
      id: r.legalBasis,
      text: r.consentId
        ? words('tracker.bases.consent', r.legalBasis)
        : words(`tracker.bases.${r.legalBasis}`, r.legalBasis),
    },
    consentId: r.consentId,
    hash: r.hash,
  }
}

/** "Vem har sett mina uppgifter": the person's own access records, in the API and as a page. */
export async function accessRecordsHttp(app: FastifyInstance, deps: TrackerDeps): Promise<void> {
  const { people, views } = deps

  const list = async (request: FastifyRequest, query: AccessRecordQuery) => {
    const result = await people.listAccessRecords(viewerPersonId(request), query)
    if (result.kind === 'invalid') return result
    const names = { agencies: await deps.agencyNames(), ruleSetTitle: deps.ruleSetTitle }
    return { ...result, records: result.records.map((r) => describe(r, request.t, request.lang, names)) }
  }

  app.get(
    '/api/v1/me/access-records',
    {
      preHandler: requireViewer,
      schema: {
        tags,
        summary:
          'Vem har sett mina uppgifter / Who has read my data: every read of the signed-in person’s data, newest first',
        querystring: Type.Object({
          reader: Type.Optional(Type.Union(READERS.map((r) => Type.Literal(r)))),
          agencyId: Type.Optional(Type.String({ maxLength: 100 })),
          purpose: Type.Optional(Type.String({ maxLength: 100 })),
          from: Type.Optional(Type.String({ format: 'date', description: 'First day, Swedish time' })),
          to: Type.Optional(Type.String({ format: 'date', description: 'Last day, inclusive' })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
        }),
        response: {
          200: Type.Object({
            records: Type.Array(AccessRecordSchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            pages: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const result = await list(request, request.query as AccessRecordQuery)
      if (result.kind === 'invalid') {
        if (result.problems.some((p) => p.problem === 'period')) throw new AppError('INVALID_PERIOD')
        throw new AppError('INVALID_DATE')
      }
      const { kind: _kind, ...page } = result
      return page
    },
  )

  const Page = Type.Object({
    vem: Type.Optional(Type.String({ maxLength: 40 })),
    myndighet: Type.Optional(Type.String({ maxLength: 100 })),
    syfte: Type.Optional(Type.String({ maxLength: 100 })),
    fran: Type.Optional(Type.String({ maxLength: 40 })),
    till: Type.Optional(Type.String({ maxLength: 40 })),
    sida: Type.Optional(Type.String({ maxLength: 10 })),
  })
  type PageQuery = {
    vem?: string
    myndighet?: string
    syfte?: string
    fran?: string
    till?: string
    sida?: string
  }
  const FIELD_OF = { from: 'fran', to: 'till', page: 'sida' } as const

  app.get(
    '/mina-sidor/vem-har-sett',
    { preHandler: requireViewer, schema: { querystring: Page } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const q = request.query as PageQuery
      const values = {
        vem: q.vem ?? '',
        myndighet: q.myndighet ?? '',
        syfte: q.syfte ?? '',
        fran: (q.fran ?? '').trim(),
        till: (q.till ?? '').trim(),
      }
      const errors: Array<{ field: string; message: string }> = []
      const reader =
        values.vem && (READERS as readonly string[]).includes(values.vem) ? values.vem : undefined
      if (values.vem && !reader) errors.push({ field: 'vem', message: request.t('tracker.problems.reader') })
      const page = q.sida === undefined || q.sida === '' ? 1 : Number(q.sida)
      const result = await list(request, {
        reader: reader as Reader | undefined,
        agencyId: values.myndighet || undefined,
        purpose: values.syfte || undefined,
        from: values.fran || undefined,
        to: values.till || undefined,
        page,
      })
      if (result.kind === 'invalid')
        for (const p of result.problems)
          errors.push({ field: FIELD_OF[p.field], message: request.t(`tracker.problems.${p.problem}`) })
      const facets = await people.accessRecordFilters(viewerPersonId(request))
      const agencies = await deps.agencyNames()
      const words = wordsFor(request.t)
      const link = (n: number) =>
        `/mina-sidor/vem-har-sett?${new URLSearchParams(
          Object.entries({ ...values, sida: String(n) }).filter(([, v]) => v !== ''),
        )}`
      const records = result.kind === 'records' && errors.length === 0 ? result : undefined
      return views.page(
        request,
        reply,
        '/modules/people/views/access-records',
        {
          title: request.t('tracker.title'),
          values,
          errors,
          readers: READERS,
          agencies: facets.agencyIds
            .map((id) => ({ id, name: agencies.get(id)?.[request.lang] ?? id }))
            .sort((a, b) => a.name.localeCompare(b.name, request.lang)),
          purposes: facets.purposes
            .map((id) => ({ id, name: words(`tracker.purposes.${id}`, id) }))
            .sort((a, b) => a.name.localeCompare(b.name, request.lang)),
          records: records?.records.map((r) => ({ ...r, when: formatDateTime(r.readAt, request.lang) })),
          total: records?.total ?? 0,
          page: records?.page ?? 1,
          pages: records?.pages ?? 1,
          previousHref: records && records.page > 1 ? link(records.page - 1) : undefined,
          nextHref: records && records.page < records.pages ? link(records.page + 1) : undefined,
        },
        errors.length > 0 ? 400 : 200,
      )
    },
  )
}
