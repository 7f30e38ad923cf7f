// Server-rendered pages: Eta templates that escape every value unless told otherwise (<%~ %>).
// Templates live beside their module (src/modules/<module>/views) and share the layout here.
import { fileURLToPath } from 'node:url'
import type {} from '@fastify/csrf-protection'
import { Eta } from 'eta'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { formatDate, formatDateLong, formatMoney } from './format.ts'

const SRC = fileURLToPath(new URL('..', import.meta.url))

export type Views = ReturnType<typeof createViews>

export function createViews(options: { cache: boolean }) {
  const eta = new Eta({ views: SRC, cache: options.cache, autoEscape: true, autoTrim: false })

  /**
   * Renders a page template inside the layout. Every template gets the language, the translator,
   * the signed-in viewer, a CSRF token when someone is signed in (for the logout form and any
   * other form) and the current path.
   */
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    model: Record<string, unknown> & { title: string },
    status = 200,
  ): Promise<FastifyReply> {
    const csrfToken = request.viewer || model.csrf ? await reply.generateCsrf() : undefined
    const lang = request.lang
    const pathOnly = request.url.split('?')[0] ?? '/'
    const otherLang = lang === 'sv' ? 'en' : 'sv'
    const html = eta.render(template, {
      ...model,
      lang,
      t: request.t,
      viewer: request.viewer,
      // Whose errands a form is filled in for: a form posts it back as _for (platform/http/errand.ts).
      errandFor: request.viewer?.actingFor?.personId ?? request.viewer?.personId,
      csrfToken,
      path: pathOnly,
      switchLanguageHref: `${pathOnly}?${new URLSearchParams({ ...(request.query as Record<string, string>), lang: otherLang })}`,
      otherLang,
      fmt: {
        date: (d: string) => formatDate(d, lang),
        dateLong: (d: string) => formatDateLong(d, lang),
        money: (n: number) => formatMoney(n, lang),
        number: (n: number) =>
          new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 3 }).format(n),
      },
      text: (t: { sv: string; en: string } | undefined) => (t ? t[lang] : ''),
    })
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(html)
  }

  return { page }
}
