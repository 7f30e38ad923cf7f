// Journey 5 with consent, through the HTTP server: Greta applies for home help from Nacka kommun;
// the municipality asks whether it may fetch her income and pension for the fee, and shows exactly
// what it would see. She consents, the municipality's system fetches the figures at once, the read
// is in her access records with the consent, and she withdraws the consent on her consent page:
// the very next read fails. Declining still lets her apply. No one else sees or touches it.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, PERSONS, type TestApp } from '../helpers/app.ts'
import { formSecrets } from '../helpers/forms.ts'

let t: TestApp
let greta: string
let gretaId: string
let erik: string
before(async () => {
  t = await buildTestApp()
  greta = await t.signIn(PERSONS.greta)
  gretaId = await t.personId(PERSONS.greta)
  erik = await t.signIn(PERSONS.erik)
})
after(() => t.close())

const form = (cookie: string, fields: Record<string, string>) => ({
  headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
})

/** Greta applies for home help through the form and lands on her case. */
async function applyForHomeHelp(): Promise<string> {
  const page = await t.app.inject({ url: '/ansok/hemtjanst', headers: { cookie: greta } })
  const { csrf, cookie } = formSecrets(page, greta)
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  const filed = await t.app.inject({
    method: 'POST',
    url: '/ansok/hemtjanst',
    ...form(cookie, {
      _csrf: csrf,
      idempotencyKey: key,
      insats: 'hemtjanst-omsorg',
      description: 'Jag behöver hjälp med att duscha och handla sedan jag bröt höften.',
    }),
  })
  assert.equal(filed.statusCode, 303)
  return String(filed.headers.location).split('/').at(-1) as string
}

const agencyRead = () =>
  t.container.people.readPerson({
    actor: { kind: 'agency-system', agencyId: 'nacka-kommun' },
    purpose: 'fee-calculation',
    personId: gretaId,
  })

describe('consent for the elderly-care fee', () => {
  let caseId: string
  let consentId: string

  it('asks on the case page, and previews exactly what the municipality would see', async () => {
    caseId = await applyForHomeHelp()
    const casePage = await t.app.inject({ url: `/mina-arenden/${caseId}`, headers: { cookie: greta } })
    assert.match(casePage.body, /Nacka kommun vill veta din inkomst för att räkna ut avgiften/)
    assert.match(casePage.body, new RegExp(`href="/mina-arenden/${caseId}/inkomst"`))

    const ask = await t.app.inject({ url: `/mina-arenden/${caseId}/inkomst`, headers: { cookie: greta } })
    assert.equal(ask.statusCode, 200)
    assert.match(ask.body, /Det här får Nacka kommun se om du säger ja/)
    assert.match(ask.body, /Inkomst 2025 enligt Skatteverket/)
    assert.match(ask.body, /183\s700 kr om året/)
    assert.match(ask.body, /Allmän pension, Pensionsmyndigheten/)
    assert.match(ask.body, /12\s850 kr i månaden före skatt, varav 2\s050 kr i skatt/)
    assert.match(ask.body, /Tjänstepension, KPA Pension/)
    assert.match(ask.body, /12\s620 kr i månaden/, 'what is left after tax')
    assert.match(ask.body, /Till och med 25 november 2027/)
    assert.equal(await agencyRead(), undefined, 'the preview gives the municipality nothing')
  })

  it('lets the municipality fetch the figures at once when she consents, with the consent in the record', async () => {
    const ask = await t.app.inject({ url: `/mina-arenden/${caseId}/inkomst`, headers: { cookie: greta } })
    const { csrf, cookie } = formSecrets(ask, greta)
    const yes = await t.app.inject({
      method: 'POST',
      url: `/mina-arenden/${caseId}/inkomst`,
      ...form(cookie, { _csrf: csrf, choice: 'consent' }),
    })
    assert.equal(yes.statusCode, 303)
    assert.equal(yes.headers.location, `/mina-arenden/${caseId}`)
    const casePage = await t.app.inject({ url: `/mina-arenden/${caseId}`, headers: { cookie: greta } })
    assert.match(
      casePage.body,
      /Nacka kommun har hämtat dina uppgifter om inkomst och pension med ditt samtycke/,
    )
    assert.doesNotMatch(casePage.body, /Se vilka uppgifter det gäller och svara/)

    const consents = (await t.app.inject({ url: '/api/v1/me/consents', headers: { cookie: greta } })).json()
    const given = consents.consents.find((c: { purpose: string }) => c.purpose === 'fee-calculation')
    assert.equal(given.recipientAgencyId, 'nacka-kommun')
    assert.deepEqual(given.categories, ['income', 'pension'])
    assert.equal(given.validThrough, '2027-11-25')
    assert.equal(given.reference, caseId)
    assert.equal(given.status, 'in-force')
    consentId = given.id
    assert.ok(consents.withoutConsent.some((b: { id: string }) => b.id === 'barnbidrag-fran-folkbokforingen'))

    const records = (
      await t.app.inject({
        url: '/api/v1/me/access-records?purpose=fee-calculation',
        headers: { cookie: greta },
      })
    ).json()
    assert.equal(records.records.length, 1)
    assert.equal(records.records[0].consentId, consentId)
    assert.equal(records.records[0].reader.agencyId, 'nacka-kommun')
  })

  it('lists the consent with what, to whom, why and until when, and the reads that need no consent', async () => {
    const page = await t.app.inject({ url: '/mina-sidor/samtycken', headers: { cookie: greta } })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Avgift för äldreomsorg – Nacka kommun/)
    assert.match(page.body, /Inkomst enligt beskattningen, Pension/)
    assert.match(page.body, /Räkna ut din avgift för hemtjänst och annan äldreomsorg enligt maxtaxan/)
    assert.match(page.body, /till och med 25 november 2027/)
    assert.match(page.body, /Uppgifter som myndigheter får hämta utan att fråga dig/)
    assert.match(page.body, /Försäkringskassan/)
    assert.match(page.body, /Pensionsmyndigheten/)
    assert.match(page.body, /Inte kontrollerad/)
  })

  it('keeps Erik away from Greta’s consent and her question: 404', async () => {
    const erikPage = await t.app.inject({ url: '/mina-sidor/samtycken', headers: { cookie: erik } })
    const secrets = formSecrets(erikPage, erik)
    const withdraw = await t.app.inject({
      method: 'POST',
      url: `/mina-sidor/samtycken/${consentId}/aterkalla`,
      ...form(secrets.cookie, { _csrf: secrets.csrf }),
    })
    assert.equal(withdraw.statusCode, 404)
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/me/consents/${consentId}/withdraw`,
          headers: { cookie: erik },
        })
      ).statusCode,
      404,
    )
    assert.doesNotMatch(erikPage.body, /Nacka kommun/)
    const list = (await t.app.inject({ url: '/api/v1/me/consents', headers: { cookie: erik } })).json()
    assert.deepEqual(list.consents, [])
    assert.equal(
      (await t.app.inject({ url: `/mina-arenden/${caseId}/inkomst`, headers: { cookie: erik } })).statusCode,
      404,
    )
    const post = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${gretaId}/cases/${caseId}/fee-basis`,
      headers: { cookie: erik },
      payload: { choice: 'consent' },
    })
    assert.equal(post.statusCode, 404)
    assert.ok(await agencyRead(), 'Greta’s consent stands')
  })

  it('takes effect at once when she withdraws it: the very next read fails', async () => {
    const page = await t.app.inject({ url: '/mina-sidor/samtycken', headers: { cookie: greta } })
    const { csrf, cookie } = formSecrets(page, greta)
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/mina-sidor/samtycken/${consentId}/aterkalla`,
      ...form(cookie, { _csrf: csrf }),
    })
    assert.equal(withdrawn.statusCode, 303)
    assert.equal(await agencyRead(), undefined)
    const after = await t.app.inject({ url: String(withdrawn.headers.location), headers: { cookie: greta } })
    assert.match(
      after.body,
      /Samtycket är borttaget. Från och med nu får Nacka kommun inte hämta uppgifterna./,
    )
    assert.match(after.body, /Samtycken som inte gäller längre/)
    assert.match(after.body, /Borttaget 25 november 2026/)
    assert.match(after.body, /Du har inga samtycken som gäller just nu/)
    const forged = await t.app.inject({
      method: 'POST',
      url: `/mina-sidor/samtycken/${consentId}/aterkalla`,
      ...form(cookie, { _csrf: 'fel' }),
    })
    assert.equal(forged.statusCode, 403, 'CSRF as elsewhere')
  })

  it('lets her decline and give the figure herself, or later; a wrong figure gets a message', async () => {
    const other = await applyForHomeHelp()
    const ask = await t.app.inject({ url: `/mina-arenden/${other}/inkomst`, headers: { cookie: greta } })
    const { csrf, cookie } = formSecrets(ask, greta)
    const answer = (netIncomePerMonth: string) =>
      t.app.inject({
        method: 'POST',
        url: `/mina-arenden/${other}/inkomst`,
        ...form(cookie, { _csrf: csrf, choice: 'own', netIncomePerMonth }),
      })
    const wrong = await answer('ungefär femton tusen')
    assert.equal(wrong.statusCode, 422)
    assert.match(wrong.body, /Skriv beloppet i hela kronor/)
    assert.equal((await answer('')).statusCode, 303)
    let casePage = await t.app.inject({ url: `/mina-arenden/${other}`, headers: { cookie: greta } })
    assert.match(casePage.body, /Du lämnar uppgifterna om inkomst senare/)
    assert.equal((await answer('14 500 kr')).statusCode, 303)
    casePage = await t.app.inject({ url: `/mina-arenden/${other}`, headers: { cookie: greta } })
    assert.match(casePage.body, /Du har lämnat din inkomst själv/)
    assert.equal(await agencyRead(), undefined, 'no consent was given')
    const detail = await t.container.cases.getCase(gretaId, other)
    const given = detail?.events.find((e) => e.kind === 'fee-basis-given')
    assert.equal(given?.data.netIncomePerMonthSek, 14500)
  })

  it('works through the API too: a preview, then consent, then withdrawal', async () => {
    const apiCase = await applyForHomeHelp()
    const preview = await t.app.inject({
      url: '/api/v1/me/consents/preview?recipient=nacka-kommun&purpose=fee-calculation',
      headers: { cookie: greta },
    })
    assert.equal(preview.statusCode, 200)
    assert.equal(preview.json().data.income.earnedIncomeSek, 183700)
    const wrongRecipient = await t.app.inject({
      url: '/api/v1/me/consents/preview?recipient=forsakringskassan&purpose=fee-calculation',
      headers: { cookie: greta },
    })
    assert.equal(wrongRecipient.statusCode, 422)
    assert.equal(wrongRecipient.json().error.code, 'INVALID_CONSENT')

    const fetched = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${gretaId}/cases/${apiCase}/fee-basis`,
      headers: { cookie: greta },
      payload: { choice: 'consent' },
    })
    assert.equal(fetched.statusCode, 200)
    assert.equal(fetched.json().basis, 'fetched')
    const id = fetched.json().consentId
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/v1/me/consents/${id}/withdraw`,
      headers: { cookie: greta },
    })
    assert.equal(withdrawn.statusCode, 200)
    assert.equal(withdrawn.json().consent.status, 'withdrawn')
    assert.equal(await agencyRead(), undefined)
  })
})

describe('consent given by someone acting for the person', () => {
  it('Maria, with Greta’s power of attorney for elderly care, consents in Greta’s name; Greta sees who did', async () => {
    const given = await t.container.auth.actingFor.givePowerOfAttorney({
      principalPersonId: gretaId,
      holderPersonalNumber: '19681203-2396',
      areas: ['elderly-care'],
      validFrom: '2026-11-25',
      validTo: '2027-11-24',
      idempotencyKey: 'fullmakt-samtycke-1',
    })
    assert.equal(given.kind, 'given')
    const maria = await t.signIn(PERSONS.maria)
    const mariaId = await t.personId(PERSONS.maria)
    const filed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${gretaId}/applications/hemtjanst`,
      headers: { cookie: maria, 'idempotency-key': 'maria-for-greta-1' },
      payload: {
        insats: 'hemtjanst-omsorg',
        urgentNeed: false,
        description: 'Mamma behöver hjälp med dusch och inköp efter höftfrakturen.',
      },
    })
    assert.equal(filed.statusCode, 201)
    const caseId = filed.json().caseId
    const asked = await t.container.cases.feeBasisRequest({
      applicantPersonId: gretaId,
      caseId,
      filedBy: { personId: mariaId, name: 'Maria Svensson', basis: 'power-of-attorney' },
    })
    assert.equal(
      asked.kind === 'request' && asked.preview.data.income?.earnedIncomeSek,
      183700,
      'her preview',
    )

    const consented = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${gretaId}/cases/${caseId}/fee-basis`,
      headers: { cookie: maria },
      payload: { choice: 'consent' },
    })
    assert.equal(consented.statusCode, 200)
    const list = (await t.app.inject({ url: '/api/v1/me/consents', headers: { cookie: greta } })).json()
    const consent = list.consents.find((c: { id: string }) => c.id === consented.json().consentId)
    assert.equal(consent.givenBy, mariaId)
    assert.equal(consent.status, 'in-force')
    const page = await t.app.inject({ url: '/mina-sidor/samtycken', headers: { cookie: greta } })
    assert.match(page.body, /av någon som får göra ärenden åt dig/)
    assert.ok(await agencyRead())
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/me/consents/${consent.id}/withdraw`,
      headers: { cookie: greta },
    })
    assert.equal(await agencyRead(), undefined)
  })
})
