// Applying through forms built from the rule sets' inputs, through the HTTP edge. Lejla, on
// parental leave with Ida (6 months), applies for föräldrapenning: the form knows Ida and Lejla's
// income, the rules decide at once, and the decision comes with reasons, the rule set's version,
// how to appeal and a PDF. Days the figures do not include send the case to Försäkringskassan's
// caseworker with the reason. Greta (84) applies for bostadstillägg: the register gives her age and
// residence, and a caseworker at Pensionsmyndigheten works out the amount. Bad input gets a clear
// answer and stores nothing; a double submit files one case.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

const LEJLA = '199304182380'
const DANIEL = '199109022393'
const IDA = '202605212386'
const LEIF = '197510032399'

let t: TestApp
let lejla: string
let lejlaId: string
let ida: string
before(async () => {
  t = await buildTestApp()
  lejla = await t.signIn(LEJLA)
  lejlaId = await t.personId(LEJLA)
  ida = await t.personId(IDA)
})
after(() => t.close())

/** The form at /ansok/<slug>, as a browser has it: the page, its CSRF secrets and its key. */
async function openForm(slug: string, cookie: string) {
  const page = await t.app.inject({ url: `/ansok/${slug}`, headers: { cookie } })
  const secrets = formSecrets(page, cookie)
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  const submit = (fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/ansok/${slug}`,
      headers: { cookie: secrets.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: secrets.csrf, idempotencyKey: key, ...fields }).toString(),
    })
  return { page, submit }
}

const countCases = async (personId: string, cookie: string) =>
  (await t.app.inject({ url: `/api/v1/persons/${personId}/cases`, headers: { cookie } })).json().cases.length

const leave = {
  leaveFrom: '2026-12-07',
  leaveTo: '2026-12-11',
  requestedSicknessLevelDays: '5',
  requestedLowestLevelDays: '0',
  requestedDoubleDays: '0',
  custody: 'joint',
  qualifiedForSicknessLevel: 'true',
  uncountedEarlierDays: 'false',
}

describe('föräldrapenning in the portal, without JavaScript', () => {
  it('opens the form prefilled with what Samla knows, and the read is in Lejla’s log', async () => {
    const before = await t.container.people.countAccessRecords(lejlaId)
    const { page } = await openForm('foraldrapenning', lejla)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Ansök om föräldrapenning/)
    assert.match(page.body, /Ida Sjöberg \(0 år\)/)
    assert.match(page.body, /name="child" id="child-0" value="[^"]+" checked/, 'her only child is chosen')
    assert.match(page.body, /468\s000 kr/, 'the income from the register')
    assert.match(page.body, /Göteborgs Stad/)
    // The questions are the rule set's inputs, in its words.
    assert.match(page.body, /Första dagen du vill vara ledig med föräldrapenning/)
    assert.match(page.body, /Dagar på sjukpenningnivå som du begär/)
    assert.match(
      page.body,
      /name="qualifiedForSicknessLevel" id="qualifiedForSicknessLevel-0" value="true" checked/,
    )
    assert.doesNotMatch(page.body, /name="annualSgi"/, 'what Samla knows is not asked')
    assert.ok((await t.container.people.countAccessRecords(lejlaId)) > before)
  })

  it('decides at once, with amounts, reasons, the rule set’s version and how to appeal; once for a double submit', async () => {
    const { submit } = await openForm('foraldrapenning', lejla)
    const res = await submit({ child: ida, ...leave })
    assert.equal(res.statusCode, 303)
    const again = await submit({ child: ida, ...leave })
    assert.equal(again.headers.location, res.headers.location, 'a double click files one case')

    const letter = await t.app.inject({ url: String(res.headers.location), headers: { cookie: lejla } })
    assert.equal(letter.statusCode, 200)
    assert.match(letter.body, /Beviljas – du har dagar kvar/)
    assert.match(letter.body, /4\s974,9 kr/, '5 days × 994,98 kr (468 000 × 0,97 × 0,8 / 365)')
    assert.match(letter.body, /994,98 kr per dag/)
    assert.match(
      letter.body,
      /Du har 195 dagar kvar på sjukpenningnivå/,
      'the balance before the days is a reason',
    )
    assert.match(letter.body, /SFB 12 kap\./)
    assert.match(letter.body, /regeluppsättningen foraldrapenning version 2026\.2/)
    assert.match(letter.body, /Försäkringskassan omprövar beslutet/)

    const caseId = String(res.headers.location).split('/').at(-1) as string
    const pdf = await t.app.inject({ url: `/mina-arenden/${caseId}/beslut.pdf`, headers: { cookie: lejla } })
    assert.equal(pdf.statusCode, 200)
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')
    const inbox = (
      await t.app.inject({ url: `/api/v1/persons/${lejlaId}/messages`, headers: { cookie: lejla } })
    ).json().messages as Array<{ caseId: string; kind: string }>
    assert.ok(inbox.some((m) => m.caseId === caseId && m.kind === 'decision'))
    const detail = (
      await t.app.inject({ url: `/api/v1/persons/${lejlaId}/cases/${caseId}`, headers: { cookie: lejla } })
    ).json()
    assert.equal(detail.agencyId, 'forsakringskassan')
    assert.equal(detail.decision.kind, 'benefit')
    assert.equal(detail.decision.version, '2026.2')
    const mine = await t.app.inject({ url: '/mina-arenden', headers: { cookie: lejla } })
    assert.match(mine.body, /Föräldrapenning/)
    assert.match(mine.body, /href="\/ansok\/foraldrapenning"/, 'Mina ärenden leads to the form')
  })

  it('explains what to correct – letters in a number, a date that does not exist, a last day before the first – and stores nothing', async () => {
    const before = await countCases(lejlaId, lejla)
    const { submit } = await openForm('foraldrapenning', lejla)
    const bad = await submit({
      child: ida,
      ...leave,
      leaveFrom: '2026-02-30',
      requestedSicknessLevelDays: 'fem',
      custody: '',
    })
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /Datumet finns inte/)
    assert.match(bad.body, /Skriv ett tal med siffror/)
    assert.match(bad.body, /Svara på frågan/)
    assert.match(bad.body, /value="fem"/, 'what was written is kept')
    const backwards = await submit({ child: ida, ...leave, leaveFrom: '2026-12-11', leaveTo: '2026-12-07' })
    assert.equal(backwards.statusCode, 422)
    assert.match(backwards.body, /Den sista dagen kan inte vara före den första dagen/)
    const tooMany = await submit({ child: ida, ...leave, leaveTo: '2026-12-09' })
    assert.equal(tooMany.statusCode, 422)
    assert.match(tooMany.body, /Perioden har 3 kalenderdagar/)
    const again = await submit({ child: ida, ...leave })
    assert.equal(again.statusCode, 422)
    assert.match(again.body, /Du har redan ansökt om föräldrapenning för barnet för dagar i den här perioden/)
    assert.equal(await countCases(lejlaId, lejla), before)
  })

  it('sends a case the rules cannot decide to Försäkringskassan’s queue with the reason; the caseworker decides', async () => {
    const { submit } = await openForm('foraldrapenning', lejla)
    const res = await submit({
      child: ida,
      ...leave,
      leaveFrom: '2026-12-14',
      leaveTo: '2026-12-18',
      uncountedEarlierDays: 'true',
    })
    assert.equal(res.statusCode, 303)
    const caseId = String(res.headers.location).split('/').at(-1) as string
    const detail = (
      await t.app.inject({ url: `/api/v1/persons/${lejlaId}/cases/${caseId}`, headers: { cookie: lejla } })
    ).json()
    assert.equal(detail.status, 'in-queue')
    assert.equal(detail.queueReason, 'rules-cannot-decide')
    const waiting = await t.app.inject({ url: `/mina-arenden/${caseId}`, headers: { cookie: lejla } })
    assert.match(waiting.body, /En handläggare på Försäkringskassan går igenom din ansökan/)
    assert.match(waiting.body, /En handläggare räknar ut dagarna och beslutar/)

    const karin = await t.signIn(PERSONS.karin, { roles: ['caseworker'], agencyId: 'forsakringskassan' })
    const queue = await t.app.inject({ url: '/handlaggning', headers: { cookie: karin } })
    assert.match(queue.body, new RegExp(`/handlaggning/${caseId}`))
    assert.match(queue.body, /Reglerna kan inte avgöra ansökan/)
    const page = await t.app.inject({ url: `/handlaggning/${caseId}`, headers: { cookie: karin } })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Därför går ansökan till en handläggare/)
    assert.match(page.body, /19930418-2380/)
    const secrets = formSecrets(page, karin)
    const decide = (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: `/handlaggning/${caseId}/bedomning`,
        headers: { cookie: secrets.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: secrets.csrf, ...fields }).toString(),
      })
    const noAmount = await decide({
      outcome: 'approved',
      amount: 'mycket',
      note: 'Dagarna är kontrollerade.',
    })
    assert.equal(noAmount.statusCode, 422)
    assert.match(noAmount.body, /Skriv beloppet i kronor med siffror/)
    const done = await decide({
      outcome: 'approved',
      amount: '4 974,90',
      note: 'Lejla har 185 dagar kvar enligt Försäkringskassans register. Dagarna beviljas.',
    })
    assert.equal(done.statusCode, 303)
    const letter = await t.app.inject({ url: `/mina-arenden/${caseId}`, headers: { cookie: lejla } })
    assert.match(letter.body, /Din ansökan beviljas/)
    assert.match(letter.body, /Beviljat belopp/)
    assert.match(letter.body, /4\s974,9 kr/)
    assert.match(letter.body, /Dagarna beviljas/)
    assert.match(letter.body, /fattades av en handläggare på Försäkringskassan/)
  })
})

describe('föräldrapenning through the API', () => {
  let daniel: string
  let danielId: string
  before(async () => {
    daniel = await t.signIn(DANIEL)
    danielId = await t.personId(DANIEL)
  })
  const apply = (body: unknown, key?: string, cookie = daniel, personId = danielId) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${personId}/applications/foraldrapenning`,
      headers: { cookie, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      payload: JSON.stringify(body),
    })
  const body = () => ({
    childPersonId: ida,
    leaveFrom: '2026-12-07',
    leaveTo: '2026-12-11',
    requestedSicknessLevelDays: 5,
    requestedLowestLevelDays: 0,
    requestedDoubleDays: 5,
    custody: 'joint',
    qualifiedForSicknessLevel: true,
    uncountedEarlierDays: false,
  })

  it('files once per key, counts the other parent’s days, and caps the income at 10 price base amounts', async () => {
    const res = await apply(body(), 'daniel-fp-0001')
    assert.equal(res.statusCode, 201, res.body)
    assert.equal(res.json().status, 'decided')
    assert.equal(res.json().outcome, 'approved')
    const again = await apply(body(), 'daniel-fp-0001')
    assert.equal(again.statusCode, 200)
    assert.equal(again.json().caseId, res.json().caseId)
    const detail = (
      await t.app.inject({
        url: `/api/v1/persons/${danielId}/cases/${res.json().caseId}`,
        headers: { cookie: daniel },
      })
    ).json()
    const fact = (input: string) =>
      detail.decision.facts.find((f: { input: string }) => f.input === input)?.value
    assert.equal(fact('otherParentDaysUsedSicknessLevel'), 10, 'Lejla’s two granted periods count')
    const amount = (output: string) =>
      detail.decision.amounts.find((a: { output: string }) => a.output === output)?.amount
    assert.equal(amount('dailyAmountNow'), 1258.61, '636 000 is capped at 592 000')
  })

  it('refuses bad input with a clear 4xx and stores nothing', async () => {
    const before = await countCases(danielId, daniel)
    const elsa = await t.personId('202103172389')
    const cases: Array<[unknown, string | undefined, number, string]> = [
      [body(), undefined, 400, 'INVALID_INPUT'],
      [{ ...body(), requestedSicknessLevelDays: 'fem' }, 'daniel-bad-01', 400, 'INVALID_INPUT'],
      [{ ...body(), leaveFrom: '2026-02-30' }, 'daniel-bad-02', 400, 'INVALID_INPUT'],
      [{ ...body(), custody: undefined }, 'daniel-bad-03', 400, 'INVALID_INPUT'],
      [{ ...body(), annualSgi: 900000 }, 'daniel-bad-04', 400, 'INVALID_INPUT'],
      [{ ...body(), childPersonId: elsa }, 'daniel-bad-05', 422, 'NOT_YOUR_CHILD'],
      [{ ...body(), leaveTo: '2026-12-01' }, 'daniel-bad-06', 422, 'INVALID_APPLICATION'],
      [{ ...body(), requestedDoubleDays: 6 }, 'daniel-bad-07', 422, 'INVALID_APPLICATION'],
      [
        { ...body(), leaveFrom: '2026-12-21', leaveTo: '2026-12-25' },
        'daniel-fp-0001',
        409,
        'IDEMPOTENCY_CONFLICT',
      ],
    ]
    for (const [payload, key, status, code] of cases) {
      const res = await apply(payload, key)
      assert.equal(res.statusCode, status, JSON.stringify(payload))
      assert.equal(res.json().error.code, code, JSON.stringify(payload))
      assert.ok(res.json().error.message.length > 10)
    }
    const contradictory = await apply({ ...body(), leaveTo: '2026-12-01' }, 'daniel-bad-08')
    assert.match(contradictory.json().error.fields[0].message, /sista dagen kan inte vara före/i)
    assert.equal(await countCases(danielId, daniel), before)
  })

  it('lets no one apply in someone else’s name', async () => {
    assert.equal((await apply(body(), 'lejla-as-daniel', lejla)).statusCode, 404)
  })
})

describe('bostadstillägg for Greta', () => {
  let greta: string
  let gretaId: string
  before(async () => {
    greta = await t.signIn(PERSONS.greta)
    gretaId = await t.personId(PERSONS.greta)
  })

  it('prefills her age and residence; a caseworker at Pensionsmyndigheten works out the amount', async () => {
    const { page, submit } = await openForm('bostadstillagg', greta)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Ansök om bostadstillägg för pensionärer/)
    assert.match(page.body, /Nacka kommun/)
    assert.match(page.body, /11 juni 1942/, 'her date of birth from the register')
    assert.match(page.body, /Din boendekostnad per månad/)
    const letters = await submit({
      livesWithSpouseOrPartner: 'false',
      takesWholePublicPension: 'true',
      housingCostPerMonth: 'sextusen',
      incomeAfterTaxPerMonth: '11 800',
    })
    assert.equal(letters.statusCode, 422)
    assert.match(letters.body, /Skriv ett tal med siffror/)
    assert.equal(await countCases(gretaId, greta), 0)

    const res = await submit({
      livesWithSpouseOrPartner: 'false',
      takesWholePublicPension: 'true',
      housingCostPerMonth: '6 500',
      incomeAfterTaxPerMonth: '11 800 kr',
    })
    assert.equal(res.statusCode, 303)
    const caseId = String(res.headers.location).split('/').at(-1) as string
    const detail = (
      await t.app.inject({ url: `/api/v1/persons/${gretaId}/cases/${caseId}`, headers: { cookie: greta } })
    ).json()
    assert.equal(detail.status, 'in-queue')
    assert.equal(detail.agencyId, 'pensionsmyndigheten')
    const waiting = await t.app.inject({ url: `/mina-arenden/${caseId}`, headers: { cookie: greta } })
    assert.match(waiting.body, /En handläggare på Pensionsmyndigheten går igenom din ansökan/)
    assert.match(waiting.body, /6\s240 kr per månad/, 'the estimate before income and assets: 6 500 × 96 %')

    const second = await openForm('bostadstillagg', greta)
    const twice = await second.submit({
      livesWithSpouseOrPartner: 'false',
      takesWholePublicPension: 'true',
      housingCostPerMonth: '6 500',
      incomeAfterTaxPerMonth: '11 800',
    })
    assert.equal(twice.statusCode, 422)
    assert.match(twice.body, /Du har redan en ansökan om bostadstillägg/)

    const karin = await t.signIn(PERSONS.karin, { roles: ['caseworker'], agencyId: 'forsakringskassan' })
    assert.equal(
      (await t.app.inject({ url: `/handlaggning/${caseId}`, headers: { cookie: karin } })).statusCode,
      404,
      'not Försäkringskassan’s case',
    )
    const leif = await t.signIn(LEIF, { roles: ['caseworker'], agencyId: 'pensionsmyndigheten' })
    const queue = await t.app.inject({ url: '/handlaggning', headers: { cookie: leif } })
    assert.match(queue.body, new RegExp(caseId))
    const page2 = await t.app.inject({ url: `/handlaggning/${caseId}`, headers: { cookie: leif } })
    assert.match(page2.body, /Beloppet beror också på dina inkomster och tillgångar/)
    const secrets = formSecrets(page2, leif)
    const done = await t.app.inject({
      method: 'POST',
      url: `/handlaggning/${caseId}/bedomning`,
      headers: { cookie: secrets.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: secrets.csrf,
        outcome: 'approved',
        amount: '3 410',
        note: 'Räknat på Gretas pension och sparande enligt Skatteverkets och Pensionsmyndighetens uppgifter.',
      }).toString(),
    })
    assert.equal(done.statusCode, 303)
    const letter = await t.app.inject({ url: `/mina-arenden/${caseId}`, headers: { cookie: greta } })
    assert.match(letter.body, /Din ansökan beviljas/)
    assert.match(letter.body, /3\s410 kr/)
    assert.match(letter.body, /Pensionsmyndigheten omprövar beslutet/)
    const pdf = await t.app.inject({ url: `/mina-arenden/${caseId}/beslut.pdf`, headers: { cookie: greta } })
    assert.equal(pdf.statusCode, 200)
  })

  it('refuses at once, with the reason, when she does not draw her whole pension', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${gretaId}/applications/bostadstillagg`,
      headers: { cookie: greta, 'content-type': 'application/json', 'idempotency-key': 'greta-btp-0002' },
      payload: JSON.stringify({
        livesWithSpouseOrPartner: false,
        takesWholePublicPension: false,
        housingCostPerMonth: 6500,
        incomeAfterTaxPerMonth: 11800,
      }),
    })
    assert.equal(res.statusCode, 201, res.body)
    assert.deepEqual(
      { status: res.json().status, outcome: res.json().outcome },
      { status: 'decided', outcome: 'rejected' },
    )
    const letter = await t.app.inject({
      url: `/mina-arenden/${res.json().caseId}`,
      headers: { cookie: greta },
    })
    assert.match(letter.body, /Avslag – du behöver ta ut hela din allmänna pension/)
    assert.match(letter.body, /regeluppsättningen bostadstillagg version 2026\.1/)
    assert.doesNotMatch(letter.body, /kr per månad/, 'no amounts in a refusal')
    assert.match(letter.body, /Begär omprövning/)

    // Greta asks for a review; the caseworker at Pensionsmyndigheten changes the decision.
    const page = await t.app.inject({ url: `/mina-arenden/${res.json().caseId}`, headers: { cookie: greta } })
    const mine = formSecrets(page, greta)
    const asked = await t.app.inject({
      method: 'POST',
      url: `/mina-arenden/${res.json().caseId}/omprovning`,
      headers: { cookie: mine.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: mine.csrf,
        text: 'Jag tar ut hela min allmänna pension sedan september, också premiepensionen.',
      }).toString(),
    })
    assert.equal(asked.statusCode, 303)
    const reviewId = String(asked.headers.location).split('/').at(-1) as string
    const leif = await t.signIn(LEIF, { roles: ['caseworker'], agencyId: 'pensionsmyndigheten' })
    const review = await t.app.inject({ url: `/handlaggning/${reviewId}`, headers: { cookie: leif } })
    assert.equal(review.statusCode, 200)
    assert.match(review.body, /i dag är det avslag/)
    const secrets = formSecrets(review, leif)
    const decided = await t.app.inject({
      method: 'POST',
      url: `/handlaggning/${reviewId}/omprovning`,
      headers: { cookie: secrets.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: secrets.csrf,
        outcome: 'approved',
        amount: '2 980',
        note: 'Greta tar ut hela sin allmänna pension enligt Pensionsmyndighetens register.',
      }).toString(),
    })
    assert.equal(decided.statusCode, 303)
    const original = (
      await t.app.inject({
        url: `/api/v1/persons/${gretaId}/cases/${res.json().caseId}`,
        headers: { cookie: greta },
      })
    ).json()
    assert.equal(original.outcome, 'approved')
    assert.equal(original.decision.caseworker.amount, 2980)
    assert.ok(original.events.some((e: { kind: string }) => e.kind === 'changed-on-review'))
  })
})

describe('where a person looks, the forms are linked', () => {
  it('from the steps of the plans for a coming child and for a parent who needs help', async () => {
    const child = await t.app.inject({ url: '/livshandelser/vi-ska-fa-barn', headers: { cookie: lejla } })
    assert.match(child.body, /href="\/ansok\/foraldrapenning"/)
    const care = await t.app.inject({ url: '/livshandelser/anhorig-behover-aldreomsorg' })
    assert.match(care.body, /href="\/ansok\/bostadstillagg"/)
  })

  it('in the API description, with the questions as the body', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json()
    const fp = doc.paths['/api/v1/persons/{personId}/applications/foraldrapenning']?.post
    assert.ok(fp, 'the föräldrapenning route is described')
    const body = fp.requestBody.content['application/json'].schema
    assert.ok(body.required.includes('leaveFrom') && body.required.includes('childPersonId'))
    assert.ok(!('annualSgi' in body.properties), 'what Samla knows is not asked')
    assert.ok(doc.paths['/api/v1/persons/{personId}/applications/bostadstillagg']?.post)
  })

  it('from the service pages of föräldrapenning and bostadstillägg', async () => {
    for (const [service, path] of [
      ['foraldrapenning', '/ansok/foraldrapenning'],
      ['bostadstillagg-for-pensionarer', '/ansok/bostadstillagg'],
    ]) {
      const page = await t.app.inject({ url: `/tjanster/${service}` })
      assert.match(page.body, new RegExp(`href="${path}"`), service)
    }
  })
})
