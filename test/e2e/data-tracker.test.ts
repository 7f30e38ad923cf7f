// The end of journey 7 in a real browser: Erik Lindqvist's VAB case was read by a caseworker at
// Försäkringskassan. He goes from his profile to "Vem har sett mina uppgifter", sees her read with
// when and why, narrows the list with the filters, then opens "Mina uppgifter" and downloads
// everything Samla holds about him. Every page is checked with axe (WCAG 2.1 A and AA), and the walk
// is made once more with JavaScript turned off.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import {
  assertAccessible,
  clickAndWaitFor,
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

before(async () => {
  samla = await startSamla()
  browser = await launchChromium()
  // Erik and Lina both claim Monday for Elsa; Karin Holm at Försäkringskassan opens Erik's case.
  const { people, cases } = samla.container
  const erik = (await people.identifyPerson('198111042381', 'test')) as string
  const lina = (await people.identifyPerson('198406122393', 'test')) as string
  const elsa = (await people.identifyPerson('202103172389', 'test')) as string
  const apply = (personId: string, key: string) =>
    cases.submitVabApplication({
      applicantPersonId: personId,
      idempotencyKey: key,
      application: { childPersonId: elsa, days: [{ date: '2026-11-23', fraction: 1, reason: 'child-ill' }] },
    })
  await apply(lina, 'e2e-tracker-lina')
  const filed = await apply(erik, 'e2e-tracker-erik')
  assert.equal(filed.kind === 'filed' && filed.status, 'in-queue')
  if (filed.kind === 'filed')
    await cases.openCase({ subject: 'karin', agencyId: 'forsakringskassan' }, filed.caseId)
})
after(async () => {
  await browser?.close()
  await samla?.close()
})

async function walk(page: Page, options: { checkAccessibility: boolean }) {
  await page.goto('/mina-sidor/profil')
  if (page.url().includes('/idp-login/'))
    await signInAs(page, 'Erik Lindqvist', { landsOn: '/mina-sidor/profil' })
  await clickAndWaitFor(page, /\/mina-sidor\/vem-har-sett$/, () =>
    page.getByRole('link', { name: 'Vem har sett mina uppgifter' }).click(),
  )
  assert.equal(await heading(page), 'Vem har sett mina uppgifter')
  const all = await mainText(page)
  assert.ok(all.includes('En handläggare på Försäkringskassan'))
  assert.ok(all.includes('För att handlägga ett ärende om dig'))
  if (options.checkAccessibility) await assertAccessible(page, 'the list of who has seen my data')

  await page.getByLabel('Vem').selectOption('caseworker')
  await clickAndWaitFor(page, /vem=caseworker/, () => page.getByRole('button', { name: 'Visa' }).click())
  const filtered = await mainText(page)
  assert.ok(filtered.includes('En handläggare på Försäkringskassan'))
  assert.ok(!filtered.includes('– Du själv'))

  await page.getByLabel('Från och med').fill('2026-11-26')
  await page.getByLabel('Till och med').fill('2026-11-01')
  await clickAndWaitFor(page, /fran=2026-11-26/, () => page.getByRole('button', { name: 'Visa' }).click())
  assert.ok((await mainText(page)).includes('Datumet "till och med" kan inte vara före "från och med".'))
  if (options.checkAccessibility) await assertAccessible(page, 'the list with a period that does not hold')

  await page.goto('/mina-sidor/profil')
  await clickAndWaitFor(page, /\/mina-sidor\/mina-uppgifter$/, () =>
    page.getByRole('link', { name: 'Mina uppgifter', exact: true }).click(),
  )
  assert.equal(await heading(page), 'Mina uppgifter')
  const mine = await mainText(page)
  for (const words of [
    'Från folkbokföringen',
    'Erik Lindqvist',
    'Dina ärenden',
    'Vem som har läst dina uppgifter',
  ])
    assert.ok(mine.includes(words), words)
  if (options.checkAccessibility) await assertAccessible(page, 'everything Samla holds about me')
}

describe('Erik sees who has read his data, and downloads all of it', () => {
  it('walks from his profile to the list and to everything Samla holds, every page accessible', async () => {
    const context = await newSwedishContext(browser, samla.baseUrl, { javaScriptEnabled: true })
    try {
      const page = await context.newPage()
      await walk(page, { checkAccessibility: true })
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Ladda ned allt som en fil (JSON)' }).click(),
      ])
      assert.equal(download.suggestedFilename(), 'samla-mina-uppgifter-2026-11-25.json')
      const data = JSON.parse(await readFile((await download.path()) as string, 'utf8'))
      assert.equal(data.sections.register.identity.givenName, 'Erik')
      assert.ok(data.sections.cases.cases.length >= 1)
    } finally {
      await context.close()
    }
  })

  it('works the same without JavaScript', async () => {
    const context = await newSwedishContext(browser, samla.baseUrl, { javaScriptEnabled: false })
    try {
      await walk(await context.newPage(), { checkAccessibility: false })
    } finally {
      await context.close()
    }
  })
})
