// auth: sign-in with OpenID Connect, sessions, roles from the provider's claims; acting for someone
// else (a guardian for a child, the holder of a power of attorney); and the embedded development
// identity provider used when no external provider is configured.
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { Config } from '../../app/config.ts'
import type { Clock } from '../../platform/clock.ts'
import { provideRightCheck } from '../../platform/http/errand.ts'
import type { Views } from '../../web/views.ts'
import type { People } from '../people/index.ts'
import { createActingFor } from './acting-for.ts'
import { actingForHttp } from './acting-for-http.ts'
import { authRoutes } from './auth-routes.ts'
import type { AuthTables } from './auth-tables.ts'
import {
  createDevIdentityProvider,
  type DevIdentityProvider,
  loadDevUsers,
  mountDevIdentityProvider,
} from './dev-identity-provider.ts'
import { devIdentityProviderRoutes } from './dev-identity-provider-routes.ts'
import { createAuthPersonalData } from './personal-data.ts'
import { createRelyingParty } from './relying-party.ts'
import { createSessions } from './sessions.ts'

export type { ActingFor, PowerOfAttorney, Representative, Represented } from './acting-for.ts'
export { ACTING_FOR_AREAS, type AreaId } from './acting-for-areas.ts'
export { SESSION_COOKIE } from './auth-routes.ts'
export type { AuthTables } from './auth-tables.ts'
/** The tables that hold a person's data: read only inside an access scope. */
export const AUTH_PERSONAL_TABLES = ['auth.sessions', 'auth.powers_of_attorney'] as const
export type { DevUser } from './dev-identity-provider.ts'
export type { Sessions } from './sessions.ts'

export type Auth = Awaited<ReturnType<typeof createAuth>>

export async function createAuth(deps: {
  db: Kysely<AuthTables>
  config: Config
  clock: Clock
  people: People
  devUsersFile: string
}) {
  const { config } = deps
  const sessions = createSessions({ db: deps.db, clock: deps.clock, policy: config.session })
  const actingFor = createActingFor({ db: deps.db, clock: deps.clock, people: deps.people })
  let devIdp: DevIdentityProvider | undefined
  if (config.oidc.kind === 'embedded') {
    const { users, assuranceLevel } = await loadDevUsers(deps.devUsersFile, (pnr) =>
      deps.people.findRegisterPerson(pnr),
    )
    devIdp = createDevIdentityProvider({
      publicUrl: config.publicUrl,
      clientId: config.oidc.clientId,
      clientSecret: config.oidc.clientSecret,
      users,
      assuranceLevel,
    })
  }
  const relyingParty = createRelyingParty({
    issuer: config.oidc.kind === 'external' ? config.oidc.issuer : (devIdp?.issuer ?? ''),
    clientId: config.oidc.clientId,
    clientSecret: config.oidc.clientSecret,
    redirectUri: `${config.publicUrl}/auth/callback`,
    forceLogin: config.oidc.kind === 'embedded',
    rolesClaim: config.oidc.kind === 'external' ? config.oidc.rolesClaim : 'roles',
    agencyClaim: config.oidc.kind === 'external' ? config.oidc.agencyClaim : 'agency',
    acrValues: config.oidc.kind === 'external' ? config.oidc.acrValues : devIdp?.assuranceLevel,
  })

  async function registerRoutes(app: FastifyInstance, views: Views): Promise<void> {
    if (devIdp) {
      await mountDevIdentityProvider(app, devIdp)
      await devIdentityProviderRoutes(app, { idp: devIdp, views })
    }
    // Who may act for whom, asked by every route that handles someone's errands.
    provideRightCheck(app, actingFor.rightOf)
    await authRoutes(app, { config, sessions, relyingParty, people: deps.people, views, devIdp })
    await actingForHttp(app, { actingFor, sessions, views, clock: deps.clock })
  }

  return {
    sessions,
    actingFor,
    devUsers: devIdp?.users ?? [],
    registerRoutes,
    /** What the download of everything Samla holds about a person gets from this module. */
    personalData: createAuthPersonalData({ db: deps.db }),
  }
}
