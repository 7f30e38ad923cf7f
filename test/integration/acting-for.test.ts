// Journey 5 through the HTTP edge: Greta gives Maria a power of attorney for elderly care; Maria
// switches to Greta's errands and applies for home care in her name; Greta sees who did it, and
// withdraws the power, which stops Maria's very next request. Around it: the power's areas and
// days, someone with no right at all, and a guardian whose child turns 18.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { createManualClock } from '../../src/platform/clock.ts'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

const VILGOT = '201309212395'

let t: TestApp
let greta: string
let maria: string
let gretaId: string
let mariaId: string
before(async () => {
  t = await buildTestApp()
  gretaId = await t.personId(PERSONS.greta)
  mariaId = await t.personId(PERSONS.maria)
  greta = await t.signIn(PERSONS.greta)
  maria = await t.signIn(PERSONS.maria)
})
after(() => t.close())

const page = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } })

/** Posts a form from the page it is on, as a browser without JavaScript would. */
async function submit(
  from: LightMyRequestResponse,
  cookie: string,
  url: string,
  fields: Record<string, string | string[]>,
) {
  const secrets = formSecrets(from, cookie)
  const body = new URLSearchParams({ _csrf: secrets.csrf })
  for (const [name, value] of Object.entries(fields))
    for (const v of ([] as string[]).concat(value)) body.append(name, v)
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: secrets.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  })
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

async function applyForHomeCare(cookie: string) {
  const form = await page('/ansok/hemtjanst', cookie)
  if (form.statusCode !== 200) return form
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
  return submit(form, cookie, '/ansok/hemtjanst', {
    idempotencyKey: key,
    insats: 'hemtjanst-omsorg',
    description: 'Mamma klarar inte längre att duscha och laga mat själv.',
  })
}

let caseId = ''
let powerId = ''

describe('a power of attorney between adults', () => {
  it('Greta gives Maria a power of attorney for elderly care and housing supplement on Mina sidor', async () => {
    const form = await page('/mina-sidor/fullmakter', greta)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /Du har inte gett någon fullmakt/)
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)?.[1] ?? ''

    const wrong = await submit(form, greta, '/mina-sidor/fullmakter', {
      idempotencyKey: key,
      holderPersonalNumber: '19681203-2397',
      validFrom: '2026-11-25',
      validTo: '2027-11-24',
    })
    assert.equal(wrong.statusCode, 422)
    assert.match(text(wrong.body), /Skriv ett giltigt personnummer/)
    assert.match(text(wrong.body), /Välj minst ett område/)
    assert.match(wrong.body, /value="19681203-2397"/, 'what was written is kept')

    const given = await submit(form, greta, '/mina-sidor/fullmakter', {
      idempotencyKey: key,
      holderPersonalNumber: '19681203-2396',
      areas: ['elderly-care', 'housing-supplement'],
      validFrom: '2026-11-25',
      validTo: '2027-11-24',
    })
    assert.equal(given.statusCode, 303)
    assert.equal(given.headers.location, '/mina-sidor/fullmakter?klart=given')
    const listed = text((await page('/mina-sidor/fullmakter?klart=given', greta)).body)
    assert.match(listed, /Fullmakten är klar/)
    assert.match(listed, /Till Maria Svensson/)
    assert.match(listed, /Äldreomsorg och hemtjänst, Bostadstillägg för pensionärer/)
    assert.match(listed, /25 november 2026 – 24 november 2027/)

    const api = await t.app.inject({
      url: `/api/v1/persons/${gretaId}/powers-of-attorney`,
      headers: { cookie: greta },
    })
    assert.equal(api.json().given.length, 1, 'a second submit of the same form gives no second power')
    powerId = api.json().given[0].id
    const marias = await t.app.inject({
      url: `/api/v1/persons/${mariaId}/powers-of-attorney`,
      headers: { cookie: maria },
    })
    assert.equal(marias.json().received[0].principal.name, 'Greta Svensson')
  })

  it('no one gives or reads powers of attorney in someone else’s name', async () => {
    const asMaria = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${gretaId}/powers-of-attorney`,
      headers: { cookie: maria, 'content-type': 'application/json', 'idempotency-key': 'give-0001' },
      payload: JSON.stringify({
        holderPersonalNumber: '19681203-2396',
        areas: ['personal-details'],
        validFrom: '2026-11-25',
        validTo: '2026-12-24',
      }),
    })
    assert.equal(asMaria.statusCode, 404)
    const read = await t.app.inject({
      url: `/api/v1/persons/${gretaId}/powers-of-attorney`,
      headers: { cookie: maria },
    })
    assert.equal(read.statusCode, 404)
  })

  it('Maria switches to Greta’s errands; every page says whose errands she handles', async () => {
    const choose = await page('/mina-sidor/vems-arenden', maria)
    assert.match(text(choose.body), /Greta Svensson/)
    assert.match(
      text(choose.body),
      /Fullmakt för: Äldreomsorg och hemtjänst, Bostadstillägg för pensionärer. Gäller till och med 24 november 2027/,
    )
    const chosen = await submit(choose, maria, '/mina-sidor/vems-arenden', { person: gretaId })
    assert.equal(chosen.statusCode, 303)
    for (const path of ['/', '/mina-arenden', '/tjanster']) {
      const shown = text((await page(path, maria)).body)
      assert.match(shown, /Du sköter ärenden åt Greta Svensson \(fullmakt\)/, path)
      assert.match(shown, /Tillbaka till mina egna ärenden/, path)
    }
  })

  it('Maria applies for home care in Greta’s name; the case is Greta’s and says who filed it', async () => {
    const filed = await applyForHomeCare(maria)
    assert.equal(filed.statusCode, 303)
    caseId = String(filed.headers.location).split('/').at(-1) as string

    const gretasCases = await t.app.inject({
      url: `/api/v1/persons/${gretaId}/cases`,
      headers: { cookie: greta },
    })
    const theCase = gretasCases.json().cases.find((c: { id: string }) => c.id === caseId)
    assert.deepEqual(theCase.filedBy, { name: 'Maria Svensson', basis: 'power-of-attorney' })
    assert.equal(theCase.agencyId, 'nacka-kommun', 'Greta’s municipality, not Maria’s Linköping')
    const mariasOwn = await t.app.inject({
      url: `/api/v1/persons/${mariaId}/cases`,
      headers: { cookie: maria },
    })
    assert.equal(mariasOwn.json().cases.length, 0, 'nothing was filed in Maria’s own name')

    const asMaria = text((await page(`/mina-arenden/${caseId}`, maria)).body)
    assert.match(asMaria, /Maria Svensson \(fullmakt\) ansökte om hemtjänst den 25 november 2026/)
  })

  it('Maria applies for housing supplement in Greta’s name, prefilled with Greta’s details', async () => {
    const form = await page('/ansok/bostadstillagg', maria)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /11 juni 1942/, 'Greta’s date of birth, not Maria’s')
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
    const filed = await submit(form, maria, '/ansok/bostadstillagg', {
      idempotencyKey: key,
      livesWithSpouseOrPartner: 'false',
      takesWholePublicPension: 'true',
      housingCostPerMonth: '6 500',
      incomeAfterTaxPerMonth: '11 800',
    })
    assert.equal(filed.statusCode, 303)
    const id = String(filed.headers.location).split('/').at(-1) as string
    const detail = await t.app.inject({
      url: `/api/v1/persons/${gretaId}/cases/${id}`,
      headers: { cookie: greta },
    })
    assert.equal(detail.json().serviceId, 'bostadstillagg-for-pensionarer')
    assert.deepEqual(detail.json().filedBy, { name: 'Maria Svensson', basis: 'power-of-attorney' })
  })

  it('Greta sees what Maria did in her name: in her cases, the case’s history and her access log', async () => {
    const list = text((await page('/mina-arenden', greta)).body)
    assert.match(list, /Hemtjänst Ansökt av Maria Svensson \(fullmakt\)/)
    const theCase = text((await page(`/mina-arenden/${caseId}`, greta)).body)
    assert.match(theCase, /Maria Svensson \(fullmakt\) ansökte om hemtjänst åt dig den 25 november 2026/)
    assert.match(theCase, /Ansökan kom in – av Maria Svensson \(fullmakt\)/)

    const reads = await sql<{ purpose: string; legal_basis: string; on_behalf_of: string }>`
      select purpose, legal_basis, on_behalf_of::text from people.access_log
      where person_id = ${gretaId} and actor_kind = 'person' and actor_id = ${mariaId}
        and on_behalf_of is not null`.execute(t.container.database.db)
    assert.ok(
      reads.rows.some((r) => r.purpose === 'application'),
      'Maria read Greta’s details to apply',
    )
    assert.ok(
      reads.rows.some((r) => r.purpose === 'case-overview'),
      'Maria saw Greta’s cases',
    )
    for (const r of reads.rows) {
      assert.equal(r.legal_basis, 'power-of-attorney')
      assert.equal(r.on_behalf_of, gretaId)
    }
  })

  it('a form filled in for Greta is not sent for Maria after she switches in another tab', async () => {
    const form = await page('/ansok/hemtjanst', maria)
    assert.match(form.body, new RegExp(`name="_for" value="${gretaId}"`))
    const own = await submit(await page('/', maria), maria, '/mina-sidor/vems-arenden', { person: 'self' })
    assert.equal(own.statusCode, 303)
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
    const sent = await submit(form, maria, '/ansok/hemtjanst', {
      _for: gretaId,
      idempotencyKey: key,
      insats: 'trygghetslarm',
      description: 'Mamma vill ha ett trygghetslarm hemma.',
    })
    assert.equal(sent.statusCode, 409)
    assert.match(text(sent.body), /Du har bytt vems ärenden du sköter sedan du öppnade formuläret/)
    const mariasOwn = await t.app.inject({
      url: `/api/v1/persons/${mariaId}/cases`,
      headers: { cookie: maria },
    })
    assert.equal(mariasOwn.json().cases.length, 0)
    const back = await submit(await page('/', maria), maria, '/mina-sidor/vems-arenden', { person: gretaId })
    assert.equal(back.statusCode, 303)
  })

  it('the power reaches only its areas: not Greta’s profile, plans or VAB', async () => {
    for (const path of ['/mina-sidor/profil', '/vab', '/ansok/vab']) {
      const res = await page(path, maria)
      assert.equal(res.statusCode, 403, path)
      assert.match(text(res.body), /Fullmakten gäller inte det här/, path)
    }
    const profile = await t.app.inject({ url: `/api/v1/persons/${gretaId}`, headers: { cookie: maria } })
    assert.equal(profile.statusCode, 403)
    assert.equal(profile.json().error.code, 'ACTING_FOR_OUT_OF_SCOPE')
    const plan = text((await page('/livshandelser/anhorig-behover-aldreomsorg', maria)).body)
    assert.match(plan, /En allmän plan/, 'a life event shows the general plan, not Greta’s')

    const byApi = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${gretaId}/applications/hemtjanst`,
      headers: { cookie: maria, 'content-type': 'application/json', 'idempotency-key': 'care-api-0001' },
      payload: JSON.stringify({
        insats: 'trygghetslarm',
        urgentNeed: false,
        description: 'Mamma vill ha ett trygghetslarm.',
      }),
    })
    assert.equal(byApi.statusCode, 201, 'the API reaches the same errand with the person in the path')
  })

  it('Greta withdraws the power of attorney, and Maria’s very next request is refused', async () => {
    const powers = await page('/mina-sidor/fullmakter', greta)
    assert.match(text(powers.body), /Återkalla fullmakten till Maria Svensson/)
    const withdrawn = await submit(powers, greta, `/mina-sidor/fullmakter/${powerId}/aterkalla`, {})
    assert.equal(withdrawn.statusCode, 303)
    assert.match(text((await page('/mina-sidor/fullmakter?klart=withdrawn', greta)).body), /Återkallad/)

    const next = await applyForHomeCare(maria)
    assert.equal(next.statusCode, 403)
    assert.match(text(next.body), /Du kan inte längre sköta ärenden åt Greta Svensson/)
    const anyPage = text((await page('/', maria)).body)
    assert.match(anyPage, /Du kan inte längre sköta ärenden åt Greta Svensson/)
    const api = await t.app.inject({ url: `/api/v1/persons/${gretaId}/cases`, headers: { cookie: maria } })
    assert.equal(api.statusCode, 404)

    const again = await submit(powers, greta, `/mina-sidor/fullmakter/${powerId}/aterkalla`, {})
    assert.equal(again.statusCode, 404)

    const back = await submit(await page('/', maria), maria, '/mina-sidor/vems-arenden', { person: 'self' })
    assert.equal(back.statusCode, 303)
    const own = text((await page('/mina-arenden', maria)).body)
    assert.doesNotMatch(own, /Du sköter ärenden åt/)
    assert.match(own, /Sköt ärenden åt någon annan/)
  })

  it('a power of attorney is used only between its days', async () => {
    const erikId = await t.personId(PERSONS.erik)
    const erik = await t.signIn(PERSONS.erik)
    const lina = await t.signIn(PERSONS.lina)
    const given = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${erikId}/powers-of-attorney`,
      headers: { cookie: erik, 'content-type': 'application/json', 'idempotency-key': 'erik-to-lina-1' },
      payload: JSON.stringify({
        holderPersonalNumber: PERSONS.lina,
        areas: ['parental-benefits'],
        validFrom: '2026-12-01',
        validTo: '2026-12-31',
      }),
    })
    assert.equal(given.statusCode, 201)
    assert.equal(given.json().status, 'not-yet-valid')
    const early = await t.app.inject({
      url: `/api/v1/persons/${erikId}/care-days`,
      headers: { cookie: lina },
    })
    assert.equal(early.statusCode, 403)
    assert.equal(early.json().error.code, 'ACTING_FOR_NOT_VALID')
    const choose = await page('/mina-sidor/vems-arenden', lina)
    assert.doesNotMatch(text(choose.body), /Erik Lindqvist/)
  })
})

describe('without a right', () => {
  it('Anna cannot act for Greta: the API does not reveal her, and she cannot be chosen', async () => {
    const anna = await t.signIn(PERSONS.anna)
    for (const url of [
      `/api/v1/persons/${gretaId}/cases`,
      `/api/v1/persons/${gretaId}`,
      `/api/v1/persons/${gretaId}/messages`,
    ]) {
      const res = await t.app.inject({ url, headers: { cookie: anna } })
      assert.equal(res.statusCode, 404, url)
    }
    const choose = await page('/mina-sidor/vems-arenden', anna)
    assert.match(text(choose.body), /Du kan inte sköta ärenden åt någon annan just nu/)
    const chosen = await submit(choose, anna, '/mina-sidor/vems-arenden', { person: gretaId })
    assert.equal(chosen.statusCode, 404)
    assert.doesNotMatch(text((await page('/', anna)).body), /Du sköter ärenden åt/)
  })
})

describe('a guardian, on the day the child turns 18', () => {
  // 23:50 in Stockholm on 20 September 2031; Vilgot turns 18 on the 21st.
  const clock = createManualClock('2031-09-20T21:50:00Z')
  let g: TestApp
  before(async () => {
    g = await buildTestApp({ clock })
  })
  after(() => g.close())

  it('Erik handles Vilgot’s errands until midnight, and the first request after it is refused', async () => {
    const erik = await g.signIn(PERSONS.erik)
    const vilgotId = await g.personId(VILGOT)
    const choose = await g.app.inject({ url: '/mina-sidor/vems-arenden', headers: { cookie: erik } })
    assert.match(
      text(choose.body),
      /Vilgot Lindqvist Ditt barn. Du är vårdnadshavare till och med 20 september 2031/,
    )
    const secrets = formSecrets(choose, erik)
    const chosen = await g.app.inject({
      method: 'POST',
      url: '/mina-sidor/vems-arenden',
      headers: { cookie: secrets.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: secrets.csrf, person: vilgotId }).toString(),
    })
    assert.equal(chosen.statusCode, 303)
    const before = await g.app.inject({ url: '/mina-arenden', headers: { cookie: erik } })
    assert.equal(before.statusCode, 200)
    assert.match(text(before.body), /Du sköter ärenden åt Vilgot Lindqvist \(vårdnadshavare\)/)
    const profile = await g.app.inject({ url: `/api/v1/persons/${vilgotId}`, headers: { cookie: erik } })
    assert.equal(profile.statusCode, 200, 'custody covers every area')

    clock.advance({ minutes: 20 })
    const after18 = await g.app.inject({ url: '/mina-arenden', headers: { cookie: erik } })
    assert.equal(after18.statusCode, 403)
    assert.match(text(after18.body), /Du kan inte längre sköta ärenden åt Vilgot Lindqvist/)
    const api = await g.app.inject({ url: `/api/v1/persons/${vilgotId}`, headers: { cookie: erik } })
    assert.equal(api.statusCode, 404)
  })
})
