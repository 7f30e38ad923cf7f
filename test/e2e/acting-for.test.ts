// Journey 5 in a real browser: Greta Svensson (84, Nacka) gives her daughter Maria a power of
// attorney for elderly care on Mina sidor. Maria switches to Greta's errands – every page then
// says whose errands she handles – and applies for home care in Greta's name. Greta sees that
// Maria did it, in her cases and in the case itself, and withdraws the power of attorney: Maria's
// very next request is refused, and she goes back to her own errands. Every page on the way is
// checked with axe (WCAG 2.1 A and AA), and the forms are used once more with JavaScript off.
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
  shown,
} from '../helpers/browser.ts'

const POWERS = '/mina-sidor/fullmakter'
const CHOOSE = '/mina-sidor/vems-arenden'

const running = samlaInChromium()

// --- What a person sees and does ----------------------------------------------------------------

/** The banner in the header that says whose errands are handled. */
const banner = (page: Page) => shown(page.locator('header'))

/** Greta, on "Fullmakter": Maria, by personal identity number, for elderly care, from today for a year. */
async function givePowerToMaria(page: Page, options: { checkAccessibility: boolean }) {
  await openSignedIn(page, POWERS, 'Greta Svensson')
  assert.equal(await heading(page), 'Fullmakter')
  if (options.checkAccessibility) await assertAccessible(page, 'the powers of attorney page')
  await page.getByLabel('Personnummer till den som ska få fullmakten').fill('19681203-2396')
  await page.getByLabel('Äldreomsorg och hemtjänst').check()
  await clickAndWaitFor(page, /klart=given$/, () =>
    page.getByRole('button', { name: 'Ge fullmakten' }).click(),
  )
  const text = await mainText(page)
  assert.ok(text.includes('Fullmakten är klar.'))
  const power = await shown(page.getByRole('article', { name: 'Till Maria Svensson' }).first())
  assert.ok(power.includes('Äldreomsorg och hemtjänst'))
  assert.ok(power.includes('25 november 2026 – 24 november 2027'))
  if (options.checkAccessibility) await assertAccessible(page, 'a power of attorney given')
}

/** Maria, on "Välj vems ärenden du sköter": Greta. */
async function switchToGreta(page: Page, options: { checkAccessibility: boolean }) {
  await openSignedIn(page, CHOOSE, 'Maria Svensson')
  assert.equal(await heading(page), 'Välj vems ärenden du sköter')
  assert.ok((await mainText(page)).includes('Fullmakt för: Äldreomsorg och hemtjänst.'))
  if (options.checkAccessibility) await assertAccessible(page, 'choosing whose errands to handle')
  await page.getByLabel('Greta Svensson').check()
  await clickAndWaitFor(
    page,
    (url) => url.pathname === '/mina-arenden',
    () => page.getByRole('button', { name: 'Välj', exact: true }).click(),
  )
  assert.ok((await banner(page)).includes('Du sköter ärenden åt Greta Svensson (fullmakt)'))
}

// --- The journey ---------------------------------------------------------------------------------

describe('journey 5 – Maria acts for her mother Greta with a power of attorney', () => {
  let gretas: BrowserContext
  let marias: BrowserContext
  let greta: Page
  let maria: Page
  let casePath = ''

  before(async () => {
    gretas = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: true })
    marias = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: true })
    greta = await gretas.newPage()
    maria = await marias.newPage()
  })
  after(async () => {
    await gretas?.close()
    await marias?.close()
  })

  it('Greta gives Maria a power of attorney for elderly care', async () => {
    await givePowerToMaria(greta, { checkAccessibility: true })
  })

  it('Maria switches to Greta’s errands, and every page says so', async () => {
    await switchToGreta(maria, { checkAccessibility: true })
    assert.equal(await heading(maria), 'Mina ärenden')
    assert.ok((await mainText(maria)).includes('Här ser du ärendena för Greta Svensson som du får sköta.'))
    await assertAccessible(maria, 'Mina ärenden while acting for Greta')
    await maria.goto('/')
    assert.ok((await banner(maria)).includes('Du sköter ärenden åt Greta Svensson'))
    await assertAccessible(maria, 'the start page while acting for Greta')
  })

  it('Maria applies for home care in Greta’s name', async () => {
    await maria.goto('/ansok/hemtjanst')
    assert.equal(await heading(maria), 'Ansök om hjälp från kommunen (äldreomsorg)')
    await assertAccessible(maria, 'the elderly-care form while acting for Greta')
    await maria.getByLabel('Vad söker du?').selectOption('hemtjanst-omsorg')
    await maria
      .getByLabel('Berätta vilken hjälp du behöver och varför')
      .fill('Mamma klarar inte längre att duscha och laga mat själv.')
    await clickAndWaitFor(maria, /\/mina-arenden\/[0-9a-f-]{36}$/, () =>
      maria.getByRole('button', { name: 'Skicka ansökan' }).click(),
    )
    casePath = new URL(maria.url()).pathname
    assert.equal(await heading(maria), 'Hemtjänst')
    assert.ok(
      (await mainText(maria)).includes(
        'Maria Svensson (fullmakt) ansökte om hemtjänst den 25 november 2026.',
      ),
    )
    await assertAccessible(maria, 'the case filed in Greta’s name')
  })

  it('the profile is outside the power of attorney, and says so', async () => {
    await maria.goto('/mina-sidor/profil')
    assert.equal(await heading(maria), 'Något gick fel')
    assert.ok((await mainText(maria)).includes('Fullmakten gäller inte det här.'))
    await assertAccessible(maria, 'a page outside the power of attorney')
  })

  it('Greta sees what Maria did in her name', async () => {
    await greta.goto('/mina-arenden')
    assert.ok((await mainText(greta)).includes('Ansökt av Maria Svensson (fullmakt)'))
    assert.ok(!(await banner(greta)).includes('Du sköter ärenden åt'), 'Greta handles her own errands')
    await assertAccessible(greta, 'Greta’s cases with one filed by Maria')
    await clickAndWaitFor(
      greta,
      (url) => url.pathname === casePath,
      () => greta.locator(`main a[href="${casePath}"]`).click(),
    )
    const text = await mainText(greta)
    assert.ok(text.includes('Maria Svensson (fullmakt) ansökte om hemtjänst åt dig den 25 november 2026.'))
    assert.ok(text.includes('Ansökan kom in – av Maria Svensson (fullmakt)'))
    await assertAccessible(greta, 'the case as Greta sees it')
  })

  it('Greta withdraws the power of attorney, and Maria’s next request is refused', async () => {
    await clickAndWaitFor(
      greta,
      (url) => url.pathname === POWERS,
      () => greta.locator('header').getByRole('link', { name: 'Fullmakter', exact: true }).click(),
    )
    await clickAndWaitFor(greta, /klart=withdrawn$/, () =>
      greta.getByRole('button', { name: 'Återkalla fullmakten till Maria Svensson' }).click(),
    )
    assert.ok((await mainText(greta)).includes('Fullmakten är återkallad.'))
    assert.ok(
      (await shown(greta.getByRole('article', { name: 'Till Maria Svensson' }).first())).includes(
        'Återkallad',
      ),
    )
    await assertAccessible(greta, 'a withdrawn power of attorney')

    // Maria's case page is still open in her browser; the next thing she does is refused.
    await maria.reload()
    assert.equal(await heading(maria), 'Något gick fel')
    assert.ok((await mainText(maria)).includes('Du kan inte längre sköta ärenden åt Greta Svensson.'))
    assert.ok((await banner(maria)).includes('Du kan inte längre sköta ärenden åt Greta Svensson'))
    await assertAccessible(maria, 'the refusal after the withdrawal')

    await clickAndWaitFor(
      maria,
      (url) => url.pathname === '/mina-arenden',
      () => maria.getByRole('button', { name: 'Tillbaka till mina egna ärenden' }).click(),
    )
    assert.ok(!(await banner(maria)).includes('Greta Svensson'))
    assert.ok((await mainText(maria)).includes('Du har inga ärenden än.'))
  })
})

describe('giving, choosing and withdrawing without JavaScript', () => {
  let gretas: BrowserContext
  let marias: BrowserContext

  before(async () => {
    gretas = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: false })
    marias = await newSwedishContext(running.browser, running.samla.baseUrl, { javaScriptEnabled: false })
  })
  after(async () => {
    await gretas?.close()
    await marias?.close()
  })

  it('every form posts as a plain HTML form', async () => {
    const greta = await gretas.newPage()
    const maria = await marias.newPage()
    await givePowerToMaria(greta, { checkAccessibility: false })
    await switchToGreta(maria, { checkAccessibility: false })
    await clickAndWaitFor(
      maria,
      (url) => url.pathname === '/mina-arenden',
      () => maria.getByRole('button', { name: 'Tillbaka till mina egna ärenden' }).click(),
    )
    assert.ok((await banner(maria)).includes('Sköt ärenden åt någon annan'))
    await greta.goto(POWERS)
    await clickAndWaitFor(greta, /klart=withdrawn$/, () =>
      greta.getByRole('button', { name: 'Återkalla fullmakten till Maria Svensson' }).click(),
    )
    assert.ok((await mainText(greta)).includes('Fullmakten är återkallad.'))
  })
})
