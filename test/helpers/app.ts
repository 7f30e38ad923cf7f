// Builds Samla for tests through the same composition root as the web process, on a chosen
// engine, with "today" fixed, and signs test persons in by starting real sessions.
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../src/app/container.ts'
import { buildServer } from '../../src/app/server.ts'
import { SESSION_COOKIE } from '../../src/modules/auth/index.ts'
import type { Clock } from '../../src/platform/clock.ts'
import { buildTestContainer } from './container.ts'
import type { Engine } from './databases.ts'

export { TODAY } from './container.ts'

/** The test persons of data/people/persons.yaml, by first name. */
export const PERSONS = {
  anna: '199705142389',
  erik: '198111042381',
  lina: '198406122393',
  sara: '199002222389',
  johan: '198807072395',
  maria: '196812032396',
  greta: '194206112387',
  karin: '197901252390',
} as const

export interface TestApp {
  app: FastifyInstance
  container: Container
  /** Starts a session for the person and returns the Cookie header that carries it. */
  signIn(personalNumber: string, extra?: { roles?: string[]; agencyId?: string }): Promise<string>
  personId(personalNumber: string): Promise<string>
  close(): Promise<void>
}

export async function buildTestApp(
  options: { engine?: Engine; env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApp> {
  const { container, drop } = await buildTestContainer(options.engine ?? 'pglite', {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.env ? { env: options.env } : {}),
  })
  const app = await buildServer(container, { logger: false })
  await app.ready()
  const personId = async (pnr: string) => {
    const id = await container.people.identifyPerson(pnr, 'test')
    if (!id) throw new Error(`no test person ${pnr}`)
    return id
  }
  /** The name a real sign-in would carry: the register's, or a placeholder for staff not in it. */
  const nameOf = async (pnr: string) => {
    const p = await container.people.findRegisterPerson(pnr)
    return p ? `${p.givenName} ${p.familyName}` : `Test ${pnr}`
  }
  return {
    app,
    container,
    personId,
    async signIn(pnr, extra = {}) {
      const id = await personId(pnr)
      const { token } = await container.auth.sessions.startSession({
        subject: `test-${pnr}`,
        personId: id,
        name: await nameOf(pnr),
        roles: extra.roles ?? [],
        agencyId: extra.agencyId,
        assuranceLevel: 'http://id.elegnamnden.se/loa/1.0/loa3',
        idToken: undefined,
      })
      return `${SESSION_COOKIE}=${token}`
    },
    async close() {
      await app.close()
      await drop()
    },
  }
}
