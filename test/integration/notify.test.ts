// Notifications through the HTTP edge: Erik chooses e-mail in the preference centre (a form that
// works without JavaScript, or the API), applies for VAB, and the decision's e-mail arrives over
// SMTP in the development mailbox. Bad input gets a clear 4xx; Anna reaches none of Erik's.
import assert from 'node:assert/strict'
import { createECDH, randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createJobWorker } from '../../src/app/jobs.ts'
import type { Worker } from '../../src/platform/jobs/worker.ts'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

let t: TestApp
let worker: Worker
let erik: string
let erikCookie: string
let anna: string
let annaCookie: string
before(async () => {
  t = await buildTestApp()
  worker = createJobWorker(t.container)
  erik = await t.personId(PERSONS.erik)
  anna = await t.personId(PERSONS.anna)
  erikCookie = await t.signIn(PERSONS.erik)
  annaCookie = await t.signIn(PERSONS.anna)
})
after(() => t.close())

const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, cookie: string, body?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  })

function browserSubscription(endpoint: string) {
  const ecdh = createECDH('prime256v1')
  ecdh.generateKeys()
  return {
    endpoint,
    expirationTime: null,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  }
}

describe('the preference centre as a page', () => {
  it('asks a visitor to sign in first', async () => {
    const res = await t.app.inject({ url: '/mina-sidor/aviseringar' })
    assert.equal(res.statusCode, 303)
    assert.match(String(res.headers.location), /^\/logga-in\?returnTo=%2Fmina-sidor%2Faviseringar/)
  })

  it('shows what each problem is, keeps what was typed and saves nothing', async () => {
    const page = await t.app.inject({ url: '/mina-sidor/aviseringar', headers: { cookie: erikCookie } })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Hur vill du få aviseringar\?/)
    const { csrf, cookie } = formSecrets(page, erikCookie)
    const res = await t.app.inject({
      method: 'POST',
      url: '/mina-sidor/aviseringar',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrf,
        channel1: 'sms',
        channel2: 'sms',
        language: 'sv',
        quietFrom: '25:00',
        quietUntil: '07:00',
        email: '',
        mobile: 'abc',
      }).toString(),
    })
    assert.equal(res.statusCode, 422)
    assert.match(res.body, /Välj varje sätt bara en gång/)
    assert.match(res.body, /Skriv tiden som tt:mm/)
    assert.match(res.body, /Skriv ett mobilnummer/)
    assert.match(res.body, /href="#mobile"/)
    assert.match(res.body, /value="abc"/)
    const saved = await api('GET', `/api/v1/persons/${erik}/notification-preferences`, erikCookie)
    assert.deepEqual(saved.json().channels, [])
  })

  it('saves the choices from a form posted without JavaScript', async () => {
    const page = await t.app.inject({ url: '/mina-sidor/aviseringar', headers: { cookie: erikCookie } })
    const { csrf, cookie } = formSecrets(page, erikCookie)
    const res = await t.app.inject({
      method: 'POST',
      url: '/mina-sidor/aviseringar',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrf,
        channel1: 'email',
        channel2: 'sms',
        channel3: '',
        language: 'sv',
        quietFrom: '21:00',
        quietUntil: '07:00',
        email: 'erik.lindqvist@example.se',
        mobile: '070-765 43 21',
        copyToRepresentatives: 'on',
      }).toString(),
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/mina-sidor/aviseringar?sparat=1')
    const after = await t.app.inject({
      url: '/mina-sidor/aviseringar?sparat=1',
      headers: { cookie: erikCookie },
    })
    assert.match(after.body, /Dina val är sparade/)
    assert.match(after.body, /name="copyToRepresentatives" value="on"[^>]* checked>/)
    assert.match(after.body, /Skicka en kopia till dem som har fullmakt för mig/)
    const saved = await api('GET', `/api/v1/persons/${erik}/notification-preferences`, erikCookie)
    assert.deepEqual(saved.json(), {
      channels: ['email', 'sms'],
      language: 'sv',
      quietHours: { from: '21:00', until: '07:00' },
      preferredHours: null,
      email: 'erik.lindqvist@example.se',
      mobile: '+46707654321',
      copyToRepresentatives: true,
    })
  })

  it('refuses a form without its CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/mina-sidor/aviseringar',
      headers: { cookie: erikCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'channel1=email&language=sv&email=x%40example.se',
    })
    assert.equal(res.statusCode, 403)
  })
})

describe('the preference centre through the API', () => {
  it('answers problems with 422 and a message for each field, in the asked language', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/persons/${anna}/notification-preferences`,
      headers: { cookie: annaCookie, 'content-type': 'application/json', 'accept-language': 'en' },
      payload: JSON.stringify({ channels: ['email'], language: 'sv', email: 'anna(at)example.se' }),
    })
    assert.equal(res.statusCode, 422)
    assert.equal(res.json().error.code, 'INVALID_PREFERENCES')
    assert.deepEqual(res.json().error.fields, [
      { field: 'email', message: 'Write the e-mail address as name@example.com.' },
    ])
  })

  it('refuses a body of the wrong shape with 400', async () => {
    for (const body of [
      { channels: ['email'], language: 'sv', email: 'a@example.se', fax: '08-123' },
      { language: 'sv' },
      { channels: ['email', 'sms', 'push', 'email'], language: 'sv' },
    ]) {
      const res = await api('PUT', `/api/v1/persons/${anna}/notification-preferences`, annaCookie, body)
      assert.equal(res.statusCode, 400, JSON.stringify(body))
      assert.equal(res.json().error.code, 'INVALID_INPUT')
    }
  })

  it('keeps what the API was given', async () => {
    const res = await api('PUT', `/api/v1/persons/${anna}/notification-preferences`, annaCookie, {
      channels: ['push', 'email'],
      language: 'en',
      quietHours: null,
      email: 'anna.berg@example.se',
      mobile: null,
    })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json().channels, ['push', 'email'])
  })

  it('needs someone signed in', async () => {
    const res = await t.app.inject({ url: `/api/v1/persons/${anna}/notification-preferences` })
    assert.equal(res.statusCode, 401)
  })
})

describe('browsers for web push', () => {
  it('gives the public key that browsers subscribe with', async () => {
    const res = await t.app.inject({ url: '/api/v1/push/public-key' })
    assert.equal(res.statusCode, 200)
    assert.equal(Buffer.from(res.json().publicKey, 'base64url').length, 65)
  })

  it('refuses a subscription with a bad endpoint with a clear 400', async () => {
    for (const endpoint of [
      'http://fcm.googleapis.com/fcm/send/abc',
      'https://10.0.0.7/push',
      'javascript:alert(1)',
    ]) {
      const res = await api(
        'POST',
        `/api/v1/persons/${anna}/push-subscriptions`,
        annaCookie,
        browserSubscription(endpoint),
      )
      assert.equal(res.statusCode, 400, endpoint)
      assert.equal(res.json().error.code, 'INVALID_PUSH_SUBSCRIPTION')
      assert.deepEqual(res.json().error.fields, [
        {
          field: 'endpoint',
          message: 'Adressen till pushtjänsten måste vara en https-adress hos en pushtjänst på internet.',
        },
      ])
    }
    const missingKeys = await api('POST', `/api/v1/persons/${anna}/push-subscriptions`, annaCookie, {
      endpoint: 'https://fcm.googleapis.com/fcm/send/abc',
    })
    assert.equal(missingKeys.statusCode, 400)
  })

  it('keeps a good subscription, lists it and removes it again', async () => {
    const res = await api(
      'POST',
      `/api/v1/persons/${anna}/push-subscriptions`,
      annaCookie,
      browserSubscription('https://updates.push.services.mozilla.com/wpush/v2/gAAAAABn'),
    )
    assert.equal(res.statusCode, 201)
    const { id } = res.json()
    const list = await api('GET', `/api/v1/persons/${anna}/push-subscriptions`, annaCookie)
    assert.deepEqual(
      list.json().browsers.map((b: { id: string; service: string }) => [b.id, b.service]),
      [[id, 'updates.push.services.mozilla.com']],
    )
    const page = await t.app.inject({ url: '/mina-sidor/aviseringar', headers: { cookie: annaCookie } })
    assert.match(page.body, /Via updates\.push\.services\.mozilla\.com/)
    assert.match(page.body, /<script src="\/static\/push\.js" defer><\/script>/)

    const byErik = await api('DELETE', `/api/v1/persons/${erik}/push-subscriptions/${id}`, erikCookie)
    assert.equal(byErik.statusCode, 404, 'Erik cannot remove Anna’s browser')
    const removed = await api('DELETE', `/api/v1/persons/${anna}/push-subscriptions/${id}`, annaCookie)
    assert.equal(removed.statusCode, 204)
  })

  it('serves the script and the service worker', async () => {
    for (const url of ['/static/push.js', '/static/sw.js']) {
      const res = await t.app.inject({ url })
      assert.equal(res.statusCode, 200, url)
      assert.match(String(res.headers['content-type']), /javascript/)
    }
  })
})

describe('one person cannot reach another’s', () => {
  it('preferences, browsers or notifications', async () => {
    for (const [method, url, body] of [
      ['GET', `/api/v1/persons/${erik}/notification-preferences`, undefined],
      ['PUT', `/api/v1/persons/${erik}/notification-preferences`, { channels: [], language: 'sv' }],
      ['GET', `/api/v1/persons/${erik}/push-subscriptions`, undefined],
      [
        'POST',
        `/api/v1/persons/${erik}/push-subscriptions`,
        browserSubscription('https://fcm.googleapis.com/x'),
      ],
      ['GET', `/api/v1/persons/${erik}/notifications`, undefined],
    ] as const) {
      const res = await api(method, url, annaCookie, body)
      assert.equal(res.statusCode, 404, `${method} ${url}`)
      assert.equal(res.json().error.code, 'PERSON_NOT_FOUND')
    }
    const erikStill = await api('GET', `/api/v1/persons/${erik}/notification-preferences`, erikCookie)
    assert.deepEqual(erikStill.json().channels, ['email', 'sms'], 'Erik’s choices are unchanged')
  })
})

describe('a decision arrives by e-mail', () => {
  it('sends Erik an e-mail when the rules decide his VAB application, and shows it only to him', async () => {
    const elsa = await t.personId('202103172389')
    const applied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${erik}/applications/vab`,
      headers: { cookie: erikCookie, 'content-type': 'application/json', 'idempotency-key': 'notify-0001' },
      payload: JSON.stringify({
        childPersonId: elsa,
        days: [{ date: '2026-11-23', fraction: 1, reason: 'child-ill' }],
      }),
    })
    assert.equal(applied.statusCode, 201)
    const { caseId } = applied.json()
    assert.equal(await worker.drain(), 2, 'the inbox event, then the e-mail')

    const mailbox = await t.app.inject({ url: '/dev/mailbox', headers: { cookie: erikCookie } })
    assert.equal(mailbox.statusCode, 200)
    assert.match(mailbox.body, /Du har fått ett beslut i Samla/)
    assert.match(mailbox.body, /erik\.lindqvist@example\.se/)
    assert.ok(mailbox.body.includes(`/mina-arenden/${caseId}`))

    const deliveries = await api('GET', `/api/v1/persons/${erik}/notifications`, erikCookie)
    assert.deepEqual(
      deliveries
        .json()
        .messages.map((m: { channel: string; status: string; template: string }) => [
          m.template,
          m.channel,
          m.status,
        ]),
      [['case-decision', 'email', 'sent']],
    )
    const annasMailbox = await t.app.inject({ url: '/dev/mailbox', headers: { cookie: annaCookie } })
    assert.equal(annasMailbox.statusCode, 200)
    assert.doesNotMatch(annasMailbox.body, /erik\.lindqvist/)
    assert.match(annasMailbox.body, /Ingen e-post har kommit/)
  })
})
