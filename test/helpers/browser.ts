// What a browser journey needs: Samla as `samla start` builds it, in this process on a free port
// with a fixed "today"; Debian's Chromium; a person's view of a page (its heading, its text); the
// development identity provider's sign-in; and axe checking a page for WCAG 2.1 A and AA.
//
// The browser uses http://localhost, which Chromium treats as a secure context, so the Secure
// session cookie is kept.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { AxeBuilder } from '@axe-core/playwright'
import type { FastifyInstance } from 'fastify'
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { loadConfig } from '../../src/app/config.ts'
import { type Container, createContainer, seed } from '../../src/app/container.ts'
import { buildServer } from '../../src/app/server.ts'
import type { Clock } from '../../src/platform/clock.ts'
import { freePort } from './free-port.ts'

export const BROWSER_TODAY = '2026-11-25'

export interface RunningSamla {
  baseUrl: string
  container: Container
  close(): Promise<void>
}

/**
 * Samla and Chromium for a test file's browser tests: started before its tests, closed after them.
 * The fields are set once the `before` hook has run.
 */
export function samlaInChromium(): { samla: RunningSamla; browser: Browser } {
  const running = {} as { samla: RunningSamla; browser: Browser }
  before(async () => {
    running.samla = await startSamla()
    running.browser = await launchChromium()
  })
  after(async () => {
    await running.browser?.close()
    await running.samla?.close()
  })
  return running
}

/**
 * Samla as `samla start` builds it, on a fresh data folder and a fixed "today"; a journey that
 * happens on another day brings its own clock, and settings of its own in `env`.
 */
export async function startSamla(
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<RunningSamla> {
  const port = await freePort()
  const dataDir = await mkdtemp(join(tmpdir(), 'samla-e2e-'))
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    DATA_DIR: dataDir,
    SAMLA_TODAY: BROWSER_TODAY,
    LOG_LEVEL: 'warn',
    ...options.env,
  })
  const container = await createContainer(config, options.clock ? { clock: options.clock } : {})
  await seed(container)
  const app: FastifyInstance = await buildServer(container, { logger: false })
  await app.listen({ port, host: '127.0.0.1' })
  return {
    baseUrl: config.publicUrl,
    container,
    async close() {
      await app.close()
      await container.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export async function newSwedishContext(
  browser: Browser,
  baseURL: string,
  options: { javaScriptEnabled: boolean },
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: 'sv-SE',
    javaScriptEnabled: options.javaScriptEnabled,
  })
  context.setDefaultTimeout(15_000)
  return context
}

/** The text as rendered, as a person reads it (Playwright's innerText, not the DOM property). */
// biome-ignore lint/performance/useDomNodeTextContent: a Playwright Locator, where textContent would include hidden text
export const shown = (locator: Locator) => locator.innerText()
export const heading = (page: Page) => shown(page.getByRole('heading', { level: 1 }))
export const mainText = (page: Page) => shown(page.locator('main'))
export const mainNav = (page: Page) => page.getByRole('navigation', { name: /Huvudmeny|Main menu/ })

/** Does something that leads to another page, and waits until the browser is there. */
export async function clickAndWaitFor(
  page: Page,
  url: Parameters<Page['waitForURL']>[0],
  click: () => Promise<void>,
): Promise<void> {
  await Promise.all([page.waitForURL(url), click()])
}

/**
 * On the development identity provider's page: choose the test person, and land back in Samla.
 * With `checkHeading` the page must be titled as in Swedish; with `checkAccessibility` it is
 * checked with axe before the choice.
 */
export async function signInAs(
  page: Page,
  name: string,
  options: { landsOn: string; checkHeading?: boolean; checkAccessibility?: boolean },
): Promise<void> {
  assert.match(page.url(), /\/idp-login\/[A-Za-z0-9_-]+$/)
  if (options.checkHeading) assert.equal(await heading(page), 'Logga in med test-e-legitimation')
  if (options.checkAccessibility) await assertAccessible(page, 'the development sign-in page')
  await clickAndWaitFor(
    page,
    (url) => url.pathname === options.landsOn,
    () => page.getByRole('button', { name: `Logga in som ${name}`, exact: true }).click(),
  )
  assert.ok((await shown(page.locator('header'))).includes(`Inloggad som ${name}`))
}

/** Opens a page behind sign-in, signing in on the way when the browser is not signed in yet. */
export async function openSignedIn(page: Page, path: string, name: string): Promise<void> {
  await page.goto(path)
  if (page.url().includes('/idp-login/')) await signInAs(page, name, { landsOn: path })
}

/** axe in the page: no violations of WCAG 2.1 A and AA. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  const found = result.violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n` +
        v.nodes
          .map(
            (n) =>
              `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replaceAll('\n', '\n      ')}`,
          )
          .join('\n'),
    )
    .join('\n')
  assert.equal(result.violations.length, 0, `${what} (${page.url()}) has accessibility violations:\n${found}`)
}
