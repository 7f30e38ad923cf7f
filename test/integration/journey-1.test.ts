// Journey 1 through the HTTP edge, "Vi ska få barn": Anna signs in and sees her plan from the
// expected date maternity care registered. The birth is registered in folkbokföringen (the register
// adapter's event, sent by an operator): her plan updates itself – the birth step is done and
// barnbidrag is granted without an application, with the amount and the first payment – Mina ärenden
// has the decided case, and an e-mail about it reaches the development mailbox. The same event
// again changes nothing. Bad events get a clear 4xx, and nothing is stored.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createJobWorker } from '../../src/app/jobs.ts'
import { createClock } from '../../src/platform/clock.ts'
import type { Worker } from '../../src/platform/jobs/worker.ts'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'

const JONAS = '199508302396'
/** Anna's daughter, born two days before the expected date; today is the expected date. */
const BIRTH = {
  sourceEventId: 'skv-navet-2027-0310-0001',
  kind: 'birth',
  personalNumber: '20270310-2380',
  occurredOn: '2027-03-10',
  data: { guardians: [PERSONS.anna, JONAS], givenName: 'Alma' },
}

let t: TestApp
let worker: Worker
let anna: string
let annaCookie: string
let operatorCookie: string
before(async () => {
  t = await buildTestApp({ clock: createClock('2027-03-12') })
  worker = createJobWorker(t.container)
  anna = await t.personId(PERSONS.anna)
  annaCookie = await t.signIn(PERSONS.anna)
  operatorCookie = await t.signIn(PERSONS.karin, { roles: ['operator'], agencyId: 'skatteverket' })
})
after(() => t.close())

const send = (cookie: string, body: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/register-events',
    headers: { cookie, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  })
const page = (url: string) => t.app.inject({ url, headers: { cookie: annaCookie } })
/** Text as a person reads it: tags gone, spaces as one. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim()
const mailCount = async () =>
  (textOf((await page('/dev/mailbox')).body).match(/Du har fått ett beslut i Samla/g) ?? []).length

describe('journey 1: expecting a first child', () => {
  it('Anna chooses e-mail and sees her plan from the expected date', async () => {
    const prefs = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/persons/${anna}/notification-preferences`,
      headers: { cookie: annaCookie, 'content-type': 'application/json' },
      payload: JSON.stringify({
        channels: ['email'],
        language: 'sv',
        quietHours: null,
        email: 'anna.berg@example.se',
        mobile: null,
      }),
    })
    assert.equal(prefs.statusCode, 200)
    const plan = await page('/livshandelser/vi-ska-fa-barn')
    assert.equal(plan.statusCode, 200)
    const text = textOf(plan.body)
    assert.match(text, /Din personliga plan/)
    assert.match(text, /Beräknat förlossningsdatum: 12 mars 2027/)
    assert.doesNotMatch(text, /Födseln registrerades/)
  })

  it('refuses bad register events with what to correct, and stores nothing', async () => {
    const notOperator = await send(annaCookie, BIRTH)
    assert.equal(notOperator.statusCode, 403)

    const unknownKind = await send(operatorCookie, { ...BIRTH, kind: 'baptism' })
    assert.equal(unknownKind.statusCode, 422)
    assert.equal(unknownKind.json().error.code, 'UNKNOWN_REGISTER_EVENT_KIND')
    assert.match(unknownKind.json().error.message, /Välj en av: birth, pregnancy, move/)

    const malformed = await send(operatorCookie, { ...BIRTH, personalNumber: '2027-03-10' })
    assert.equal(malformed.statusCode, 422)
    assert.equal(malformed.json().error.code, 'INVALID_REGISTER_EVENT')
    assert.deepEqual(malformed.json().error.fields, [
      {
        field: 'personalNumber',
        message: 'Skriv ett personnummer som finns, som ÅÅÅÅMMDD-NNNN, till exempel 19970514-2389.',
      },
    ])

    const noSuchParent = await send(operatorCookie, { ...BIRTH, data: { guardians: ['19800101-2395'] } })
    assert.equal(noSuchParent.statusCode, 422)
    assert.equal(noSuchParent.json().error.code, 'REGISTER_EVENT_PERSON_NOT_FOUND')
    assert.equal(noSuchParent.json().error.fields[0].field, 'data.guardians.0')

    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/register-events',
      headers: { cookie: operatorCookie, 'content-type': 'application/json' },
      payload: '{"kind":',
    })
    assert.equal(notJson.statusCode, 400)

    const stored = await t.container.database.db.selectFrom('people.register_events').select('id').execute()
    assert.equal(stored.length, 0)
  })

  it('the birth is registered, and the plan updates itself', async () => {
    const res = await send(operatorCookie, BIRTH)
    assert.equal(res.statusCode, 201)
    assert.equal(res.json().replayed, false)
    assert.equal(res.json().personIds.length, 3, 'the child and both guardians')
    await worker.drain()

    const plan = await page('/livshandelser/vi-ska-fa-barn')
    const text = textOf(plan.body)
    assert.match(text, /Beräknat förlossningsdatum: 10 mars 2027/)
    assert.match(text, /folkbokföringen – födseln är registrerad/)
    assert.match(text, /Barnet folkbokförs och får personnummer Klart .*Födseln registrerades 10 mars 2027\./)
    assert.match(
      text,
      /Barnbidrag betalas ut automatiskt Klart .*Beviljat utan ansökan 12 mars 2027\. Du får 625 kr i månaden\. Första utbetalningen kommer 20 april 2027\./,
    )
    // The next steps move up: the name application, which waited for the birth, is now before what is done.
    assert.ok(text.indexOf('Ansök om barnets namn') < text.indexOf('Barnet folkbokförs och får personnummer'))

    const api = await t.app.inject({
      url: `/api/v1/persons/${anna}/plans/vi-ska-fa-barn`,
      headers: { cookie: annaCookie },
    })
    const steps = api.json().steps as Array<{ id: string; status: string; change?: { reason: string } }>
    assert.deepEqual(
      steps.filter((s) => s.change).map((s) => [s.id, s.status, s.change?.reason]),
      [
        ['folkbokforing-av-barnet', 'done', 'birth-registered'],
        ['barnbidrag', 'done', 'benefit-granted'],
      ],
    )
  })

  it('Mina ärenden has the decided case with the amount and the first payment', async () => {
    const list = textOf((await page('/mina-arenden')).body)
    assert.match(list, /Barnbidrag.*625 kr i månaden, första utbetalningen 20 april 2027/)
    const cases = await t.app.inject({
      url: `/api/v1/persons/${anna}/cases`,
      headers: { cookie: annaCookie },
    })
    const [granted] = (cases.json().cases ?? cases.json()) as Array<{
      id: string
      serviceId: string
      status: string
      outcome: string
      payment: { perMonth: number; firstMonth: string }
    }>
    assert.equal(granted?.serviceId, 'barnbidrag')
    assert.equal(granted?.status, 'decided')
    assert.equal(granted?.outcome, 'approved')
    assert.deepEqual(granted?.payment, { perMonth: 625, firstMonth: '2027-04-01', firstDate: '2027-04-20' })
    const letter = textOf((await page(`/mina-arenden/${granted?.id}`)).body)
    assert.match(letter, /Du får barnbidrag utan att ansöka/)
    assert.match(letter, /Ni är två vårdnadshavare, så pengarna delas lika – 625 kronor var/)
    assert.match(letter, /SFB 15 kap\./)
    assert.match(letter, /Födseln registrerades – ärendet öppnades utan ansökan/)
  })

  it('an e-mail about the decision arrives in the development mailbox', async () => {
    const mailbox = await page('/dev/mailbox')
    assert.equal(mailbox.statusCode, 200)
    assert.match(mailbox.body, /anna\.berg@example\.se/)
    assert.equal(await mailCount(), 1)
  })

  it('the same event again changes nothing', async () => {
    const res = await send(operatorCookie, BIRTH)
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().replayed, true)
    assert.equal(await worker.drain(), 0, 'nothing new to do')
    const cases = await t.container.cases.listCasesOf(anna, anna)
    assert.equal(cases?.filter((c) => c.serviceId === 'barnbidrag').length, 1)
    assert.equal(await mailCount(), 1)
  })
})
