import type {} from '@fastify/cookie'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import {
  createTranslator,
  isLanguage,
  type Language,
  languageFromHeader,
  type Messages,
  type Translate,
} from '../i18n.ts'
import type { RightAnswer } from './errand.ts'

/** Who is signed in, as the HTTP edge knows them. Set by the auth module. */
export interface Viewer {
  subject: string
  personId: string | undefined
  name: string
  roles: string[]
  agencyId: string | undefined
  assuranceLevel: string | undefined
  /**
   * Whose errands the person has chosen to handle, when not their own (kept in the session), with
   * the right to do so as checked at this request.
   */
  actingFor?: { personId: string; name: string; right?: RightAnswer }
}

declare module 'fastify' {
  interface FastifyRequest {
    lang: Language
    t: Translate
    viewer: Viewer | undefined
    /** True when the session cookie was present but no longer valid (expired or forged). */
    sessionRejected: boolean
  }
}

export const LANGUAGE_COOKIE = 'samla_lang'

/**
 * Picks the language of every answer: ?lang= (remembered in a cookie), then the cookie, then the
 * browser's Accept-Language; Swedish by default.
 */
export const requestContext = fp(
  async (app: FastifyInstance, opts: { messages: Record<Language, Messages>; secureCookies: boolean }) => {
    const translators = { sv: createTranslator(opts.messages.sv), en: createTranslator(opts.messages.en) }
    app.decorateRequest('lang', 'sv')
    app.decorateRequest('t', null as unknown as Translate)
    app.decorateRequest('viewer', undefined)
    app.decorateRequest('sessionRejected', false)
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const asked = (request.query as Record<string, unknown> | undefined)?.lang
      let lang: Language
      if (isLanguage(asked)) {
        lang = asked
        reply.setCookie(LANGUAGE_COOKIE, lang, {
          path: '/',
          sameSite: 'lax',
          httpOnly: true,
          secure: opts.secureCookies,
          maxAge: 365 * 24 * 3600,
        })
      } else {
        const remembered = request.cookies[LANGUAGE_COOKIE]
        lang = isLanguage(remembered) ? remembered : languageFromHeader(request.headers['accept-language'])
      }
      request.lang = lang
      request.t = translators[lang]
    })
  },
  { name: 'request-context', dependencies: ['@fastify/cookie'] },
)
