// The portal and the API through the HTTP edge (Fastify inject): what a citizen sees, what an API
// client gets, and what happens with bad input or someone else's data.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

let t: TestApp
before(async () => {
  t = await buildTestApp()
})
after(() => t.close())

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers })

describe('a visitor who is not signed in', () => {
  it('meets the life events on the start page, in Swedish', async () => {
    const res = await get('/')
    assert.equal(res.statusCode, 200)
    assert.match(res.headers['content-type'] as string, /text\/html/)
    assert.match(res.body, /<html lang="sv"/)
    for (const title of ['Vi ska få barn', 'Barnet är sjukt', 'Starta företag', 'Flytta', 'Deklarera'])
      assert.ok(res.body.includes(title), title)
  })

  it('can switch to English, and the choice is remembered', async () => {
    const res = await get('/?lang=en')
    assert.match(res.body, /<html lang="en"/)
    const cookie = String(res.headers['set-cookie'])
    assert.match(cookie, /samla_lang=en/)
    const next = await get('/', { cookie: cookie.split(';')[0] as string })
    assert.match(next.body, /What is happening in your life\?/)
  })

  it('sees a general plan, with dates once they enter one', async () => {
    const general = await get('/livshandelser/vi-ska-fa-barn')
    assert.equal(general.statusCode, 200)
    assert.match(general.body, /En allmän plan/)
    const dated = await get('/livshandelser/vi-ska-fa-barn?datum=2027-03-12')
    assert.match(dated.body, /12 juni 2027/)
  })

  it('is sent to sign in for personal pages', async () => {
    const res = await get('/mina-sidor/profil')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/logga-in?returnTo=%2Fmina-sidor%2Fprofil')
  })

  it('reads service pages, and a municipality’s version of a national template', async () => {
    const service = await get('/tjanster/barnbidrag')
    assert.equal(service.statusCode, 200)
    const local = await get('/tjanster/ansokan-om-forskoleplats?kommun=nacka-kommun')
    assert.equal(local.statusCode, 200)
    assert.match(local.body, /Nacka kommun/)
  })
})

describe('Anna, signed in', () => {
  let cookie: string
  let annaId: string
  before(async () => {
    cookie = await t.signIn(PERSONS.anna)
    annaId = await t.personId(PERSONS.anna)
  })

  it('sees her personal plan for "Vi ska få barn" with dates from her registered pregnancy', async () => {
    const res = await get('/livshandelser/vi-ska-fa-barn', { cookie })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Din personliga plan/)
    assert.match(res.body, /12 mars 2027/)
    assert.match(res.body, /lör 12 juni 2027/)
    assert.match(res.body, /Linköpings kommun/)
    assert.match(res.body, /Region Östergötland/)
  })

  it('gets the same plan as JSON from the API', async () => {
    const res = await get(`/api/v1/persons/${annaId}/plans/vi-ska-fa-barn`, { cookie })
    assert.equal(res.statusCode, 200)
    const plan = res.json()
    assert.equal(plan.personal, true)
    assert.equal(plan.anchor.date, '2027-03-12')
    assert.equal(plan.anchor.source, 'register')
    const name = plan.steps.find((s: { id: string }) => s.id === 'ansok-om-namn')
    assert.equal(name.due.date, '2027-06-12')
    assert.equal(name.responsible.agencyId, 'skatteverket')
  })

  it('sees her profile and her (empty) cases', async () => {
    const profile = await get('/mina-sidor/profil', { cookie })
    assert.match(profile.body, /19970514-2389/)
    const api = await get(`/api/v1/persons/${annaId}`, { cookie })
    assert.equal(api.json().givenName, 'Anna')
    assert.equal(
      api.json().occupation.annualIncomeSek,
      undefined,
      'income does not leave through the profile',
    )
    const cases = await get('/mina-arenden', { cookie })
    assert.match(cases.body, /Du har inga ärenden än/)
    assert.deepEqual((await get(`/api/v1/persons/${annaId}/cases`, { cookie })).json(), { cases: [] })
  })

  it('cannot read anyone else’s profile, plan or cases on any route', async () => {
    const greta = await t.personId(PERSONS.greta)
    for (const url of [
      `/api/v1/persons/${greta}`,
      `/api/v1/persons/${greta}/plans/vi-ska-fa-barn`,
      `/api/v1/persons/${greta}/cases`,
    ]) {
      const res = await get(url, { cookie })
      assert.equal(res.statusCode, 404, url)
      assert.equal(res.json().error.code, 'PERSON_NOT_FOUND', url)
      assert.ok(!res.body.includes('Greta'), url)
    }
    const me = await get('/api/v1/me', { cookie })
    assert.equal(me.json().personId, annaId)
  })

  it('signs out with the form (CSRF checked), and the session is gone', async () => {
    const page = await get('/', { cookie })
    const { csrf: token, cookie: formCookie } = formSecrets(page, cookie)
    assert.ok(token)
    const refused = await t.app.inject({
      method: 'POST',
      url: '/logga-ut',
      headers: { cookie },
      payload: { _csrf: 'wrong' },
    })
    assert.equal(refused.statusCode, 403)
    const out = await t.app.inject({
      method: 'POST',
      url: '/logga-ut',
      headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}`,
    })
    assert.equal(out.statusCode, 303)
    assert.equal(out.headers.location, '/utloggad')
    const after = await get('/api/v1/me', { cookie })
    assert.equal(after.statusCode, 401)
  })
})

describe('bad input gets a clear answer, never a 500', () => {
  it('an unknown life event: 404 page in Swedish, JSON in English when asked', async () => {
    const page = await get('/livshandelser/finns-inte')
    assert.equal(page.statusCode, 404)
    assert.match(page.body, /Den livshändelsen finns inte i Samla/)
    const api = await get('/api/v1/life-events/finns-inte', { 'accept-language': 'en-GB,en;q=0.9' })
    assert.equal(api.statusCode, 404)
    assert.deepEqual(api.json().error.code, 'LIFE_EVENT_NOT_FOUND')
    assert.match(api.json().error.message, /That life event is not in Samla/)
  })

  it('malformed ids: 400 with the field named', async () => {
    const cookie = await t.signIn(PERSONS.erik)
    for (const url of [
      '/api/v1/life-events/Not%20An%20Id',
      '/api/v1/persons/123',
      '/livshandelser/%3Cscript%3E',
    ]) {
      const res = await get(url, { cookie })
      assert.equal(res.statusCode, 400, url)
      assert.ok(!res.body.includes('<script>'), url)
    }
    assert.equal((await get(`/api/v1/persons/${'x'.repeat(300)}`, { cookie })).statusCode, 414)
    const res = await get('/api/v1/persons/123', { cookie })
    assert.equal(res.json().error.code, 'INVALID_INPUT')
    assert.equal(res.json().error.fields[0].field, 'params.personId')
  })

  it('an impossible date or an unknown municipality in a plan', async () => {
    for (const date of ['2027-02-30', '12/03/2027', '99999-01-01']) {
      const res = await get(`/api/v1/life-events/vi-ska-fa-barn/plan?date=${date}`)
      assert.equal(res.statusCode, 400, date)
    }
    assert.equal(
      (await get('/api/v1/life-events/vi-ska-fa-barn/plan?date=2027-02-30')).json().error.code,
      'INVALID_DATE',
    )
    const res = await get('/livshandelser/flytta?kommun=skatteverket')
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Kommunen finns inte i Samla/)
  })

  it('a forged session cookie: 401 that says to sign in again, and the cookie is cleared', async () => {
    const forged = 'samla_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
    const page = await get('/mina-sidor/profil', { cookie: forged })
    assert.equal(page.statusCode, 401)
    assert.match(page.body, /Logga in igen/)
    assert.match(String(page.headers['set-cookie']), /samla_session=;/)
    const api = await get('/api/v1/me', { cookie: forged })
    assert.equal(api.json().error.code, 'SESSION_EXPIRED')
    const publicPage = await get('/', { cookie: forged })
    assert.equal(publicPage.statusCode, 200)
  })

  it('a callback without a sign-in in progress, or with a tampered one', async () => {
    const none = await get('/auth/callback?code=abc&state=def')
    assert.equal(none.statusCode, 400)
    assert.match(none.body, /Börja om och logga in igen/)
    const tampered = await get('/auth/callback?code=abc&state=def', {
      cookie: 'samla_login=%7B%22state%22%3A%22def%22%7D.forged',
    })
    assert.equal(tampered.statusCode, 400)
  })

  it('an unknown address, a wrong method, a body that is not JSON', async () => {
    assert.equal((await get('/finns/inte')).statusCode, 404)
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/logga-ut',
      headers: { 'content-type': 'application/xml' },
      payload: '<x/>',
    })
    assert.ok(wrongType.statusCode >= 400 && wrongType.statusCode < 500)
    const broken = await t.app.inject({
      method: 'POST',
      url: '/logga-ut',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    })
    assert.ok(broken.statusCode >= 400 && broken.statusCode < 500)
  })
})

describe('the API description and health', () => {
  it('serves OpenAPI 3.1 generated from the validating schemas', async () => {
    const res = await get('/api/openapi.json')
    assert.equal(res.statusCode, 200)
    const spec = res.json()
    assert.equal(spec.openapi, '3.1.0')
    assert.ok(spec.paths['/api/v1/life-events'])
    assert.ok(spec.paths['/api/v1/life-events/{id}'])
    assert.ok(spec.paths['/api/v1/persons/{personId}/plans/{lifeEventId}'])
    assert.equal(spec.paths['/livshandelser/{id}'], undefined, 'pages are not part of the API')
    assert.equal((await get('/api/docs/')).statusCode, 200)
  })

  it('lists life events and serves one', async () => {
    const list = (await get('/api/v1/life-events')).json()
    assert.equal(list.lifeEvents.length, 8)
    const one = (await get('/api/v1/life-events/flytta')).json()
    assert.equal(one.id, 'flytta')
    assert.ok(one.steps.every((s: { responsible: string }) => typeof s.responsible === 'string'))
  })

  it('answers /healthz when the database is ready', async () => {
    const res = await get('/healthz')
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().status, 'ok')
  })

  it('sends security headers: a CSP without inline script', async () => {
    const csp = String((await get('/')).headers['content-security-policy'])
    assert.match(csp, /script-src 'self'/)
    assert.ok(!csp.includes('unsafe-inline') || !/script-src[^;]*unsafe-inline/.test(csp))
  })
})

describe('the rules in the open', () => {
  it('lists the rule sets and evaluates one from a form built from its inputs, with reasons', async () => {
    assert.match((await get('/regler')).body, /Vård av sjukt barn \(VAB\)/)
    const page = await get('/regler/vab')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /name="careFraction"/)
    assert.match(page.body, /Inte bekräftad/, 'the unverified deadline is marked')
    const q = new URLSearchParams({
      datum: '2026-02-10',
      childBirthDate: '2021-03-17',
      careDate: '2026-02-10',
      dayOfCarePeriod: '1',
      careFraction: '1',
      reason: 'child-ill',
      seriouslyIll: 'false',
      inHospitalOrChildcare: 'false',
      hasCertificate: 'false',
      hasDoctorStatement: 'false',
      hasAdvanceDecision: 'false',
      daysUsedThisYear: '0',
      otherCareSameDay: '0',
      applicant: 'parent',
      rightTransferred: 'false',
      annualSgi: '420000',
      employment: 'employee',
      applicationDate: '2026-02-20',
    })
    const result = await get(`/regler/vab?${q}`)
    assert.equal(result.statusCode, 200)
    assert.match(result.body, /1253\.54|1 253,54/)
    assert.match(result.body, /Barnet var under 12 år/)
    q.set('annualSgi', 'mycket')
    const bad = await get(`/regler/vab?${q}`)
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /Skriv ett tal/)
    assert.equal((await get('/regler/finns-inte')).statusCode, 404)
  })
})

describe('roles from an external provider', () => {
  it('shows the roles Samla knows on the profile and ignores others, never failing', async () => {
    const cookie = await t.signIn(PERSONS.karin, {
      roles: ['caseworker', 'admin-of-something-else'],
      agencyId: 'forsakringskassan',
    })
    const res = await get('/mina-sidor/profil', { cookie })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /Handläggare/)
    assert.doesNotMatch(res.body, /admin-of-something-else/)
  })
})
