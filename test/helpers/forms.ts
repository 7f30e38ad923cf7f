import type { LightMyRequestResponse } from 'fastify'

/** From a page with a form: its CSRF token and the cookie that goes with it, as a browser keeps them. */
export function formSecrets(
  page: LightMyRequestResponse,
  sessionCookie: string,
): { csrf: string; cookie: string } {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  const csrfCookie = String(page.headers['set-cookie'])
    .split(/,(?=\s*\w+=)/)
    .map((c) => c.split(';')[0]?.trim())
    .find((c) => c?.startsWith('_csrf='))
  return { csrf, cookie: `${sessionCookie}; ${csrfCookie}` }
}
