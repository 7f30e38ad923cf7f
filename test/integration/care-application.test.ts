// Journey 5 as far as it goes without a power of attorney: Greta (84, Nacka) applies for home
// help herself; the law leaves the assessment to a person, so the rules send it to Nacka's social
// services, where a caseworker decides with reasons; Greta reads the decision.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

let t: TestApp
before(async () => {
  t = await buildTestApp()
})
after(() => t.close())

describe('applying for elderly care (bistånd)', () => {
  it('goes to the municipality’s caseworker, who decides with reasons; Greta reads the decision', async () => {
    const greta = await t.signIn(PERSONS.greta)
    const gretaId = await t.personId(PERSONS.greta)
    const form = await t.app.inject({ url: '/ansok/hemtjanst', headers: { cookie: greta } })
    assert.equal(form.statusCode, 200)
    const { csrf, cookie } = formSecrets(form, greta)
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
    const post = (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/ansok/hemtjanst',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, idempotencyKey: key, ...fields }).toString(),
      })
    const tooShort = await post({ insats: 'hemtjanst-omsorg', description: 'hjälp' })
    assert.equal(tooShort.statusCode, 422)
    assert.match(tooShort.body, /Berätta med några meningar/)
    const filed = await post({
      insats: 'hemtjanst-omsorg',
      description: 'Jag har svårt att duscha och laga mat själv sedan jag bröt höften.',
    })
    assert.equal(filed.statusCode, 303)
    const caseId = String(filed.headers.location).split('/').at(-1) as string

    const detail = (
      await t.app.inject({ url: `/api/v1/persons/${gretaId}/cases/${caseId}`, headers: { cookie: greta } })
    ).json()
    assert.equal(detail.status, 'in-queue')
    assert.equal(detail.agencyId, 'nacka-kommun')
    assert.equal(detail.queueReason, 'applied-for-bistand')
    const waiting = await t.app.inject({ url: `/mina-arenden/${caseId}`, headers: { cookie: greta } })
    assert.equal(waiting.statusCode, 200)
    assert.match(waiting.body, /En handläggare i kommunen går igenom din ansökan/)

    const karin = await t.signIn(PERSONS.karin, { roles: ['caseworker'], agencyId: 'forsakringskassan' })
    assert.equal(
      (await t.app.inject({ url: `/handlaggning/${caseId}`, headers: { cookie: karin } })).statusCode,
      404,
      'not Försäkringskassan’s case',
    )
    const ahmed = await t.signIn('198503092382', { roles: ['caseworker'], agencyId: 'nacka-kommun' })
    const queue = await t.app.inject({ url: '/handlaggning', headers: { cookie: ahmed } })
    assert.match(queue.body, new RegExp(caseId))
    const page = await t.app.inject({ url: `/handlaggning/${caseId}`, headers: { cookie: ahmed } })
    assert.match(page.body, /bröt höften/)
    assert.match(page.body, /19420611-2387/)
    const secrets = formSecrets(page, ahmed)
    const decide = (fields: string) =>
      t.app.inject({
        method: 'POST',
        url: `/handlaggning/${caseId}/bedomning`,
        headers: { cookie: secrets.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(secrets.csrf)}&${fields}`,
      })
    assert.equal((await decide('note=')).statusCode, 422)
    const done = await decide(
      `outcome=approved&note=${encodeURIComponent('Greta behöver hjälp med hygien och måltider morgon och kväll, 14 timmar i veckan.')}`,
    )
    assert.equal(done.statusCode, 303)

    const letter = await t.app.inject({ url: `/mina-arenden/${caseId}`, headers: { cookie: greta } })
    assert.match(letter.body, /Du får hemtjänst med personlig omvårdnad/)
    assert.match(letter.body, /14 timmar i veckan/)
    assert.match(letter.body, /förvaltningsrätten/)
    const pdf = await t.app.inject({ url: `/mina-arenden/${caseId}/beslut.pdf`, headers: { cookie: greta } })
    assert.equal(pdf.statusCode, 200)
    assert.equal(pdf.headers['content-type'], 'application/pdf')
    assert.ok(pdf.rawPayload.subarray(0, 5).toString() === '%PDF-')
    const log = await t.container.people.countAccessRecords(gretaId)
    assert.ok(log > 0)
  })
})
