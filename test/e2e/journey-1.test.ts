// Journey 1 in a real browser (the portal's pages send no JavaScript; axe needs it): Anna Berg signs in and reads her plan for "Vi
// ska få barn". Her daughter is born early and the birth is registered in folkbokföringen (the
// register adapter's event); the job worker does the rest. Her plan has updated itself: the birth
// step is done, barnbidrag is granted without an application with the amount and the first
// payment, and the decision is under Mina ärenden. Every page is checked with axe (WCAG 2.1 A, AA).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createJobWorker } from '../../src/app/jobs.ts'
import {
  assertAccessible,
  heading,
  launchChromium,
  mainText,
  newSwedishContext,
  type RunningSamla,
  signInAs,
  startSamla,
} from '../helpers/browser.ts'

let samla: RunningSamla
let browser: Browser
let context: BrowserContext
let page: Page

before(async () => {
  samla = await startSamla()
  browser = await launchChromium()
})
after(async () => {
  await context?.close()
  await browser?.close()
  await samla?.close()
})

describe('journey 1 in the browser: the birth is registered and the plan updates itself', () => {
  it('Anna signs in and sees her plan from the expected date', async () => {
    context = await newSwedishContext(browser, samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
    // Mina ärenden asks her to sign in first, and brings her back.
    await page.goto('/mina-arenden')
    assert.match(page.url(), /\/idp-login\//)
    await signInAs(page, 'Anna Berg', { landsOn: '/mina-arenden' })
    await page.goto('/livshandelser/vi-ska-fa-barn')
    assert.equal(await heading(page), 'Vi ska få barn')
    const text = await mainText(page)
    assert.match(text, /Din personliga plan/)
    assert.match(text, /Beräknat förlossningsdatum: 12 mars 2027/)
    await assertAccessible(page, 'the plan before the birth')
  })

  it('after the birth, the birth step is done and barnbidrag is granted with amount and first payment', async () => {
    const recorded = await samla.container.people.recordRegisterEvent({
      sourceEventId: 'skv-navet-e2e-1',
      kind: 'birth',
      personalNumber: '20261120-2389',
      occurredOn: '2026-11-20',
      data: { guardians: ['199705142389', '199508302396'], givenName: 'Alma' },
    })
    assert.equal(recorded.kind, 'recorded')
    await createJobWorker(samla.container).drain()

    await page.goto('/livshandelser/vi-ska-fa-barn')
    const text = (await mainText(page)).replace(/\s+/g, ' ')
    assert.match(text, /Födseln registrerades 20 november 2026\./)
    assert.match(
      text,
      /Beviljat utan ansökan 25 november 2026\. Du får 625 kr i månaden\. Första utbetalningen kommer 18 december 2026\./,
    )
    await assertAccessible(page, 'the plan after the birth')

    const decision = page.getByRole('link', { name: /^Se beslutet/ })
    const href = (await decision.getAttribute('href')) ?? ''
    assert.match(href, /^\/mina-arenden\/[0-9a-f-]{36}$/)
    await page.goto(href)
    assert.match(await mainText(page), /Du får barnbidrag utan att ansöka/)
    await assertAccessible(page, 'the barnbidrag decision')

    await page.goto('/mina-arenden')
    assert.match(
      (await mainText(page)).replace(/\s+/g, ' '),
      /625 kr i månaden, första utbetalningen 18 december 2026/,
    )
    await assertAccessible(page, 'Mina ärenden with barnbidrag')
  })
})
