// Consent in a real browser: Greta Svensson (84, Nacka) applies for home help; Nacka kommun asks
// whether it may fetch her income and pension for the fee and shows her exactly what it would see.
// She consents, sees the municipality's read in "Vem har sett mina uppgifter", and withdraws the
// consent on her consent page; the very next read fails. She shares her calendar with the
// municipality for scheduling, sees that only busy times are kept, and stops sharing. Every page is
// checked with axe (WCAG 2.1 A and AA), and the walk is made once more with JavaScript turned off.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import {
  assertAccessible,
  clickAndWaitFor,
  heading,
  mainNav,
  mainText,
  newSwedishContext,
  samlaInChromium,
  signInAs,
} from '../helpers/browser.ts'

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Samla//SV',
  'BEGIN:VEVENT',
  'UID:fotvard@example.se',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;TZID=Europe/Stockholm:20261202T100000',
  'DTEND;TZID=Europe/Stockholm:20261202T110000',
  'SUMMARY:Fotvården',
  'LOCATION:Vårdcentralen Nacka',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:kor@example.se',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;TZID=Europe/Stockholm:20261203T140000',
  'DTEND;TZID=Europe/Stockholm:20261203T160000',
  'RRULE:FREQ=WEEKLY;BYDAY=TH',
  'SUMMARY:Kören',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n')

const running = samlaInChromium()

async function gretaId(): Promise<string> {
  return (await running.samla.container.people.identifyPerson('194206112387', 'test')) as string
}

/** What Nacka kommun's system gets when it reads her income and pension for the fee now. */
async function municipalityRead() {
  return running.samla.container.people.readPerson({
    actor: { kind: 'agency-system', agencyId: 'nacka-kommun' },
    purpose: 'fee-calculation',
    personId: await gretaId(),
  })
}

/** Greta fills in the application for home help and lands on her case. */
async function applyForHomeHelp(page: Page, options: { checkAccessibility: boolean }) {
  await page.goto('/ansok/hemtjanst')
  if (page.url().includes('/idp-login/'))
    await signInAs(page, 'Greta Svensson', { landsOn: '/ansok/hemtjanst' })
  assert.equal(await heading(page), 'Ansök om hjälp från kommunen (äldreomsorg)')
  await page.getByLabel('Vad söker du?').selectOption('hemtjanst-omsorg')
  await page
    .getByLabel('Berätta vilken hjälp du behöver och varför')
    .fill('Jag behöver hjälp med att duscha och handla sedan jag bröt höften.')
  await clickAndWaitFor(page, /\/mina-arenden\/[0-9a-f-]{36}$/, () =>
    page.getByRole('button', { name: 'Skicka ansökan' }).click(),
  )
  const text = await mainText(page)
  assert.ok(text.includes('Nacka kommun vill veta din inkomst för att räkna ut avgiften.'))
  if (options.checkAccessibility) await assertAccessible(page, 'the case asking about income')
}

/** From the case: the question with the preview, then yes. */
async function consentToFetching(page: Page, options: { checkAccessibility: boolean }) {
  await clickAndWaitFor(page, /\/inkomst$/, () =>
    page.getByRole('link', { name: 'Se vilka uppgifter det gäller och svara' }).click(),
  )
  assert.equal(await heading(page), 'Inkomst och pension för avgiften')
  const preview = await mainText(page)
  assert.ok(preview.includes('Det här får Nacka kommun se om du säger ja'))
  assert.match(preview, /Inkomst 2025 enligt Skatteverket\s+183\s700 kr om året/)
  assert.match(
    preview,
    /Allmän pension, Pensionsmyndigheten\s+12\s850 kr i månaden före skatt, varav 2\s050 kr i skatt/,
  )
  assert.match(preview, /Tjänstepension, KPA Pension\s+2\s460 kr i månaden före skatt, varav 640 kr i skatt/)
  assert.match(preview, /Kvar efter skatt\s+12\s620 kr i månaden/)
  assert.ok(preview.includes('Till och med 25 november 2027'))
  if (options.checkAccessibility) await assertAccessible(page, 'the consent request with its preview')
  assert.equal(await municipalityRead(), undefined, 'nothing is shared by looking')

  await clickAndWaitFor(page, /\/mina-arenden\/[0-9a-f-]{36}$/, () =>
    page.getByRole('button', { name: 'Ja, kommunen får hämta uppgifterna' }).click(),
  )
  assert.ok(
    (await mainText(page)).includes(
      'Nacka kommun har hämtat dina uppgifter om inkomst och pension med ditt samtycke.',
    ),
  )
}

/** On "Samtycken": withdraw the consent to Nacka kommun. */
async function withdrawOnConsentPage(page: Page, options: { checkAccessibility: boolean }) {
  await clickAndWaitFor(
    page,
    (url) => url.pathname === '/mina-sidor/samtycken',
    () => mainNav(page).getByRole('link', { name: 'Samtycken', exact: true }).click(),
  )
  assert.equal(await heading(page), 'Mina samtycken')
  const listed = await mainText(page)
  assert.ok(listed.includes('Avgift för äldreomsorg – Nacka kommun'))
  assert.ok(listed.includes('Inkomst enligt beskattningen, Pension'))
  assert.ok(listed.includes('Från 25 november 2026 till och med 25 november 2027'))
  assert.ok(listed.includes('Uppgifter som myndigheter får hämta utan att fråga dig'))
  if (options.checkAccessibility) await assertAccessible(page, 'the consent page')
  assert.ok(await municipalityRead(), 'in force until she withdraws it')

  await clickAndWaitFor(page, /withdrawn=/, () =>
    page
      .getByRole('article', { name: 'Avgift för äldreomsorg – Nacka kommun' })
      .getByRole('button', { name: 'Ta tillbaka samtycket' })
      .click(),
  )
  const after = await mainText(page)
  assert.ok(
    after.includes('Samtycket är borttaget. Från och med nu får Nacka kommun inte hämta uppgifterna.'),
  )
  assert.ok(after.includes('Borttaget 25 november 2026'))
  assert.equal(await municipalityRead(), undefined, 'the very next read fails')
  if (options.checkAccessibility) await assertAccessible(page, 'the consent page after withdrawal')
}

/** On "Dela din kalender": share a file with Nacka kommun, see what is kept, stop sharing. */
async function shareAndStopSharing(page: Page, options: { checkAccessibility: boolean }) {
  await page.goto('/mina-sidor/kalender')
  assert.equal(await heading(page), 'Dela din kalender')
  if (options.checkAccessibility) await assertAccessible(page, 'the calendar page')

  await page.getByLabel('Vem vill du dela med?').selectOption('nacka-kommun')
  await page.getByLabel('Kalenderfil (.ics)').setInputFiles({
    name: 'trasig.ics',
    mimeType: 'text/calendar',
    buffer: Buffer.from('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026'),
  })
  await clickAndWaitFor(
    page,
    (url) => url.pathname === '/mina-sidor/kalender',
    () => page.getByRole('button', { name: 'Dela kalendern' }).click(),
  )
  assert.ok((await mainText(page)).includes('Filen är trasig eller ofullständig.'))
  if (options.checkAccessibility) await assertAccessible(page, 'the calendar page with an error')

  await page.getByLabel('Vem vill du dela med?').selectOption('nacka-kommun')
  await page.getByLabel('Kalenderfil (.ics)').setInputFiles({
    name: 'greta.ics',
    mimeType: 'text/calendar',
    buffer: Buffer.from(ICS),
  })
  await clickAndWaitFor(page, /shared=/, () => page.getByRole('button', { name: 'Dela kalendern' }).click())
  const shared = await mainText(page)
  assert.ok(
    shared.includes(
      'Kalendern är delad med Nacka kommun. Vi sparade 17 tider när du är upptagen, till och med 24 mars 2027.',
    ),
  )
  await page.getByText('Visa tiderna som Nacka kommun kan se').click()
  await page.getByText('ons 2 dec. 2026 10:00–11:00').waitFor()
  const times = await mainText(page)
  assert.ok(!/Fotvården|Vårdcentralen|Kören/.test(times), 'no titles or places')
  if (options.checkAccessibility) await assertAccessible(page, 'the calendar page with a shared calendar')

  await clickAndWaitFor(page, /withdrawn=/, () =>
    page.getByRole('button', { name: 'Sluta dela och radera tiderna' }).click(),
  )
  assert.ok((await mainText(page)).includes('Du delar inte längre kalendern. Vi har raderat tiderna.'))
  assert.deepEqual(await running.samla.container.consent.listSharedCalendars(await gretaId()), [])
}

describe('consent with a preview, and a shared calendar, in the browser', () => {
  let context: BrowserContext
  let page: Page

  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
  })
  after(() => context?.close())

  it('Greta applies for home help, and the municipality asks about her income with a preview', async () => {
    await applyForHomeHelp(page, { checkAccessibility: true })
  })

  it('she consents, and the municipality fetches her income and pension at once', async () => {
    await consentToFetching(page, { checkAccessibility: true })
    await assertAccessible(page, 'the case after consent')
  })

  it('her access records show the municipality’s read and the consent it relied on', async () => {
    await page.goto('/mina-sidor/vem-har-sett?syfte=fee-calculation')
    assert.equal(await heading(page), 'Vem har sett mina uppgifter')
    const text = await mainText(page)
    assert.ok(text.includes('Ett datorsystem hos Nacka kommun'))
    assert.ok(text.includes('För att räkna ut en avgift'))
    assert.match(text, /Samtycke [0-9a-f]{8}/)
    await assertAccessible(page, 'the access records')
  })

  it('she withdraws the consent on her consent page, and the next read fails', async () => {
    await withdrawOnConsentPage(page, { checkAccessibility: true })
  })

  it('she shares her calendar with the municipality, sees only busy times, and stops sharing', async () => {
    await shareAndStopSharing(page, { checkAccessibility: true })
    await assertAccessible(page, 'the calendar page after sharing stopped')
  })
})

describe('consent and the shared calendar without JavaScript', () => {
  let context: BrowserContext
  let page: Page

  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: false })
    page = await context.newPage()
  })
  after(() => context?.close())

  it('Greta consents with the preview, withdraws, and shares and stops sharing her calendar', async () => {
    await applyForHomeHelp(page, { checkAccessibility: false })
    await consentToFetching(page, { checkAccessibility: false })
    await withdrawOnConsentPage(page, { checkAccessibility: false })
    await shareAndStopSharing(page, { checkAccessibility: false })
  })
})
