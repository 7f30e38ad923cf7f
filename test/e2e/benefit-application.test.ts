// Applying through forms built from the rule sets' inputs, in a real browser: Lejla Hassan applies
// for föräldrapenning for Ida from "Mina ärenden", first with a mistake, then right, and reads the
// decision; Greta Svensson applies for bostadstillägg and reads that a caseworker works out the
// amount. Every page on the way is checked with axe (WCAG 2.1 A and AA). Then the same forms
// without JavaScript: Daniel applies for his days with Ida, and Greta is told she has already
// applied.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import {
  assertAccessible,
  clickAndWaitFor,
  heading,
  mainText,
  newSwedishContext,
  openSignedIn,
  samlaInChromium,
} from '../helpers/browser.ts'

const running = samlaInChromium()

/** The föräldrapenning form, filled in; `days` as typed. */
async function fillLeave(page: Page, leave: { from: string; to: string; days: string }) {
  await page.getByLabel('Första dagen du vill vara ledig').fill(leave.from)
  await page.getByLabel('Sista dagen du vill vara ledig').fill(leave.to)
  await page.getByLabel('Dagar på sjukpenningnivå som du begär').fill(leave.days)
  await page.getByRole('radio', { name: 'Gemensam vårdnad – barnet har två vårdnadshavare' }).check()
  await page
    .getByRole('group', { name: /har tagit ut eller fört över dagar för barnet/ })
    .getByRole('radio', { name: 'Nej' })
    .check()
}

/** The bostadstillägg form, filled in as Greta answers it. */
async function fillHousingSupplement(page: Page) {
  await page
    .getByRole('group', { name: 'Du är gift, registrerad partner eller sambo' })
    .getByRole('radio', { name: 'Nej' })
    .check()
  await page
    .getByRole('group', { name: /Du tar ut hela din allmänna pension/ })
    .getByRole('radio', { name: 'Ja' })
    .check()
  await page.getByLabel('Din boendekostnad per månad').fill('6 500')
  await page.getByLabel('Dina sammanlagda inkomster efter skatt per månad').fill('11 800')
}

const send = (page: Page, url: RegExp) =>
  clickAndWaitFor(page, url, () => page.getByRole('button', { name: 'Skicka ansökan' }).click())

describe('the forms in the running.browser, checked with axe', () => {
  let context: BrowserContext
  let page: Page
  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
  })
  after(() => context?.close())

  it('Lejla goes from Mina ärenden to a decision with reasons, after correcting a mistake', async () => {
    await openSignedIn(page, '/mina-arenden', 'Lejla Hassan')
    await assertAccessible(page, 'Mina ärenden')
    await clickAndWaitFor(page, /\/ansok\/foraldrapenning$/, () =>
      page.getByRole('link', { name: 'Ansök om föräldrapenning' }).click(),
    )
    assert.equal(await heading(page), 'Ansök om föräldrapenning')
    assert.match(await mainText(page), /468\s000 kr/)
    await assertAccessible(page, 'the föräldrapenning form')

    await fillLeave(page, { from: '2026-12-07', to: '2026-12-11', days: 'fem' })
    await send(page, /\/ansok\/foraldrapenning$/)
    assert.match(await mainText(page), /Skriv ett tal med siffror/)
    await assertAccessible(page, 'the form with what to correct')

    await page.getByLabel('Dagar på sjukpenningnivå som du begär').fill('5')
    await send(page, /\/mina-arenden\/[0-9a-f-]{36}$/)
    const letter = await mainText(page)
    assert.match(letter, /Beviljas – du har dagar kvar/)
    assert.match(letter, /994,98 kr per dag/)
    assert.match(letter, /Om du inte är nöjd/)
    await assertAccessible(page, 'the decision on föräldrapenning')
  })

  it('Greta applies for bostadstillägg; the case waits for Pensionsmyndigheten’s caseworker', async () => {
    await context.clearCookies()
    await openSignedIn(page, '/ansok/bostadstillagg', 'Greta Svensson')
    assert.equal(await heading(page), 'Ansök om bostadstillägg för pensionärer')
    await assertAccessible(page, 'the bostadstillägg form')
    await fillHousingSupplement(page)
    await send(page, /\/mina-arenden\/[0-9a-f-]{36}$/)
    const text = await mainText(page)
    assert.match(text, /En handläggare på Pensionsmyndigheten går igenom din ansökan/)
    assert.match(text, /6\s240 kr per månad/)
    await assertAccessible(page, 'the bostadstillägg case waiting for a caseworker')
  })

  it('Leif at Pensionsmyndigheten opens the case from his queue and sees why the rules sent it', async () => {
    await context.clearCookies()
    await openSignedIn(page, '/handlaggning', 'Leif Andersson')
    assert.match(await mainText(page), /Reglerna kan inte avgöra ansökan/)
    await clickAndWaitFor(page, /\/handlaggning\/[0-9a-f-]{36}$/, () =>
      page.getByRole('link', { name: 'Bostadstillägg för pensionärer' }).first().click(),
    )
    assert.match(await mainText(page), /Därför går ansökan till en handläggare/)
    await assertAccessible(page, 'the caseworker’s view of a bostadstillägg case')
  })
})

describe('the forms without JavaScript', () => {
  let context: BrowserContext
  let page: Page
  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: false })
    page = await context.newPage()
  })
  after(() => context?.close())

  it('Daniel applies for his days with Ida and gets the decision', async () => {
    await openSignedIn(page, '/ansok/foraldrapenning', 'Daniel Sjöberg')
    await fillLeave(page, { from: '2026-12-14', to: '2026-12-18', days: '5' })
    await send(page, /\/mina-arenden\/[0-9a-f-]{36}$/)
    assert.match(await mainText(page), /Beviljas – du har dagar kvar/)
  })

  it('Greta is told she has already applied for bostadstillägg', async () => {
    await context.clearCookies()
    await openSignedIn(page, '/ansok/bostadstillagg', 'Greta Svensson')
    await fillHousingSupplement(page)
    await send(page, /\/ansok\/bostadstillagg$/)
    assert.match(await mainText(page), /Du har redan en ansökan om bostadstillägg/)
  })
})
