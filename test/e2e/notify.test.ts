// Notifications in a real browser: Erik Lindqvist opens "Aviseringar", chooses e-mail first and SMS
// second, is told clearly what is missing, saves, and later finds the decision's e-mail in the
// development mailbox, which Samla's own SMTP server caught. The browser offers web push where
// JavaScript runs; without JavaScript the same form works. Every page is checked with axe (WCAG
// 2.1 A and AA) on the walk with JavaScript on.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { createJobWorker } from '../../src/app/jobs.ts'
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

const running = samlaInChromium()

/** Erik fills in the preference centre: e-mail first, SMS second, quiet at night. */
async function choose(page: Page, values: { email: string; mobile: string }) {
  await page.getByLabel('Förstahandsval').selectOption('email')
  await page.getByLabel('Andrahandsval').selectOption('sms')
  await page.getByLabel('E-postadress').fill(values.email)
  await page.getByLabel('Mobilnummer').fill(values.mobile)
  const quiet = page.getByRole('group', { name: 'Tider då vi inte stör' })
  await quiet.getByLabel('Från klockan (tt:mm)').fill('21:00')
  await quiet.getByLabel('Till klockan (tt:mm)').fill('07:00')
}

const save = (page: Page) => page.getByRole('button', { name: 'Spara' }).click()

for (const javaScriptEnabled of [true, false]) {
  describe(`the preference centre in the running.browser, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    let context: BrowserContext
    let page: Page
    before(async () => {
      context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled })
      page = await context.newPage()
    })
    after(() => context?.close())

    it('shows what is missing, then keeps Erik’s choices', async () => {
      await page.goto('/mina-sidor/aviseringar')
      await signInAs(page, 'Erik Lindqvist', { landsOn: '/mina-sidor/aviseringar' })
      assert.equal(await heading(page), 'Aviseringar')
      // axe runs in the page, so it checks the walk with JavaScript on.
      const checkAccessibility = (what: string) =>
        javaScriptEnabled ? assertAccessible(page, what) : undefined
      await checkAccessibility('the preference centre')
      const pushButton = page.getByRole('button', { name: 'Slå på notiser i den här webbläsaren' })
      assert.equal(await pushButton.isVisible(), javaScriptEnabled, 'push is offered where it can work')

      await choose(page, { email: '', mobile: '070 12' })
      await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), save(page)])
      await page.waitForLoadState()
      const problems = await mainText(page)
      assert.ok(problems.includes('Fyll i din e-postadress, eller välj bort e-post.'))
      assert.ok(problems.includes('Skriv ett mobilnummer, till exempel 070-123 45 67.'))
      await checkAccessibility('the preference centre with problems')

      await choose(page, { email: 'erik.lindqvist@example.se', mobile: '070-123 45 67' })
      await clickAndWaitFor(page, /\/mina-sidor\/aviseringar\?sparat=1$/, () => save(page))
      assert.ok((await mainText(page)).includes('Dina val är sparade.'))
      assert.equal(await page.getByLabel('Mobilnummer').inputValue(), '+46701234567')
      await checkAccessibility('the preference centre, saved')
    })
  })
}

describe('the decision’s e-mail in the development mailbox', () => {
  let context: BrowserContext
  let page: Page
  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
  })
  after(() => context?.close())

  it('arrives over SMTP and is shown to Erik', async () => {
    const erik = (await running.samla.container.people.identifyPerson('198111042381', 'test')) as string
    const caseId = randomUUID()
    await running.samla.container.notify.sendNotification({
      personId: erik,
      template: 'case-decision',
      data: { caseId },
    })
    await createJobWorker(running.samla.container).drain()

    await page.goto('/mina-sidor/aviseringar')
    await signInAs(page, 'Erik Lindqvist', { landsOn: '/mina-sidor/aviseringar' })
    assert.match(await mainText(page), /Ett beslut\s+E-post\s+Skickat/)
    await clickAndWaitFor(page, /\/dev\/mailbox$/, () =>
      page.getByRole('link', { name: 'Se e-post och sms i brevlådan för utveckling' }).click(),
    )
    assert.equal(await heading(page), 'Brevlåda för utveckling')
    const text = await mainText(page)
    assert.ok(text.includes('Du har fått ett beslut i Samla'))
    assert.ok(text.includes('Till erik.lindqvist@example.se'))
    assert.ok(text.includes(`/mina-arenden/${caseId}`))
    await assertAccessible(page, 'the development mailbox')
    assert.equal(await mainNav(page).getByRole('link', { name: 'Aviseringar' }).count(), 1)
  })
})
