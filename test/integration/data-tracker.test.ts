// "Vem har sett mina uppgifter" and "Mina uppgifter" through the HTTP edge: Erik sees every read of
// his data – his own, Samla's, the rules' and the caseworker's who decided his case (journey 7) –
// in plain words, filtered and a page at a time; he downloads everything Samla holds about him,
// and the download is in the list too. No one sees anyone else's.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'

let t: TestApp
let erik: string
let erikCookie: string
let linaCookie: string
let annaCookie: string
let elsa: string
let caseId: string

const get = (url: string, cookie: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { cookie, ...headers } })

before(async () => {
  t = await buildTestApp()
  erik = await t.personId(PERSONS.erik)
  elsa = await t.personId('202103172389')
  erikCookie = await t.signIn(PERSONS.erik)
  linaCookie = await t.signIn(PERSONS.lina)
  annaCookie = await t.signIn(PERSONS.anna)
  // Erik and Lina both claim Monday for Elsa: the rules read Lina's claim deciding Erik's, and the
  // case goes to a caseworker at Försäkringskassan, who opens it.
  const lina = await t.personId(PERSONS.lina)
  const apply = (personId: string, cookie: string, key: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${personId}/applications/vab`,
      headers: { cookie, 'content-type': 'application/json', 'idempotency-key': key },
      payload: JSON.stringify({
        childPersonId: elsa,
        days: [{ date: '2026-11-23', fraction: 1, reason: 'child-ill' }],
      }),
    })
  assert.equal((await apply(lina, linaCookie, 'tracker-lina-1')).statusCode, 201)
  const filed = await apply(erik, erikCookie, 'tracker-erik-1')
  assert.equal(filed.json().status, 'in-queue')
  caseId = filed.json().caseId
  const karin = await t.signIn(PERSONS.karin, { roles: ['caseworker'], agencyId: 'forsakringskassan' })
  assert.equal((await get('/handlaggning', karin)).statusCode, 200)
  assert.equal((await get(`/handlaggning/${caseId}`, karin)).statusCode, 200)
  assert.equal((await get('/mina-sidor/profil', erikCookie)).statusCode, 200)
})
after(() => t.close())

describe('Erik’s list of who has seen his data', () => {
  it('shows every read in plain Swedish: who, what, when, why and on what basis', async () => {
    const page = await get('/mina-sidor/vem-har-sett', erikCookie)
    assert.equal(page.statusCode, 200)
    for (const words of [
      'Vem har sett mina uppgifter',
      'Du själv',
      'För att visa profilen',
      'namn, personnummer och födelsedatum',
      'Du bad om det själv',
      'En handläggare på Försäkringskassan',
      'För att handlägga ett ärende om dig',
      'Myndigheten handlägger ett ärende om dig',
      'Samla, när uppgifterna hämtades från folkbokföringen',
    ])
      assert.ok(page.body.includes(words), words)
    assert.match(page.body, /<time datetime="2026-11-25T/)
  })

  it('shows Lina that the rules read her claim when they decided Erik’s application', async () => {
    const res = await get('/api/v1/me/access-records?reader=rule', linaCookie)
    assert.equal(res.statusCode, 200)
    const [record] = res.json().records
    assert.equal(
      record.reader.text,
      'Ett automatiskt beslut enligt reglerna för Vård av sjukt barn (VAB), version 2026.2 (Försäkringskassan)',
    )
    assert.deepEqual(record.ruleSet ?? record.reader.ruleSet, { id: 'vab', version: '2026.2' })
    assert.equal(record.purpose.id, 'case-decision')
    assert.deepEqual(
      record.categories.map((c: { id: string }) => c.id),
      ['cases'],
    )
  })

  it('records the caseworker’s queue and case with her agency, and the case as the reason', async () => {
    const res = await get('/api/v1/me/access-records?reader=caseworker', erikCookie)
    const records = res.json().records as Array<{
      reader: { agencyId: string; text: string }
      purpose: { id: string }
      categories: Array<{ id: string }>
    }>
    assert.ok(records.length >= 2, 'the queue listing and the opened case')
    for (const r of records) {
      assert.equal(r.reader.agencyId, 'forsakringskassan')
      assert.equal(r.purpose.id, 'case-handling')
    }
    const opened = records.find((r) => r.categories.some((c) => c.id === 'identity'))
    assert.ok(opened, 'the case with Erik’s register data')
    assert.ok(opened.categories.some((c) => c.id === 'cases'))
  })

  it('filters by who, agency, reason and period, without JavaScript', async () => {
    const mine = await get('/mina-sidor/vem-har-sett?vem=self', erikCookie)
    assert.match(mine.body, /– Du själv<\/h3>/)
    assert.doesNotMatch(mine.body, /– En handläggare på/)
    const byAgency = await get('/mina-sidor/vem-har-sett?myndighet=forsakringskassan', erikCookie)
    assert.match(byAgency.body, /<option value="forsakringskassan" selected>Försäkringskassan<\/option>/)
    assert.match(byAgency.body, /– En handläggare på Försäkringskassan<\/h3>/)
    assert.doesNotMatch(byAgency.body, /– Du själv<\/h3>/)
    const byPurpose = await get('/mina-sidor/vem-har-sett?syfte=profile', erikCookie)
    assert.match(byPurpose.body, /<dd>För att visa profilen<\/dd>/)
    assert.doesNotMatch(byPurpose.body, /<dd>För att handlägga/)
    const today = await get('/mina-sidor/vem-har-sett?fran=2026-11-25&till=2026-11-25', erikCookie)
    assert.match(today.body, /– Du själv<\/h3>/)
    const later = await get('/mina-sidor/vem-har-sett?fran=2026-11-26', erikCookie)
    assert.match(later.body, /Det finns inget som passar det du har valt/)
  })

  it('answers bad filters with a message a person can act on', async () => {
    const badDate = await get('/mina-sidor/vem-har-sett?fran=2026-02-30', erikCookie)
    assert.equal(badDate.statusCode, 400)
    assert.match(badDate.body, /Skriv datumet som ÅÅÅÅ-MM-DD/)
    assert.match(badDate.body, /aria-invalid="true"/)
    const backwards = await get('/mina-sidor/vem-har-sett?fran=2026-11-25&till=2026-11-01', erikCookie)
    assert.equal(backwards.statusCode, 400)
    assert.match(backwards.body, /kan inte vara före/)
    const who = await get('/mina-sidor/vem-har-sett?vem=hackare', erikCookie)
    assert.equal(who.statusCode, 400)
    const api = await get('/api/v1/me/access-records?from=2026-11-25&to=2026-11-01', erikCookie)
    assert.equal(api.statusCode, 400)
    assert.equal(api.json().error.code, 'INVALID_PERIOD')
    const apiDate = await get('/api/v1/me/access-records?from=igår', erikCookie)
    assert.equal(apiDate.statusCode, 400)
    assert.equal(apiDate.json().error.code, 'INVALID_INPUT')
  })

  it('comes a page at a time, newest first, with links that keep the filter', async () => {
    for (let i = 0; i < 25; i++) await get('/mina-sidor/profil', erikCookie)
    const first = await get('/mina-sidor/vem-har-sett?vem=self', erikCookie)
    assert.match(first.body, /Sida 1 av 2/)
    assert.match(first.body, /href="\/mina-sidor\/vem-har-sett\?vem=self&amp;sida=2" rel="next"/)
    const second = await get('/mina-sidor/vem-har-sett?vem=self&sida=2', erikCookie)
    assert.match(second.body, /Sida 2 av 2/)
    const api = (await get('/api/v1/me/access-records?pageSize=5', erikCookie)).json()
    assert.equal(api.records.length, 5)
    assert.equal(api.pageSize, 5)
    const seqs = api.records.map((r: { seq: number }) => r.seq)
    assert.deepEqual(
      seqs,
      [...seqs].sort((a: number, b: number) => b - a),
    )
  })

  it('is in English too', async () => {
    const page = await get('/mina-sidor/vem-har-sett?lang=en&vem=caseworker', erikCookie)
    assert.match(page.body, /Who has seen my data/)
    assert.match(page.body, /– A caseworker at Swedish Social Insurance Agency<\/h3>/)
    assert.match(page.body, /<dd>To handle a case about you<\/dd>/)
  })

  it('shows Anna only her own records, and asks whoever is not signed in to sign in', async () => {
    const anna = (await get('/api/v1/me/access-records?pageSize=100', annaCookie)).json()
    const annaId = await t.personId(PERSONS.anna)
    assert.ok(anna.records.length > 0)
    assert.ok(anna.records.every((r: { reader: { kind: string } }) => r.reader.kind !== 'caseworker'))
    const page = await get('/mina-sidor/vem-har-sett', annaCookie)
    assert.doesNotMatch(page.body, /Försäkringskassan/)
    assert.ok(annaId)
    assert.equal((await t.app.inject({ url: '/api/v1/me/access-records' })).statusCode, 401)
    assert.equal((await t.app.inject({ url: '/mina-sidor/vem-har-sett' })).statusCode, 303)
  })

  it('is linked from the profile page', async () => {
    const profile = await get('/mina-sidor/profil', erikCookie)
    assert.match(profile.body, /href="\/mina-sidor\/vem-har-sett"/)
    assert.match(profile.body, /href="\/mina-sidor\/mina-uppgifter"/)
  })
})

describe('Erik downloads everything Samla holds about him', () => {
  it('gets one file from every module: register, cases, sign-ins and access records', async () => {
    const res = await get('/mina-sidor/mina-uppgifter.json', erikCookie)
    assert.equal(res.statusCode, 200)
    assert.match(
      String(res.headers['content-disposition']),
      /attachment; filename="samla-mina-uppgifter-2026-11-25\.json"/,
    )
    const data = res.json()
    assert.equal(data.format, 'samla-personal-data/1')
    assert.equal(data.personId, erik)
    assert.deepEqual(Object.keys(data.sections), ['register', 'cases', 'sign-ins', 'access-records'])
    assert.equal(data.sections.register.identity.givenName, 'Erik')
    assert.ok(data.sections.register.family.some((f: { givenName: string }) => f.givenName === 'Elsa'))
    const mine = data.sections.cases.cases.find((c: { id: string }) => c.id === caseId)
    assert.equal(mine.application.childPersonId, elsa)
    assert.ok(mine.history.length > 0)
    assert.ok(data.sections['sign-ins'].sessions.length >= 1)
    assert.equal(JSON.stringify(data.sections['sign-ins']).includes('token'), false)
    assert.ok(data.sections['access-records'].length > 10)
    assert.ok(data.sections['access-records'].every((r: { hash: string }) => /^[0-9a-f]{64}$/.test(r.hash)))
  })

  it('finds the download itself among the reads of his data', async () => {
    const before = (await get('/api/v1/me/access-records?purpose=data-export', erikCookie)).json().total
    assert.equal((await get('/api/v1/me/personal-data', erikCookie)).statusCode, 200)
    const after = (await get('/api/v1/me/access-records?purpose=data-export', erikCookie)).json()
    assert.equal(after.total, before + 1)
    assert.equal(after.records[0].reader.kind, 'self')
    assert.ok(after.records[0].categories.length >= 6)
  })

  it('shows a readable summary, and gives Anna none of Erik’s cases', async () => {
    const page = await get('/mina-sidor/mina-uppgifter', erikCookie)
    assert.equal(page.statusCode, 200)
    for (const words of [
      'Mina uppgifter',
      'Från folkbokföringen',
      'Dina ärenden',
      'Tillfällig föräldrapenning vid vård av barn',
      'Ladda ned allt som en fil',
    ])
      assert.ok(page.body.includes(words), words)
    const anna = (await get('/api/v1/me/personal-data', annaCookie)).json()
    assert.notEqual(anna.personId, erik)
    assert.equal(JSON.stringify(anna).includes(caseId), false)
    assert.equal((await t.app.inject({ url: '/api/v1/me/personal-data' })).statusCode, 401)
  })
})
