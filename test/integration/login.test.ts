// Signing in with OpenID Connect over real HTTP: Samla as relying party, the embedded development
// provider as OpenID Provider, a browser played by fetch with its own cookie jar.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { freePort } from '../helpers/free-port.ts'

let t: TestApp
let base: string

before(async () => {
  const port = await freePort()
  base = `http://localhost:${port}`
  t = await buildTestApp({ env: { PORT: String(port), PUBLIC_URL: base } })
  await t.app.listen({ port, host: '127.0.0.1' })
})
after(() => t.close())

/** Follows redirects by hand and keeps cookies per path, as a browser would. */
class Browser {
  cookies = new Map<string, { value: string; path: string }>()

  header(url: URL): string {
    return [...this.cookies]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ')
  }

  keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const path =
        attrs
          .map((a) => a.trim())
          .find((a) => a.toLowerCase().startsWith('path='))
          ?.slice(5) ?? '/'
      const expired = attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim())) || value === ''
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, { value, path })
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, base)
    const res = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as object), cookie: this.header(target) },
    })
    this.keep(res)
    return res
  }

  /** Requests and follows redirects; returns the last response and the URL it came from. */
  async go(url: string, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
    let res = await this.request(url, init)
    let current = new URL(url, base).toString()
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      current = new URL(res.headers.get('location') ?? '/', current).toString()
      res = await this.request(current)
    }
    return { res, url: current }
  }
}

async function signInAs(browser: Browser, personalNumber: string, returnTo: string) {
  const { res, url } = await browser.go(`/logga-in?returnTo=${encodeURIComponent(returnTo)}`)
  assert.equal(res.status, 200)
  assert.match(url, /\/idp-login\//)
  const html = await res.text()
  assert.match(html, /Logga in med test-e-legitimation/)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  return browser.go(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, personalNumber }).toString(),
  })
}

describe('signing in through the development identity provider', () => {
  it('brings Anna back to her plan, signed in at the assurance level of a Swedish eID', async () => {
    const browser = new Browser()
    const { res, url } = await signInAs(browser, PERSONS.anna, '/livshandelser/vi-ska-fa-barn')
    assert.equal(new URL(url).pathname, '/livshandelser/vi-ska-fa-barn')
    const html = await res.text()
    assert.match(html, /Inloggad som Anna Berg/)
    assert.match(html, /Din personliga plan/)
    const session = browser.cookies.get('samla_session')
    assert.ok(session, 'a session cookie')
    const me = await (await browser.request('/api/v1/me')).json()
    assert.equal(me.name, 'Anna Berg')
    assert.equal(me.assuranceLevel, 'http://id.elegnamnden.se/loa/1.0/loa3')
    assert.equal(me.personId, await t.personId(PERSONS.anna))
  })

  it('gives the caseworker her role and agency from the provider’s claims', async () => {
    const browser = new Browser()
    await signInAs(browser, PERSONS.karin, '/')
    const me = await (await browser.request('/api/v1/me')).json()
    assert.deepEqual(me.roles, ['caseworker'])
    assert.equal(me.agencyId, 'forsakringskassan')
  })

  it('sets the session cookie HttpOnly, Secure and SameSite', async () => {
    const browser = new Browser()
    const login = await browser.request('/logga-in')
    const provider = await browser.go(login.headers.get('location') ?? '')
    const html = await provider.res.text()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
    let res = await browser.request(provider.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, personalNumber: PERSONS.erik }).toString(),
    })
    let setCookie = ''
    while (res.status >= 300 && res.status < 400) {
      const next = res.headers.get('location') ?? '/'
      if (new URL(next, base).pathname === '/auth/callback') {
        res = await browser.request(next)
        setCookie = res.headers.getSetCookie().find((c) => c.startsWith('samla_session=')) ?? ''
        break
      }
      res = await browser.request(next)
    }
    assert.match(setCookie, /HttpOnly/)
    assert.match(setCookie, /Secure/)
    assert.match(setCookie, /SameSite=Lax/)
  })

  it('refuses a callback whose state does not match the sign-in that was started', async () => {
    const browser = new Browser()
    await browser.request('/logga-in')
    const res = await browser.request('/auth/callback?code=stolen-code&state=not-the-state')
    assert.equal(res.status, 400)
    assert.match(await res.text(), /Inloggningen kunde inte slutföras/)
    assert.equal(browser.cookies.get('samla_session'), undefined)
  })

  it('refuses an unknown person at the provider', async () => {
    const browser = new Browser()
    const { url, res } = await browser.go('/logga-in')
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1] ?? ''
    const post = await browser.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, personalNumber: '201701022384' }).toString(),
    })
    assert.equal(post.status, 400)
  })
})
