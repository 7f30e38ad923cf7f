// Journey 2 through the HTTP edge: Erik applies for care days for Elsa in the portal and through
// the API; bad input gets a clear answer and files nothing.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

let t: TestApp
let erik: string
let cookie: string
let elsa: string
before(async () => {
  t = await buildTestApp()
  erik = await t.personId(PERSONS.erik)
  elsa = await t.personId('202103172389')
  cookie = await t.signIn(PERSONS.erik)
})
after(() => t.close())

const post = (body: unknown, key?: string, who = cookie) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/persons/${erik}/applications/vab`,
    headers: { cookie: who, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    payload: JSON.stringify(body),
  })

const application = (date = '2026-11-23') => ({
  childPersonId: elsa,
  days: [{ date, fraction: 1, reason: 'child-ill' }],
})

describe('applying through the API', () => {
  it('files the application once and answers the decision at once', async () => {
    const res = await post(application(), 'api-key-0001')
    assert.equal(res.statusCode, 201)
    assert.equal(res.json().status, 'decided')
    assert.equal(res.json().outcome, 'approved')
    const again = await post(application(), 'api-key-0001')
    assert.equal(again.statusCode, 200)
    assert.equal(again.json().caseId, res.json().caseId)
    const conflict = await post(application('2026-11-24'), 'api-key-0001')
    assert.equal(conflict.statusCode, 409)
    assert.equal(conflict.json().error.code, 'IDEMPOTENCY_CONFLICT')
    const detail = await t.app.inject({
      url: `/api/v1/persons/${erik}/cases/${res.json().caseId}`,
      headers: { cookie },
    })
    assert.equal(detail.json().decision.totalAmount, 1253.54)
    assert.equal(detail.json().ruleSetVersion, '2026.2')
  })

  it('refuses bad input with a clear 4xx and files nothing', async () => {
    const before = (await t.app.inject({ url: `/api/v1/persons/${erik}/cases`, headers: { cookie } })).json()
      .cases.length
    const cases: Array<[unknown, string | undefined, number, string]> = [
      [application(), undefined, 400, 'INVALID_INPUT'],
      [
        { ...application(), days: [{ date: '2026-11-20', fraction: 'en', reason: 'child-ill' }] },
        'bad-0001',
        400,
        'INVALID_INPUT',
      ],
      [
        { ...application(), days: [{ date: '2026-02-30', fraction: 1, reason: 'child-ill' }] },
        'bad-0002',
        400,
        'INVALID_INPUT',
      ],
      [
        { ...application(), days: [{ date: '2027-01-04', fraction: 1, reason: 'child-ill' }] },
        'bad-0007',
        422,
        'INVALID_APPLICATION',
      ],
      [{ ...application(), days: [] }, 'bad-0003', 400, 'INVALID_INPUT'],
      [{ childPersonId: elsa }, 'bad-0004', 400, 'INVALID_INPUT'],
      [{ ...application(), childPersonId: erik }, 'bad-0005', 422, 'NOT_YOUR_CHILD'],
      [
        { ...application(), days: [{ date: '2026-11-20', fraction: 1, reason: 'bored' }] },
        'bad-0006',
        400,
        'INVALID_INPUT',
      ],
    ]
    for (const [body, key, status, code] of cases) {
      const res = await post(body, key)
      assert.equal(res.statusCode, status, JSON.stringify(body))
      assert.equal(res.json().error.code, code, JSON.stringify(body))
      assert.ok(res.json().error.message.length > 10)
    }
    const after = (await t.app.inject({ url: `/api/v1/persons/${erik}/cases`, headers: { cookie } })).json()
      .cases.length
    assert.equal(after, before)
  })

  it('lets no one apply or read cases in someone else’s name', async () => {
    const anna = await t.signIn(PERSONS.anna)
    assert.equal((await post(application(), 'anna-0001', anna)).statusCode, 404)
    const mine = (await t.app.inject({ url: `/api/v1/persons/${erik}/cases`, headers: { cookie } })).json()
      .cases[0].id
    const annaId = await t.personId(PERSONS.anna)
    const res = await t.app.inject({
      url: `/api/v1/persons/${annaId}/cases/${mine}`,
      headers: { cookie: anna },
    })
    assert.equal(res.statusCode, 404)
    const page = await t.app.inject({ url: `/mina-arenden/${mine}`, headers: { cookie: anna } })
    assert.equal(page.statusCode, 404)
  })
})

describe('applying in the portal, without JavaScript', () => {
  const form = async () => {
    const page = await t.app.inject({ url: '/ansok/vab', headers: { cookie } })
    const secrets = formSecrets(page, cookie)
    return {
      html: page.body,
      status: page.statusCode,
      cookies: secrets.cookie,
      csrf: secrets.csrf,
      key: /name="idempotencyKey" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
    }
  }
  const submit = (f: Awaited<ReturnType<typeof form>>, fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/ansok/vab',
      headers: { cookie: f.cookies, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: f.csrf, idempotencyKey: f.key, ...fields }).toString(),
    })

  it('shows the form prefilled with what Samla knows: the children and the income', async () => {
    const f = await form()
    assert.equal(f.status, 200)
    assert.match(f.html, /Elsa Lindqvist \(5 år\)/)
    assert.match(f.html, /Vilgot Lindqvist \(13 år\)/)
    assert.match(f.html, /420\s000 kr per år/)
  })

  it('explains what to correct, keeps what was written, and files nothing', async () => {
    const f = await form()
    const res = await submit(f, { date1: '2026-13-01', fraction1: '1', reason1: 'child-ill' })
    assert.equal(res.statusCode, 422)
    assert.match(res.body, /Välj vilket barn du var hemma med/)
    assert.match(res.body, /value="2026-13-01"/)
  })

  it('decides at once and shows the decision letter with reasons and how to appeal', async () => {
    const f = await form()
    const res = await submit(f, { child: elsa, date1: '2026-11-18', fraction1: '0.5', reason1: 'child-ill' })
    assert.equal(res.statusCode, 303)
    const letter = await t.app.inject({ url: res.headers.location as string, headers: { cookie } })
    assert.equal(letter.statusCode, 200)
    assert.match(letter.body, /Beslut/)
    assert.match(letter.body, /626,77 kr/)
    assert.match(letter.body, /SFB 13 kap\./)
    assert.match(letter.body, /förvaltningslagen 28 §/)
    assert.match(letter.body, /omprövar beslutet/)
    const twice = await submit(f, {
      child: elsa,
      date1: '2026-11-18',
      fraction1: '0.5',
      reason1: 'child-ill',
    })
    assert.equal(twice.headers.location, res.headers.location, 'a double click files one case')
    const list = await t.app.inject({ url: '/mina-arenden', headers: { cookie } })
    assert.match(list.body, /Beslutat – beviljat/)
  })
})

describe('the caseworker (journey 7)', () => {
  it('sees only her own agency’s queue, opens the case, decides it, and Erik sees the decision', async () => {
    const lina = await t.signIn(PERSONS.lina)
    const linaId = await t.personId(PERSONS.lina)
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${linaId}/applications/vab`,
      headers: { cookie: lina, 'content-type': 'application/json', 'idempotency-key': 'lina-conflict-1' },
      payload: JSON.stringify(application('2026-11-19')),
    })
    const erikCase = (await post(application('2026-11-19'), 'erik-conflict-1')).json()
    assert.equal(erikCase.status, 'in-queue')

    const karin = await t.signIn(PERSONS.karin, { roles: ['caseworker'], agencyId: 'forsakringskassan' })
    const queue = await t.app.inject({ url: '/handlaggning', headers: { cookie: karin } })
    assert.equal(queue.statusCode, 200)
    assert.match(queue.body, new RegExp(`/handlaggning/${erikCase.caseId}`))
    assert.match(queue.body, /Två personer har begärt samma dag för samma barn/)

    assert.equal(
      (await t.app.inject({ url: '/handlaggning', headers: { cookie } })).statusCode,
      403,
      'a citizen has no queue',
    )
    const ahmed = await t.signIn('198503092382', { roles: ['caseworker'], agencyId: 'nacka-kommun' })
    assert.equal(
      (await t.app.inject({ url: `/handlaggning/${erikCase.caseId}`, headers: { cookie: ahmed } }))
        .statusCode,
      404,
    )

    const page = await t.app.inject({ url: `/handlaggning/${erikCase.caseId}`, headers: { cookie: karin } })
    assert.match(page.body, /19811104-2381/)
    assert.match(page.body, /Utreds/)
    const { csrf, cookie: formCookie } = formSecrets(page, karin)
    const decide = (fields: string) =>
      t.app.inject({
        method: 'POST',
        url: `/handlaggning/${erikCase.caseId}/beslut`,
        headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrf)}&${fields}`,
      })
    const incomplete = await decide('note=')
    assert.equal(incomplete.statusCode, 422)
    assert.match(incomplete.body, /Välj om dagen ska beviljas eller avslås/)
    const done = await decide(
      `day-2026-11-19=rejected&reasons=outcome&note=${encodeURIComponent('Lina var hemma med Elsa hela dagen enligt arbetsgivarens uppgift.')}`,
    )
    assert.equal(done.statusCode, 303)

    const letter = await t.app.inject({ url: `/mina-arenden/${erikCase.caseId}`, headers: { cookie } })
    assert.match(letter.body, /Du får inte tillfällig föräldrapenning/)
    assert.match(letter.body, /Lina var hemma med Elsa hela dagen/)
    assert.match(letter.body, /fattades av en handläggare på Försäkringskassan/)
  })
})

describe('a certificate completes the case (journey 2, day 8)', () => {
  const multipartBody = (
    fileName: string,
    type: string,
    content: string,
    extra: Record<string, string> = {},
  ) => {
    const boundary = 'samlaboundary'
    const fields = Object.entries(extra).map(
      ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
    )
    const body = `${fields.join('')}--${boundary}\r\nContent-Disposition: form-data; name="certificate"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n--${boundary}--\r\n`
    return { body, contentType: `multipart/form-data; boundary=${boundary}` }
  }

  it('asks for a certificate from the eighth day, takes it, and decides at once', async () => {
    const days = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-09'].map(
      (date) => ({ date, fraction: 1, reason: 'child-ill' }),
    )
    const filed = (await post({ childPersonId: elsa, days }, 'erik-certificate-1')).json()
    assert.equal(filed.status, 'waiting-for-applicant')
    const page = await t.app.inject({ url: `/mina-arenden/${filed.caseId}`, headers: { cookie } })
    assert.match(page.body, /Intyg behövs för/)
    assert.match(page.body, /enctype="multipart\/form-data"/)

    const upload = (fileName: string, type: string, content: string) => {
      const { body, contentType } = multipartBody(fileName, type, content)
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/persons/${erik}/cases/${filed.caseId}/documents`,
        headers: { cookie, 'content-type': contentType },
        payload: body,
      })
    }
    const notPdf = await upload('intyg.pdf', 'application/pdf', 'this is not a pdf')
    assert.equal(notPdf.statusCode, 422)
    assert.equal(notPdf.json().error.code, 'INVALID_DOCUMENT')
    const text = await upload('intyg.txt', 'text/plain', 'hello')
    assert.equal(text.statusCode, 422)
    const ok = await upload('intyg.pdf', 'application/pdf', '%PDF-1.4\n% FK 7443\n')
    assert.equal(ok.statusCode, 200)
    assert.deepEqual(ok.json(), { status: 'decided', outcome: 'approved' })
    const again = await upload('intyg.pdf', 'application/pdf', '%PDF-1.4\n')
    assert.equal(again.statusCode, 409)
    const detail = (
      await t.app.inject({ url: `/api/v1/persons/${erik}/cases/${filed.caseId}`, headers: { cookie } })
    ).json()
    assert.equal(detail.decision.daysCounted, 6)
    assert.deepEqual(
      detail.events.map((e: { kind: string }) => e.kind),
      ['submitted', 'completion-requested', 'completed', 'decided'],
    )
  })
})

describe('the inbox', () => {
  it('has a message for every decision and request, read once the case is opened', async () => {
    const res = await t.app.inject({ url: `/api/v1/persons/${erik}/messages`, headers: { cookie } })
    const messages = res.json().messages as Array<{ caseId: string; kind: string; read: boolean }>
    assert.ok(messages.some((m) => m.kind === 'decision'))
    assert.ok(messages.some((m) => m.kind === 'request'))
    const unread = messages.find((m) => !m.read)
    assert.ok(unread)
    const page = await t.app.inject({ url: '/inkorg', headers: { cookie } })
    assert.match(page.body, /Oläst/)
    const opened = await t.app.inject({ url: `/mina-arenden/${unread.caseId}`, headers: { cookie } })
    assert.equal(opened.statusCode, 200, opened.body.slice(0, 2000))
    const after = (
      await t.app.inject({ url: `/api/v1/persons/${erik}/messages`, headers: { cookie } })
    ).json().messages
    assert.ok(
      after
        .filter((m: { caseId: string }) => m.caseId === unread.caseId)
        .every((m: { read: boolean }) => m.read),
    )
    const anna = await t.signIn(PERSONS.anna)
    assert.equal(
      (await t.app.inject({ url: `/api/v1/persons/${erik}/messages`, headers: { cookie: anna } })).statusCode,
      404,
    )
  })
})

describe('recording care days as they happen (journey 2)', () => {
  it('records today and tomorrow, refuses other days, and prefills the application with them', async () => {
    const lina = await t.signIn(PERSONS.lina)
    const linaId = await t.personId(PERSONS.lina)
    const record = (body: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/persons/${linaId}/care-days`,
        headers: { cookie: lina, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      })
    assert.equal(
      (await record({ childPersonId: elsa, date: '2026-11-25', fraction: 1, reason: 'child-ill' }))
        .statusCode,
      201,
    )
    assert.equal(
      (await record({ childPersonId: elsa, date: '2026-11-26', fraction: 0.5, reason: 'child-ill' }))
        .statusCode,
      201,
    )
    const old = await record({ childPersonId: elsa, date: '2026-11-01', fraction: 1, reason: 'child-ill' })
    assert.equal(old.statusCode, 422)
    assert.equal(old.json().error.code, 'INVALID_CARE_DAY')
    assert.equal(
      (await record({ childPersonId: linaId, date: '2026-11-25', fraction: 1, reason: 'child-ill' }))
        .statusCode,
      422,
    )
    const listed = (
      await t.app.inject({ url: `/api/v1/persons/${linaId}/care-days`, headers: { cookie: lina } })
    ).json()
    assert.deepEqual(
      listed.careDays.map((d: { date: string; fraction: number }) => [d.date, d.fraction]),
      [
        ['2026-11-25', 1],
        ['2026-11-26', 0.5],
      ],
    )
    const form = await t.app.inject({ url: '/ansok/vab', headers: { cookie: lina } })
    assert.match(form.body, /id="date1" name="date1" value="2026-11-25"/)
    assert.doesNotMatch(form.body, /value="2026-11-26"/, 'tomorrow cannot be applied for yet')
    const page = await t.app.inject({ url: '/vab', headers: { cookie: lina } })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Dagar du har sparat/)
  })
})

describe('the decision as a PDF', () => {
  it('can be downloaded by the person it concerns, and no one else', async () => {
    const filed = (await post(application('2026-11-17'), 'erik-pdf-1')).json()
    const res = await t.app.inject({ url: `/mina-arenden/${filed.caseId}/beslut.pdf`, headers: { cookie } })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'application/pdf')
    assert.equal(res.rawPayload.subarray(0, 5).toString(), '%PDF-')
    assert.ok(res.rawPayload.length > 1500)
    const anna = await t.signIn(PERSONS.anna)
    assert.equal(
      (await t.app.inject({ url: `/mina-arenden/${filed.caseId}/beslut.pdf`, headers: { cookie: anna } }))
        .statusCode,
      404,
    )
  })
})

describe('review of a decision (omprövning)', () => {
  it('Erik asks for a review from the decision; the caseworker changes it; both cases show it', async () => {
    const filed = (
      await post(
        {
          ...application('2026-11-16'),
          days: [{ date: '2026-11-16', fraction: 1, reason: 'caregiver-ill' }],
        },
        'erik-review-1',
      )
    ).json()
    assert.equal(filed.outcome, 'approved')
    const reviewUrl = `/api/v1/persons/${erik}/cases/${filed.caseId}/review`
    const short = await t.app.inject({
      method: 'POST',
      url: reviewUrl,
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'fel' }),
    })
    assert.equal(short.statusCode, 422)
    const asked = await t.app.inject({
      method: 'POST',
      url: reviewUrl,
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({
        text: 'Jag var bara hemma halva dagen, så beslutet ska ändras till avslag för heldagen.',
      }),
    })
    assert.equal(asked.statusCode, 201)
    const reviewId = asked.json().reviewCaseId
    const again = await t.app.inject({
      method: 'POST',
      url: reviewUrl,
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({
        text: 'Jag var bara hemma halva dagen, så beslutet ska ändras till avslag för heldagen.',
      }),
    })
    assert.equal(again.json().reviewCaseId, reviewId, 'one open review per decision')

    const karin = await t.signIn(PERSONS.karin, { roles: ['caseworker'], agencyId: 'forsakringskassan' })
    const queue = await t.app.inject({ url: '/api/v1/queue', headers: { cookie: karin } })
    assert.ok(
      queue
        .json()
        .cases.some(
          (c: { id: string; queueReason: string }) =>
            c.id === reviewId && c.queueReason === 'review-requested',
        ),
    )
    const page = await t.app.inject({ url: `/handlaggning/${reviewId}`, headers: { cookie: karin } })
    assert.match(page.body, /Jag var bara hemma halva dagen/)
    const { csrf, cookie: formCookie } = formSecrets(page, karin)
    const decided = await t.app.inject({
      method: 'POST',
      url: `/handlaggning/${reviewId}/omprovning`,
      headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf)}&day-2026-11-16=rejected&note=${encodeURIComponent('Erik skriver själv att han bara var hemma halva dagen.')}`,
    })
    assert.equal(decided.statusCode, 303)

    const original = (
      await t.app.inject({ url: `/api/v1/persons/${erik}/cases/${filed.caseId}`, headers: { cookie } })
    ).json()
    assert.equal(original.outcome, 'rejected')
    assert.ok(original.events.some((e: { kind: string }) => e.kind === 'changed-on-review'))
    const reviewPage = await t.app.inject({ url: `/mina-arenden/${reviewId}`, headers: { cookie } })
    assert.match(reviewPage.body, /Beslutet är ändrat/)
  })
})

describe('every case page and API answer renders', () => {
  it('for each of Erik’s cases, whatever its kind and status', async () => {
    const list = (await t.app.inject({ url: `/api/v1/persons/${erik}/cases`, headers: { cookie } })).json()
      .cases as Array<{ id: string }>
    assert.ok(list.length > 5)
    for (const c of list) {
      assert.equal(
        (await t.app.inject({ url: `/mina-arenden/${c.id}`, headers: { cookie } })).statusCode,
        200,
        c.id,
      )
      assert.equal(
        (await t.app.inject({ url: `/api/v1/persons/${erik}/cases/${c.id}`, headers: { cookie } }))
          .statusCode,
        200,
        c.id,
      )
    }
  })
})

describe('the caseworker asks for more, and reads the documents', () => {
  it('sends a queued case back to the applicant with a request, and sees the certificate that comes', async () => {
    const lina = await t.signIn(PERSONS.lina)
    const linaId = await t.personId(PERSONS.lina)
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${linaId}/applications/vab`,
      headers: { cookie: lina, 'content-type': 'application/json', 'idempotency-key': 'lina-conflict-2' },
      payload: JSON.stringify(application('2026-11-13')),
    })
    const queued = (await post(application('2026-11-13'), 'erik-conflict-2')).json()
    assert.equal(queued.status, 'in-queue')
    const karin = await t.signIn(PERSONS.karin, { roles: ['caseworker'], agencyId: 'forsakringskassan' })
    const page = await t.app.inject({ url: `/handlaggning/${queued.caseId}`, headers: { cookie: karin } })
    const { csrf, cookie: formCookie } = formSecrets(page, karin)
    const asked = await t.app.inject({
      method: 'POST',
      url: `/handlaggning/${queued.caseId}/komplettering`,
      headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf)}&text=${encodeURIComponent('Skicka ett intyg om att du vårdade Elsa den dagen.')}`,
    })
    assert.equal(asked.statusCode, 303)
    const detail = (
      await t.app.inject({ url: `/api/v1/persons/${erik}/cases/${queued.caseId}`, headers: { cookie } })
    ).json()
    assert.equal(detail.status, 'waiting-for-applicant')
    const inbox = (
      await t.app.inject({ url: `/api/v1/persons/${erik}/messages`, headers: { cookie } })
    ).json().messages
    assert.ok(
      inbox.some((m: { caseId: string; kind: string }) => m.caseId === queued.caseId && m.kind === 'request'),
    )

    const boundary = 'b0undary'
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${erik}/cases/${queued.caseId}/documents`,
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="certificate"; filename="intyg.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    })
    assert.equal(upload.statusCode, 200)
    assert.equal(upload.json().status, 'in-queue', 'the conflicting claim still needs the caseworker')
    const again = await t.app.inject({ url: `/handlaggning/${queued.caseId}`, headers: { cookie: karin } })
    const link = /href="(\/handlaggning\/[^"]+\/dokument\/[^"]+)"/.exec(again.body)?.[1]
    assert.ok(link, 'the document is listed')
    const doc = await t.app.inject({ url: link, headers: { cookie: karin } })
    assert.equal(doc.statusCode, 200)
    assert.equal(doc.headers['content-type'], 'image/png')
    assert.equal(
      (await t.app.inject({ url: link, headers: { cookie } })).statusCode,
      403,
      'not for the citizen',
    )
  })
})

describe('a seriously ill child (journey 2)', () => {
  it('asks for a doctor’s statement from the first day, and grants the day with one', async () => {
    const page = await t.app.inject({ url: '/ansok/vab', headers: { cookie } })
    assert.match(page.body, /Barnet är allvarligt sjukt/)
    const { csrf, cookie: formCookie } = formSecrets(page, cookie)
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
    const res = await t.app.inject({
      method: 'POST',
      url: '/ansok/vab',
      headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrf,
        idempotencyKey: key,
        child: elsa,
        seriouslyIll: 'yes',
        date1: '2026-10-27',
        fraction1: '1',
        reason1: 'child-ill',
      }).toString(),
    })
    assert.equal(res.statusCode, 303)
    const waiting = (
      await t.app.inject({
        url: `/api/v1/persons/${erik}/cases/${String(res.headers.location).split('/').at(-1)}`,
        headers: { cookie },
      })
    ).json()
    assert.equal(waiting.status, 'waiting-for-applicant')
    assert.match(
      waiting.decision.days[0].reasons.map((r: { sv: string }) => r.sv).join(' '),
      /allvarligt sjukt/,
    )
    const granted = await post(
      {
        childPersonId: elsa,
        seriouslyIll: true,
        days: [{ date: '2026-10-26', fraction: 1, reason: 'child-ill' }],
        certificateDays: ['2026-10-26'],
      },
      'erik-seriously-ill-1',
    )
    assert.equal(granted.statusCode, 201)
    assert.equal(granted.json().outcome, 'approved')
  })
})
