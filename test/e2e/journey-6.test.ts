// Journey 6, the tax return at the right moment, in a real browser. It is Tuesday 17 March 2026 and
// the tax return opens today. Erik Lindqvist says he wants e-mail, in the evening between 18 and 20,
// and shares his calendar with Skatteverket for scheduling only (a file with training three evenings
// in a row). The date trigger fires and Samla plans his reminder on the first free weekday evening.
// At "Påminnelser" he reads why he sees it and why then, moves it to a day of his own (a day past
// the deadline is refused with a message linked to the field), dismisses another, and stops
// sharing the calendar: what is planned after that does without it. Every page is checked with axe
// (WCAG 2.1 A and AA), and the walk is made once more with JavaScript turned off.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { createJobWorker } from '../../src/app/jobs.ts'
import { withoutRecord } from '../../src/platform/access-scope.ts'
import { createManualClock } from '../../src/platform/clock.ts'
import {
  assertAccessible,
  clickAndWaitFor,
  heading,
  launchChromium,
  mainNav,
  mainText,
  newSwedishContext,
  type RunningSamla,
  shown,
  signInAs,
  startSamla,
} from '../helpers/browser.ts'

const ERIK = '198111042381'
const REMINDERS = '/mina-sidor/paminnelser'

/** Erik's calendar: training every evening from Wednesday 18 to Friday 20 March. */
const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Samla//SV',
  ...['18', '19', '20'].flatMap((d) => [
    'BEGIN:VEVENT',
    `UID:traning-${d}@example.se`,
    'DTSTAMP:20260301T000000Z',
    `DTSTART;TZID=Europe/Stockholm:202603${d}T170000`,
    `DTEND;TZID=Europe/Stockholm:202603${d}T210000`,
    'SUMMARY:Träning med laget',
    'LOCATION:Sporthallen',
    'END:VEVENT',
  ]),
  'END:VCALENDAR',
  '',
].join('\r\n')

let browser: Browser

before(async () => {
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
})

/** Samla on the morning the tax return opens: 07:00 Swedish time, Tuesday 17 March 2026. */
const startOnTaxReturnDay = () => startSamla({ clock: createManualClock('2026-03-17T06:00:00Z') })

const erikId = async (samla: RunningSamla) =>
  (await samla.container.people.identifyPerson(ERIK, 'test')) as string

/** A later tax return's trigger, fired for Erik, and planned as the date scan's job would. */
async function fireLaterTaxReturn(samla: RunningSamla, year: number, opens: string) {
  const personId = await erikId(samla)
  await withoutRecord('date-triggers', () =>
    samla.container.database.db
      .insertInto('proactive.fired_triggers')
      .values({
        person_id: personId,
        kind: 'tax-return-opens',
        occasion: String(year),
        due_on: opens,
        reason: `Inkomstdeklarationen för ${year - 1}.`,
        fired_on: '2026-03-17',
      })
      .execute(),
  )
  const planned = await samla.container.proactive.offers.planOffers({
    date: '2026-03-17',
    partition: 0,
    partitions: 1,
  })
  assert.equal(planned, 1)
}

/** Opens "Varför just då?" on a reminder, and waits until its text shows. */
async function openWhyThen(card: Locator, shows: string | RegExp) {
  await card.getByText('Varför just då?').click()
  await card.getByText(shows).waitFor()
}

const flat = async (locator: Locator) => (await shown(locator)).replace(/\s+/g, ' ')

/** At "Aviseringar": e-mail first, evenings between 18 and 20, never at night. */
async function chooseEveningsByEmail(page: Page, options: { checkAccessibility: boolean }) {
  await page.goto('/mina-sidor/aviseringar')
  await signInAs(page, 'Erik Lindqvist', { landsOn: '/mina-sidor/aviseringar' })
  assert.equal(await heading(page), 'Aviseringar')
  await page.getByLabel('Förstahandsval').selectOption('email')
  await page.getByLabel('E-postadress').fill('erik.lindqvist@example.se')
  const quiet = page.getByRole('group', { name: 'Tider då vi inte stör' })
  const preferred = page.getByRole('group', { name: 'Tider då du helst vill bli påmind' })
  await quiet.getByLabel('Från klockan (tt:mm)').fill('21:00')
  await quiet.getByLabel('Till klockan (tt:mm)').fill('07:00')
  await preferred.getByLabel('Från klockan (tt:mm)').fill('18:00')
  await preferred.getByLabel('Till klockan (tt:mm)').fill('20:00')
  await clickAndWaitFor(page, /\/mina-sidor\/aviseringar\?sparat=1$/, () =>
    page.getByRole('button', { name: 'Spara' }).click(),
  )
  assert.ok((await mainText(page)).includes('Dina val är sparade.'))
  if (options.checkAccessibility) await assertAccessible(page, 'the preference centre with preferred hours')
}

/** From "Samtycken" to the calendar page: share the file with Skatteverket. */
async function shareCalendarWithSkatteverket(
  page: Page,
  samla: RunningSamla,
  options: { checkAccessibility: boolean },
) {
  await clickAndWaitFor(
    page,
    (url) => url.pathname === '/mina-sidor/samtycken',
    () => mainNav(page).getByRole('link', { name: 'Samtycken', exact: true }).click(),
  )
  await clickAndWaitFor(
    page,
    (url) => url.pathname === '/mina-sidor/kalender',
    () => page.getByRole('link', { name: 'Dela din kalender' }).click(),
  )
  assert.equal(await heading(page), 'Dela din kalender')
  if (options.checkAccessibility) await assertAccessible(page, 'the calendar page')
  await page.getByLabel('Vem vill du dela med?').selectOption({ label: 'Skatteverket' })
  await page.getByLabel('Kalenderfil (.ics)').setInputFiles({
    name: 'erik.ics',
    mimeType: 'text/calendar',
    buffer: Buffer.from(ICS),
  })
  await clickAndWaitFor(page, /shared=/, () => page.getByRole('button', { name: 'Dela kalendern' }).click())
  const shared = await mainText(page)
  assert.match(shared, /Kalendern är delad med Skatteverket\. Vi sparade 3 tider när du är upptagen/)
  assert.ok(!/Träning|Sporthallen/.test(shared), 'no titles or places')
  if (options.checkAccessibility) await assertAccessible(page, 'the calendar page, shared with Skatteverket')
  assert.equal((await samla.container.consent.listSharedCalendars(await erikId(samla))).length, 1)
}

/** The tax return opens: the date scan and the planning run as the job worker runs them. */
async function taxReturnOpens(samla: RunningSamla) {
  await samla.container.proactive.enqueueDateScan('2026-03-17', 1)
  assert.equal(await createJobWorker(samla.container).drain(), 2, 'the scan, then the planning')
}

/** At "Påminnelser": the reminder, why he sees it, and why then. */
async function readWhy(page: Page, options: { checkAccessibility: boolean }) {
  await clickAndWaitFor(
    page,
    (url) => url.pathname === REMINDERS,
    () => mainNav(page).getByRole('link', { name: 'Påminnelser', exact: true }).click(),
  )
  assert.equal(await heading(page), 'Påminnelser')
  const card = page.getByRole('article', { name: 'Lämna din inkomstdeklaration' })
  assert.equal(await card.count(), 1)
  const text = await flat(card)
  // Busy Wednesday to Friday evening, and the weekend passed over: Monday 23 March at 18:00.
  assert.match(text, /Vi påminner dig 23 mars 2026 18:00/)
  assert.match(text, /Sista dag 4 maj 2026/)
  assert.match(text, /Varför ser jag detta\?/)
  assert.match(
    text,
    /Du ser detta för att inkomstdeklarationen går att lämna från den 17 mars 2026 och du hade inkomst 2025\. Sista dag att deklarera är den 4 maj 2026/,
  )
  await openWhyThen(card, /visar att du är ledig/)
  const when = await flat(card)
  assert.match(when, /kalendern du delar med Skatteverket visar att du är ledig/)
  assert.match(when, /Vi gissar aldrig hur du mår/)
  assert.ok(!/Träning|Sporthallen/.test(when))
  if (options.checkAccessibility) await assertAccessible(page, 'the reminders page')
}

/** He moves it: past the deadline is refused, linked to the field; 26 March is taken. */
async function moveIt(page: Page, options: { checkAccessibility: boolean }) {
  const card = page.getByRole('article', { name: 'Lämna din inkomstdeklaration' })
  await card.getByLabel('Flytta till en annan dag').fill('2026-05-04')
  await clickAndWaitFor(page, /\/flytta$/, () =>
    card.getByRole('button', { name: 'Flytta påminnelsen' }).click(),
  )
  await page.waitForLoadState()
  const summary = page.getByRole('alert')
  assert.match(await shown(summary), /Välj en dag före sista dagen, 4 maj 2026\./)
  const day = page.getByLabel('Flytta till en annan dag')
  assert.equal(await day.getAttribute('aria-invalid'), 'true')
  assert.equal(await day.inputValue(), '2026-05-04', 'what he wrote is kept')
  const describedBy = ((await day.getAttribute('aria-describedby')) ?? '').split(' ')
  const messages = await Promise.all(describedBy.map((id) => shown(page.locator(`#${id}`))))
  assert.ok(
    messages.some((m) => m.includes('Välj en dag före sista dagen, 4 maj 2026.')),
    'the field is described by its message',
  )
  await summary.getByRole('link', { name: 'Välj en dag före sista dagen, 4 maj 2026.' }).click()
  if (options.checkAccessibility) {
    assert.equal(await day.evaluate((el) => el === document.activeElement), true, 'the link moves focus')
    await assertAccessible(page, 'the reminders page with a day past the deadline')
  }

  await day.fill('2026-03-26')
  await clickAndWaitFor(page, /\?flyttad=1$/, () =>
    page
      .getByRole('article', { name: 'Lämna din inkomstdeklaration' })
      .getByRole('button', { name: 'Flytta påminnelsen' })
      .click(),
  )
  assert.ok((await mainText(page)).includes('Påminnelsen är flyttad.'))
  const moved = page.getByRole('article', { name: 'Lämna din inkomstdeklaration' })
  await openWhyThen(moved, 'Du valde dagen själv.')
  const text = await flat(moved)
  assert.match(text, /Vi påminner dig 26 mars 2026 18:00/)
  assert.match(text, /Du valde dagen själv\./)
  if (options.checkAccessibility) await assertAccessible(page, 'the reminders page after the move')
}

/** Next year's reminder is planned too; he dismisses it, and it moves to what is done. */
async function dismissNextYears(page: Page, samla: RunningSamla, options: { checkAccessibility: boolean }) {
  await fireLaterTaxReturn(samla, 2027, '2027-03-16')
  await page.reload()
  const cards = page.getByRole('article', { name: 'Lämna din inkomstdeklaration' })
  assert.equal(await cards.count(), 2)
  const nextYear = cards.filter({ hasText: /2027/ })
  assert.equal(await nextYear.count(), 1)
  if (options.checkAccessibility) await assertAccessible(page, 'the reminders page with two reminders')
  await clickAndWaitFor(page, /\?borttagen=1$/, () =>
    nextYear.getByRole('button', { name: 'Ta bort påminnelsen' }).click(),
  )
  assert.ok((await mainText(page)).includes('Påminnelsen är borttagen. Vi skickar den inte.'))
  assert.equal(await page.getByRole('article', { name: 'Lämna din inkomstdeklaration' }).count(), 1)
  const earlier = page.getByRole('table')
  assert.match(await flat(earlier), /Lämna din inkomstdeklaration .* Borttagen/)
  if (options.checkAccessibility) await assertAccessible(page, 'the reminders page after dismissing one')
}

/** He stops sharing: the times are deleted, and a reminder planned after that does without them. */
async function withdrawCalendar(page: Page, samla: RunningSamla, options: { checkAccessibility: boolean }) {
  await page.goto('/mina-sidor/kalender')
  await clickAndWaitFor(page, /withdrawn=/, () =>
    page.getByRole('button', { name: 'Sluta dela och radera tiderna' }).click(),
  )
  assert.ok((await mainText(page)).includes('Du delar inte längre kalendern. Vi har raderat tiderna.'))
  if (options.checkAccessibility) await assertAccessible(page, 'the calendar page after sharing stopped')
  await createJobWorker(samla.container).drain()
  assert.deepEqual(await samla.container.consent.listSharedCalendars(await erikId(samla)), [])

  await fireLaterTaxReturn(samla, 2028, '2028-03-14')
  await clickAndWaitFor(
    page,
    (url) => url.pathname === REMINDERS,
    () => mainNav(page).getByRole('link', { name: 'Påminnelser', exact: true }).click(),
  )
  const planned = page
    .getByRole('article', { name: 'Lämna din inkomstdeklaration' })
    .filter({ hasText: /2028/ })
  await openWhyThen(planned, /Vi valde den första vardagen/)
  const text = await flat(planned)
  // Without the calendar: the first weekday after today, Wednesday 18 March, in his hours.
  assert.match(text, /Vi påminner dig 18 mars 2026 18:00/)
  assert.match(text, /Vi valde den första vardagen efter att det blev aktuellt/)
  assert.ok(!(await mainText(page)).includes('kalendern du delar'), 'no reminder rests on the calendar')
  if (options.checkAccessibility) await assertAccessible(page, 'the reminders page without a calendar')
}

describe('journey 6 in the browser: the tax return, at the right moment', () => {
  let samla: RunningSamla
  let context: BrowserContext
  let page: Page

  before(async () => {
    samla = await startOnTaxReturnDay()
    context = await newSwedishContext(browser, samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
  })
  after(async () => {
    await context?.close()
    await samla?.close()
  })

  it('Erik chooses e-mail in the evening, and shares his calendar with Skatteverket', async () => {
    await chooseEveningsByEmail(page, { checkAccessibility: true })
    await shareCalendarWithSkatteverket(page, samla, { checkAccessibility: true })
  })

  it('the tax return opens, and he sees his reminder on a free evening, with why and why then', async () => {
    await taxReturnOpens(samla)
    await readWhy(page, { checkAccessibility: true })
  })

  it('he moves it to a day of his own, but not past the deadline', async () => {
    await moveIt(page, { checkAccessibility: true })
  })

  it('he dismisses next year’s reminder', async () => {
    await dismissNextYears(page, samla, { checkAccessibility: true })
  })

  it('he stops sharing the calendar, and what is planned after that does without it', async () => {
    await withdrawCalendar(page, samla, { checkAccessibility: true })
  })
})

describe('journey 6 without JavaScript', () => {
  let samla: RunningSamla
  let context: BrowserContext
  let page: Page

  before(async () => {
    samla = await startOnTaxReturnDay()
    context = await newSwedishContext(browser, samla.baseUrl, { javaScriptEnabled: false })
    page = await context.newPage()
  })
  after(async () => {
    await context?.close()
    await samla?.close()
  })

  it('Erik shares his calendar, reads why, moves, dismisses, and stops sharing', async () => {
    const options = { checkAccessibility: false }
    await chooseEveningsByEmail(page, options)
    await shareCalendarWithSkatteverket(page, samla, options)
    await taxReturnOpens(samla)
    await readWhy(page, options)
    await moveIt(page, options)
    await dismissNextYears(page, samla, options)
    await withdrawCalendar(page, samla, options)
  })
})
