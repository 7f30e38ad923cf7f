// Journey 4, "Flytta", in a real browser: Johan Karlsson moves from Sundsvall to Göteborg. He opens
// the life event, signs in, and reports the move once from his plan. A postal code with four digits
// and no municipality get a summary of what is wrong, each item linked to its field, and nothing is
// stored. Then the job worker tells Skatteverket, and after its receipt Försäkringskassan, CSN, the
// Pensions Agency and both municipalities; CSN's system is down, and the plan says Samla tries
// again. The plan shows each agency's receipt, and what he must still do for the old and the new
// municipality. Every page is checked with axe (WCAG 2.1 A and AA), and the walk is made once more
// with JavaScript turned off.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createJobWorker } from '../../src/app/jobs.ts'
import {
  assertAccessible,
  clickAndWaitFor,
  heading,
  launchChromium,
  mainText,
  newSwedishContext,
  type RunningSamla,
  shown,
  signInAs,
  startSamla,
} from '../helpers/browser.ts'

const JOHAN = '198807072395'
const PLAN = '/livshandelser/flytta'
const FORM = '/flytta/anmal'

let browser: Browser

before(async () => {
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
})

/** Samla where CSN's system does not take messages: its delivery fails and is tried again later. */
const startWithCsnDown = () => startSamla({ env: { INTEROP_CONNECTORS: 'csn=failing-demo' } })

/** What Samla keeps of Johan's reported moves. */
async function reportedMoves(samla: RunningSamla) {
  const johan = (await samla.container.people.identifyPerson(JOHAN, 'test')) as string
  return samla.container.database.db
    .selectFrom('interop.changes')
    .select(['kind', 'occurred_on'])
    .where('person_id', '=', johan)
    .execute()
}

/** From the start page: the life event "Flytta", sign in, and his own plan. */
async function openPlan(page: Page, options: { checkAccessibility: boolean }) {
  await page.goto('/')
  await clickAndWaitFor(
    page,
    (url) => url.pathname === PLAN,
    () => page.getByRole('link', { name: 'Flytta', exact: true }).click(),
  )
  assert.equal(await heading(page), 'Flytta')
  if (options.checkAccessibility) await assertAccessible(page, 'the general plan for Flytta')
  await clickAndWaitFor(page, /\/idp-login\//, () =>
    page.getByRole('link', { name: 'Logga in', exact: true }).first().click(),
  )
  await signInAs(page, 'Johan Karlsson', { landsOn: PLAN })
  const text = await mainText(page)
  assert.match(text, /Din personliga plan/)
  assert.match(text, /Flyttdag: 15 december 2026\./)
  if (options.checkAccessibility) await assertAccessible(page, 'Johan’s plan for Flytta')
}

/** From the plan to the form; a bad postal code and no municipality are refused, field by field. */
async function reportWithMistakes(page: Page, samla: RunningSamla, options: { checkAccessibility: boolean }) {
  await clickAndWaitFor(
    page,
    (url) => url.pathname === FORM,
    () => page.getByRole('link', { name: 'Anmäl flytten i Samla' }).click(),
  )
  assert.equal(await heading(page), 'Anmäl flytt')
  if (options.checkAccessibility) await assertAccessible(page, 'the form to report a move')

  await page.getByLabel('Gatuadress').fill('Vasagatan 12')
  await page.getByLabel('Postnummer').fill('4112')
  await page.getByLabel('Postort').fill('Göteborg')
  await page.getByLabel('Flyttdag').fill('2026-12-15')
  await clickAndWaitFor(
    page,
    (url) => url.pathname === FORM,
    () => page.getByRole('button', { name: 'Skicka flyttanmälan' }).click(),
  )
  await page.waitForLoadState()
  assert.equal(await heading(page), 'Anmäl flytt', 'still on the form')

  // The summary names each problem and leads to its field; the field says the same, and is invalid.
  const summary = page.getByRole('alert')
  const summaryText = await shown(summary)
  assert.match(summaryText, /Välj kommunen du flyttar till\./)
  assert.match(summaryText, /Postnumret ska vara fem siffror, till exempel 413 01\./)
  const municipality = page.getByLabel('Kommun du flyttar till')
  assert.equal(await municipality.getAttribute('aria-invalid'), 'true')
  assert.match(
    (await shown(page.locator(`#${await municipality.getAttribute('aria-describedby')}`))).trim(),
    /Välj kommunen du flyttar till\./,
  )
  await summary.getByRole('link', { name: 'Välj kommunen du flyttar till.' }).click()
  await page.waitForURL(/#municipalityId$/)
  if (options.checkAccessibility) {
    assert.equal(
      await municipality.evaluate((el) => el === document.activeElement),
      true,
      'the link moves focus',
    )
    await assertAccessible(page, 'the form to report a move, with problems')
  }
  // What he wrote is kept, so only the problems need putting right.
  assert.equal(await page.getByLabel('Gatuadress').inputValue(), 'Vasagatan 12')
  assert.deepEqual(await reportedMoves(samla), [], 'nothing is stored')
}

/** He puts the problems right and sends the report; he lands on the plan, which says what happens. */
async function reportTheMove(page: Page, samla: RunningSamla, options: { checkAccessibility: boolean }) {
  await page.getByLabel('Postnummer').fill('411 24')
  await page.getByLabel('Kommun du flyttar till').selectOption({ label: 'Göteborgs Stad' })
  await clickAndWaitFor(
    page,
    (url) => url.pathname === PLAN && url.hash === '#anmald-flytt',
    () => page.getByRole('button', { name: 'Skicka flyttanmälan' }).click(),
  )
  const reported = page.getByRole('region', { name: 'Du har anmält flytten' })
  const text = (await shown(reported)).replace(/\s+/g, ' ')
  assert.match(text, /Du anmälde flytten till 15 december 2026 i Samla/)
  assert.match(text, /Skatteverket: Skickas nu\./)
  assert.match(text, /Försäkringskassan: Skickas när Skatteverket har tagit emot flyttanmälan\./)
  assert.equal(await page.getByRole('link', { name: 'Anmäl flytten i Samla' }).count(), 0)
  if (options.checkAccessibility) await assertAccessible(page, 'the plan with the reported move')
  assert.deepEqual(await reportedMoves(samla), [{ kind: 'move', occurred_on: '2026-12-15' }])
}

/** The job worker delivers; the plan shows the receipts, CSN being tried again, and what is left. */
async function seeReceiptsAndWhatIsLeft(
  page: Page,
  samla: RunningSamla,
  options: { checkAccessibility: boolean },
) {
  await createJobWorker(samla.container).drain()
  await page.reload()
  const reported = (await shown(page.getByRole('region', { name: 'Du har anmält flytten' }))).replace(
    /\s+/g,
    ' ',
  )
  for (const agency of [
    'Skatteverket',
    'Försäkringskassan',
    'Pensionsmyndigheten',
    'Sundsvalls kommun',
    'Göteborgs Stad',
  ])
    assert.match(
      reported,
      new RegExp(
        `${agency}: ${agency} tog emot uppgifterna 25 nov\\. 2026 \\d\\d:\\d\\d\\. Kvitto: [0-9a-f-]{36}\\.`,
      ),
      `${agency} gave a receipt`,
    )
  assert.match(
    reported,
    /CSN: CSN har inte tagit emot uppgifterna än\. Samla försöker igen av sig självt \(antal försök hittills: 1\)\. Du behöver inte göra något\./,
  )

  const step = (title: string) => page.getByRole('article', { name: title })
  const stepText = async (title: string) => (await shown(step(title))).replace(/\s+/g, ' ')
  assert.match(await stepText('Anmäl flytten till Skatteverket'), /Klart/)
  assert.match(
    await stepText('Anmäl flytten till Skatteverket'),
    /Mottaget Skatteverket tog emot uppgifterna/,
  )
  assert.match(await stepText('Den nya kommunen får dina uppgifter'), /Mottaget Göteborgs Stad tog emot/)
  assert.match(
    await stepText('Den gamla kommunen får veta att du flyttar'),
    /Mottaget Sundsvalls kommun tog emot/,
  )
  assert.match(await stepText('CSN får din nya adress'), /Försöker igen/)
  // What does not update by itself, for each municipality, with whom to turn to.
  // Ending what he has in Sundsvall should have been done a month before the move.
  assert.match(await stepText('Avsluta tjänster i den gamla kommunen'), /Datumet har passerat/)
  assert.match(await stepText('Avsluta tjänster i den gamla kommunen'), /Ansvarig Sundsvalls kommun/)
  assert.match(
    await stepText('Avsluta tjänster i den gamla kommunen'),
    /Säg upp det du har i den gamla kommunen/,
  )
  assert.match(await stepText('Parkeringstillstånd i den nya kommunen'), /Ansvarig Göteborgs Stad/)
  assert.match(
    await stepText('Parkeringstillstånd i den nya kommunen'),
    /ansök om det på nytt i den nya kommunen/,
  )
  assert.match(await stepText('Vatten, avlopp och sophämtning'), /Du behöver göra något/)
  if (options.checkAccessibility) await assertAccessible(page, 'the plan with receipts')
}

describe('journey 4 in the browser: Johan reports his move once', () => {
  let samla: RunningSamla
  let context: BrowserContext
  let page: Page

  before(async () => {
    samla = await startWithCsnDown()
    context = await newSwedishContext(browser, samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
  })
  after(async () => {
    await context?.close()
    await samla?.close()
  })

  it('opens "Flytta", signs in and sees his own plan from the planned move', async () => {
    await openPlan(page, { checkAccessibility: true })
  })

  it('a bad postal code and no municipality are named and linked to their fields, and nothing is stored', async () => {
    await reportWithMistakes(page, samla, { checkAccessibility: true })
  })

  it('he puts them right and reports the move, and the plan says who will get it', async () => {
    await reportTheMove(page, samla, { checkAccessibility: true })
  })

  it('the agencies’ receipts show on the plan, CSN is tried again, and what is left stays to do', async () => {
    await seeReceiptsAndWhatIsLeft(page, samla, { checkAccessibility: true })
  })
})

describe('journey 4 without JavaScript', () => {
  let samla: RunningSamla
  let context: BrowserContext
  let page: Page

  before(async () => {
    samla = await startWithCsnDown()
    context = await newSwedishContext(browser, samla.baseUrl, { javaScriptEnabled: false })
    page = await context.newPage()
  })
  after(async () => {
    await context?.close()
    await samla?.close()
  })

  it('Johan reports his move, is told what is wrong, and sees the receipts on his plan', async () => {
    await openPlan(page, { checkAccessibility: false })
    await reportWithMistakes(page, samla, { checkAccessibility: false })
    await reportTheMove(page, samla, { checkAccessibility: false })
    await seeReceiptsAndWhatIsLeft(page, samla, { checkAccessibility: false })
  })
})
