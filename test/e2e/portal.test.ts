// Journey 1, "Expecting a first child", in a real browser: Anna Berg, who is expecting, finds
// "Vi ska få barn", signs in through the development identity provider and sees her own plan with
// dates counted from her expected date. Every portal page on the way is checked with axe (WCAG 2.1
// A and AA), and the same walk is made once more with JavaScript turned off.
//
// Samla runs in this process on a free port. The browser uses http://localhost, which Chromium
// treats as a secure context, so the Secure session cookie is kept.
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
  shown,
  signInAs,
} from '../helpers/browser.ts'

const LIFE_EVENT = '/livshandelser/vi-ska-fa-barn'

// --- Page objects: what a person sees and does ---------------------------------------------------

/** From the page in front of her: "Logga in" in the header, the identity provider, and back. */
async function signInFromHeader(page: Page, name: string, options: { checkAccessibility: boolean }) {
  const back = new URL(page.url()).pathname
  await clickAndWaitFor(page, /\/idp-login\//, () =>
    mainNav(page).getByRole('link', { name: 'Logga in' }).click(),
  )
  await signInAs(page, name, {
    checkHeading: true,
    checkAccessibility: options.checkAccessibility,
    landsOn: back,
  })
}

async function signOut(page: Page) {
  await clickAndWaitFor(page, /\/utloggad$/, () => page.getByRole('button', { name: 'Logga ut' }).click())
  assert.equal(await heading(page), 'Du är utloggad')
  assert.equal(await page.getByRole('button', { name: 'Logga ut' }).count(), 0)
  assert.equal(await mainNav(page).getByRole('link', { name: 'Logga in' }).count(), 1)
}

async function openFromMenu(page: Page, link: string, path: string) {
  await clickAndWaitFor(
    page,
    (url) => url.pathname === path,
    () => mainNav(page).getByRole('link', { name: link, exact: true }).click(),
  )
}

/** One step of the plan, found by its heading. */
function planStep(page: Page, title: string) {
  const step = page.getByRole('article', { name: title })
  return {
    text: () => shown(step),
    /** The "Senast" (by) date with the days left, on one line. */
    due: async () =>
      (await shown(step.locator('dt:text-is("Senast") + dd, dt:text-is("By") + dd')))
        .replace(/\s+/g, ' ')
        .trim(),
  }
}

// --- The journeys ------------------------------------------------------------------------------

const running = samlaInChromium()

describe('journey 1 – "Vi ska få barn" in the browser', () => {
  let context: BrowserContext
  let page: Page

  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
  })
  after(() => context?.close())

  it('the start page offers the life event, and the plan is a general one before signing in', async () => {
    await page.goto('/')
    assert.equal(await heading(page), 'Vad händer i ditt liv?')
    await assertAccessible(page, 'the start page')

    await clickAndWaitFor(
      page,
      (url) => url.pathname === LIFE_EVENT,
      () => page.getByRole('link', { name: 'Vi ska få barn', exact: true }).click(),
    )
    assert.equal(await heading(page), 'Vi ska få barn')
    const text = await mainText(page)
    assert.ok(text.includes('En allmän plan'), 'an anonymous visitor sees the general plan')
    assert.ok(text.includes('Ange datumet så räknar vi ut när varje steg ska vara klart.'))
    await assertAccessible(page, 'the general plan')
  })

  it('Anna signs in and lands back on her personal plan, with dates from her expected date', async () => {
    await signInFromHeader(page, 'Anna Berg', { checkAccessibility: true })

    assert.equal(await heading(page), 'Vi ska få barn')
    const text = await mainText(page)
    assert.ok(text.includes('Din personliga plan'), 'the plan says it is hers')
    assert.ok(text.includes('dagens datum (25 november 2026)'))
    assert.ok(
      text.includes('Beräknat förlossningsdatum: 12 mars 2027.'),
      'the expected date comes from the maternity care register',
    )
    assert.ok(text.includes('Datumet kommer från mödrahälsovården i din region.'))

    // Due dates counted from the expected date 2027-03-12, days left from today 2026-11-25.
    const due = (step: string) => planStep(page, step).due()
    // Two months before: tell the employer about parental leave.
    assert.equal(
      await due('Planera föräldraledigheten och berätta för arbetsgivaren'),
      'tis 12 januari 2027 (om 48 dagar)',
    )
    // 60 days after: the other parent's ten days around the birth.
    assert.equal(await due('Tio dagar ledigt i samband med födelsen'), 'tis 11 maj 2027 (om 167 dagar)')
    // Three months after: the child's name.
    assert.equal(await due('Ansök om barnets namn'), 'lör 12 juni 2027 (om 199 dagar)')
    // Eight months after: apply for preschool, four months before the child turns one.
    assert.equal(await due('Ansök om plats i förskolan'), 'fre 12 november 2027 (om 352 dagar)')

    // Who is responsible, what happens by itself, and the steps that apply to her.
    const registration = await planStep(page, 'Barnet folkbokförs och får personnummer').text()
    assert.ok(registration.includes('Sker automatiskt') && registration.includes('Skatteverket'))
    assert.ok((await planStep(page, 'Barnbidrag betalas ut automatiskt').text()).includes('Sker automatiskt'))
    const parenthood = await planStep(page, 'Bekräfta föräldraskapet').text()
    assert.ok(
      parenthood.includes('Linköpings kommun'),
      'Anna is not married: her municipality confirms parenthood',
    )
    assert.ok((await planStep(page, 'Välj barnavårdscentral (BVC)').text()).includes('Region Östergötland'))

    await assertAccessible(page, 'the personal plan')
  })

  it('"Mina ärenden" shows that she has no cases yet', async () => {
    await openFromMenu(page, 'Mina ärenden', '/mina-arenden')
    assert.equal(await heading(page), 'Mina ärenden')
    assert.ok((await mainText(page)).includes('Du har inga ärenden än.'))
    await assertAccessible(page, 'Mina ärenden')
  })

  it('"Min profil" shows her name and personal identity number', async () => {
    await openFromMenu(page, 'Min profil', '/mina-sidor/profil')
    assert.equal(await heading(page), 'Min profil')
    const text = await mainText(page)
    assert.ok(text.includes('Anna Berg'))
    assert.ok(text.includes('19970514-2389'))
    assert.ok(text.includes('Linköpings kommun'))
    await assertAccessible(page, 'Min profil')
  })

  it('switches to English and back to Swedish', async () => {
    await clickAndWaitFor(page, /[?&]lang=en\b/, () =>
      mainNav(page).getByRole('link', { name: 'In English' }).click(),
    )
    assert.equal(await heading(page), 'My profile')
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    assert.ok((await mainText(page)).includes('19970514-2389'))
    await assertAccessible(page, 'My profile in English')

    // The choice is remembered: the plan is in English too.
    await page.goto(LIFE_EVENT)
    assert.equal(await heading(page), 'We are having a baby')
    assert.ok((await mainText(page)).includes('Your personal plan'))
    assert.equal(await planStep(page, "Apply for the child's name").due(), 'Sat, 12 June 2027 (in 199 days)')
    await assertAccessible(page, 'the personal plan in English')

    await clickAndWaitFor(page, /[?&]lang=sv\b/, () =>
      mainNav(page).getByRole('link', { name: 'På svenska' }).click(),
    )
    assert.equal(await heading(page), 'Vi ska få barn')
    assert.equal(await page.locator('html').getAttribute('lang'), 'sv')
  })

  it('signs out, and her pages ask for sign-in again', async () => {
    await signOut(page)
    await assertAccessible(page, 'the signed-out page')

    const response = await page.goto('/mina-sidor/profil')
    const visited: string[] = []
    for (let r = response?.request() ?? null; r; r = r.redirectedFrom()) visited.unshift(r.url())
    assert.equal(new URL(visited[0] ?? '').pathname, '/mina-sidor/profil')
    assert.equal(visited[1], `${running.samla.baseUrl}/logga-in?returnTo=%2Fmina-sidor%2Fprofil`)
    assert.match(page.url(), /\/idp-login\//, 'the profile is behind sign-in')
    assert.equal(await heading(page), 'Logga in med test-e-legitimation')
  })

  it('the other portal pages on the way have no accessibility violations', async () => {
    const pages: Array<{ path: string; h1: string; says: string }> = [
      { path: '/tjanster', h1: 'Alla tjänster', says: 'Barnbidrag och flerbarnstillägg' },
      { path: '/tjanster/barnbidrag', h1: 'Barnbidrag och flerbarnstillägg', says: 'Försäkringskassan' },
      {
        path: '/tjanster/ansokan-om-forskoleplats?kommun=nacka-kommun',
        h1: 'Ansökan om förskoleplats',
        says: 'Tjänsten i Nacka kommun',
      },
      {
        path: '/livshandelser/finns-inte',
        h1: 'Något gick fel',
        says: 'Den livshändelsen finns inte i Samla.',
      },
      { path: '/regler', h1: 'Regler', says: 'Vård av sjukt barn (VAB)' },
      {
        path: '/regler/barnbidrag?datum=2026-03-15&children=3&jointCustody=false&birthDate=2026-03-15',
        h1: 'Barnbidrag och flerbarnstillägg',
        says: 'Med 3 barn är flerbarnstillägget 730 kronor i månaden.',
      },
      { path: '/livshandelser/deklarera', h1: 'Deklarera', says: 'mån 3 maj 2027' },
    ]
    for (const { path, h1, says } of pages) {
      await page.goto(path)
      assert.equal(await heading(page), h1, path)
      assert.ok((await mainText(page)).includes(says), `${path} says "${says}"`)
      await assertAccessible(page, path)
    }
  })
})

describe('the portal without JavaScript', () => {
  let context: BrowserContext
  let page: Page

  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: false })
    page = await context.newPage()
  })
  after(() => context?.close())

  it('Anna signs in, sees her plan and signs out with JavaScript turned off', async () => {
    await page.goto('/')
    await clickAndWaitFor(
      page,
      (url) => url.pathname === LIFE_EVENT,
      () => page.getByRole('link', { name: 'Vi ska få barn', exact: true }).click(),
    )
    assert.ok((await mainText(page)).includes('En allmän plan'))

    await signInFromHeader(page, 'Anna Berg', { checkAccessibility: false })
    const text = await mainText(page)
    assert.ok(text.includes('Din personliga plan'))
    assert.ok(text.includes('Beräknat förlossningsdatum: 12 mars 2027.'))
    assert.ok((await planStep(page, 'Ansök om barnets namn').due()).includes('lör 12 juni 2027'))

    await signOut(page)
  })
})

describe('journey 2 – "Barnet är sjukt": Erik applies for a care day and gets a decision at once', () => {
  let context: BrowserContext
  let page: Page

  // axe runs inside the page, so these pages are checked with JavaScript on; the form itself sends
  // no script (test/integration/vab-application.test.ts posts it as a browser without JavaScript would).
  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
  })
  after(() => context?.close())

  it('fills in the prefilled form and reads the decision with its reasons', async () => {
    await page.goto('/ansok/vab')
    await signInAs(page, 'Erik Lindqvist', { checkHeading: true, landsOn: '/ansok/vab' })
    assert.equal(await heading(page), 'Ansök om ersättning för vård av sjukt barn (VAB)')
    assert.match(await mainText(page), /420\s000 kr per år/)
    await assertAccessible(page, 'the VAB application form')

    await page.getByLabel('Elsa Lindqvist (5 år)').check()
    await page.locator('#date1').fill('2026-11-24')
    await page.locator('#fraction1').selectOption('0.5')
    await clickAndWaitFor(page, /\/mina-arenden\/[0-9a-f-]{36}$/, () =>
      page.getByRole('button', { name: 'Skicka ansökan' }).click(),
    )

    const letter = await mainText(page)
    assert.ok(letter.includes('Beslutat'))
    assert.ok(
      letter.includes('Du får tillfällig föräldrapenning för 0,5 dagar, sammanlagt 626,77 kr före skatt.'),
    )
    assert.ok(letter.includes('Barnet var under 12 år.'))
    assert.ok(letter.includes('förvaltningslagen 28 §'))
    assert.ok(letter.includes('Om du inte är nöjd'))
    await assertAccessible(page, 'the decision letter')

    await openFromMenu(page, 'Mina ärenden', '/mina-arenden')
    assert.ok((await mainText(page)).includes('Beslutat – beviljat'))
    await assertAccessible(page, 'Mina ärenden with a case')
    await signOut(page)
  })

  it('points to each mistake in the form and keeps what was written', async () => {
    await page.goto('/ansok/vab')
    await signInAs(page, 'Erik Lindqvist', { checkHeading: true, landsOn: '/ansok/vab' })
    await page.locator('#date1').fill('')
    await page.getByRole('button', { name: 'Skicka ansökan' }).click()
    const text = await mainText(page)
    assert.ok(text.includes('Välj vilket barn du var hemma med.'))
    assert.ok(text.includes('Fyll i minst en dag.'))
    await assertAccessible(page, 'the form with errors')
    await signOut(page)
  })
})

describe('journey 7 – the caseworker decides a case the rules could not', () => {
  let context: BrowserContext
  let page: Page

  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
  })
  after(() => context?.close())

  const applyFor = async (name: string, date: string) => {
    await page.goto('/ansok/vab')
    await signInAs(page, name, { checkHeading: true, landsOn: '/ansok/vab' })
    await page.getByLabel('Elsa Lindqvist (5 år)').check()
    await page.locator('#date1').fill(date)
    await clickAndWaitFor(page, /\/mina-arenden\/[0-9a-f-]{36}$/, () =>
      page.getByRole('button', { name: 'Skicka ansökan' }).click(),
    )
    const url = page.url()
    await signOut(page)
    return url
  }

  it('Lina and Erik both claim the same whole day; Karin decides it, with reasons; Erik reads the decision', async () => {
    await applyFor('Lina Lindqvist', '2026-11-10')
    const eriksCase = await applyFor('Erik Lindqvist', '2026-11-10')

    await page.goto('/handlaggning')
    await signInAs(page, 'Karin Holm', { checkHeading: true, landsOn: '/handlaggning' })
    assert.equal(await heading(page), 'Handläggning')
    await assertAccessible(page, 'the caseworker queue')
    const caseId = eriksCase.split('/').at(-1) as string
    await clickAndWaitFor(
      page,
      (url) => url.pathname === `/handlaggning/${caseId}`,
      () => page.locator(`a[href="/handlaggning/${caseId}"]`).click(),
    )
    assert.ok((await mainText(page)).includes('19811104-2381'))
    await assertAccessible(page, 'the case for the caseworker')
    await page.getByLabel('Bevilja dagen').check()
    await page
      .getByLabel('Motivering med egna ord')
      .fill('Lina har meddelat att hon arbetade den dagen; Erik var hemma med Elsa.')
    await clickAndWaitFor(
      page,
      (url) => url.pathname === `/handlaggning/${caseId}`,
      () => page.getByRole('button', { name: 'Fatta beslut' }).click(),
    )
    assert.ok((await mainText(page)).includes('Beslutat – beviljat'))
    await signOut(page)

    await page.goto(new URL(eriksCase).pathname)
    await signInAs(page, 'Erik Lindqvist', {
      checkHeading: true,
      landsOn: new URL(eriksCase).pathname,
    })
    const letter = await mainText(page)
    assert.ok(letter.includes('fattades av en handläggare på Försäkringskassan'))
    assert.ok(letter.includes('Lina har meddelat att hon arbetade den dagen'))
    await assertAccessible(page, 'a decision made by a caseworker')
    await signOut(page)
  })
})

describe('journey 5, as far as it goes: Greta applies for home help, Nacka’s caseworker assesses', () => {
  let context: BrowserContext
  let page: Page

  before(async () => {
    context = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: true })
    page = await context.newPage()
  })
  after(() => context?.close())

  it('the form, the queued case, the caseworker’s assessment and the decision are all accessible', async () => {
    await page.goto('/ansok/hemtjanst')
    await signInAs(page, 'Greta Svensson', { checkHeading: true, landsOn: '/ansok/hemtjanst' })
    await assertAccessible(page, 'the elderly-care application form')
    await page
      .getByLabel('Berätta vilken hjälp du behöver och varför')
      .fill('Jag klarar inte längre att handla och laga mat själv.')
    await clickAndWaitFor(page, /\/mina-arenden\/[0-9a-f-]{36}$/, () =>
      page.getByRole('button', { name: 'Skicka ansökan' }).click(),
    )
    const casePath = new URL(page.url()).pathname
    const queued = await mainText(page)
    assert.ok(queued.includes('Hos en handläggare'), queued)
    await assertAccessible(page, 'the queued elderly-care case')
    await signOut(page)

    const caseworkerPath = casePath.replace('/mina-arenden/', '/handlaggning/')
    await page.goto(caseworkerPath)
    await signInAs(page, 'Ahmed Rahimi', { checkHeading: true, landsOn: caseworkerPath })
    await assertAccessible(page, 'the assessment page')
    await page.getByLabel('Bevilja').check()
    await page
      .getByLabel('Motivering med egna ord')
      .fill('Greta behöver hjälp med inköp och måltider fem dagar i veckan.')
    await clickAndWaitFor(
      page,
      (url) => url.pathname === caseworkerPath,
      () => page.getByRole('button', { name: 'Fatta beslut' }).click(),
    )
    await signOut(page)

    await page.goto(casePath)
    await signInAs(page, 'Greta Svensson', { checkHeading: true, landsOn: casePath })
    assert.ok((await mainText(page)).includes('fem dagar i veckan'))
    await assertAccessible(page, 'the elderly-care decision')
    await signOut(page)
  })
})
