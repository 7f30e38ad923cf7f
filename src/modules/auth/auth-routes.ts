import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Config } from '../../app/config.ts'
import { AppError } from '../../platform/errors.ts'
import { resolveActingFor } from '../../platform/http/errand.ts'
import { safeReturnPath } from '../../platform/http/guards.ts'
import type { Views } from '../../web/views.ts'
import type { People } from '../people/index.ts'
import { DEV_INTERACTION_PATH, type DevIdentityProvider } from './dev-identity-provider.ts'
import { LoginFailedError, type PendingLogin, type RelyingParty } from './relying-party.ts'
import type { Sessions } from './sessions.ts'

export const SESSION_COOKIE = 'samla_session'
const LOGIN_COOKIE = 'samla_login'

export interface AuthRouteDeps {
  config: Config
  sessions: Sessions
  relyingParty: RelyingParty
  people: People
  views: Views
  devIdp: DevIdentityProvider | undefined
}

export async function authRoutes(app: FastifyInstance, deps: AuthRouteDeps): Promise<void> {
  const { config, sessions, relyingParty, people, views, devIdp } = deps
  const cookieBase = { path: '/', httpOnly: true, secure: config.secureCookies, sameSite: 'lax' as const }

  // Every request: who is signed in? Static files need no session.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/static/') || request.url.startsWith(DEV_INTERACTION_PATH)) return
    const token = request.cookies[SESSION_COOKIE]
    if (!token) return
    const resumed = await sessions.resumeSession(token)
    if (resumed.kind === 'active') {
      request.viewer = resumed.viewer
      // Acting for someone: is the right still there, today? Checked at every request.
      await resolveActingFor(request)
      return
    }
    request.sessionRejected = true
    reply.clearCookie(SESSION_COOKIE, cookieBase)
  })

  app.get(
    '/logga-in',
    { schema: { querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 500 })) }) } },
    async (request, reply) => {
      const { url, pending } = await relyingParty.beginLogin(
        safeReturnPath((request.query as { returnTo?: string }).returnTo),
      )
      reply.setCookie(LOGIN_COOKIE, JSON.stringify(pending), { ...cookieBase, signed: true, maxAge: 600 })
      return reply.redirect(url.toString(), 303)
    },
  )

  app.get('/auth/callback', async (request, reply) => {
    const raw = request.cookies[LOGIN_COOKIE]
    const unsigned = raw ? request.unsignCookie(raw) : undefined
    reply.clearCookie(LOGIN_COOKIE, cookieBase)
    if (!unsigned?.valid || !unsigned.value) throw new AppError('LOGIN_EXPIRED')
    let pending: PendingLogin
    try {
      pending = JSON.parse(unsigned.value) as PendingLogin
    } catch {
      throw new AppError('LOGIN_EXPIRED')
    }
    const callbackUrl = new URL(request.url, `${config.publicUrl}/`)
    let claims: Awaited<ReturnType<RelyingParty['completeLogin']>>
    try {
      claims = await relyingParty.completeLogin(callbackUrl, pending)
    } catch (error) {
      if (error instanceof LoginFailedError) {
        request.log.info({ reason: error.message }, 'login refused')
        throw new AppError('LOGIN_FAILED')
      }
      throw error
    }
    const personId = claims.personalNumber ? await people.identifyPerson(claims.personalNumber) : undefined
    const { token, maxAgeSeconds } = await sessions.startSession({
      subject: claims.subject,
      personId,
      name: claims.name,
      roles: claims.roles,
      agencyId: claims.agencyId,
      assuranceLevel: claims.assuranceLevel,
      idToken: claims.idToken,
    })
    reply.setCookie(SESSION_COOKIE, token, { ...cookieBase, maxAge: maxAgeSeconds })
    return reply.redirect(safeReturnPath(pending.returnTo), 303)
  })

  app.post('/logga-ut', { preValidation: app.csrfProtection }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE]
    const idToken = token ? await sessions.endSession(token) : null
    reply.clearCookie(SESSION_COOKIE, cookieBase)
    const providerLogout = devIdp
      ? undefined
      : await relyingParty.logoutUrl(idToken, `${config.publicUrl}/utloggad`)
    return reply.redirect(providerLogout ?? '/utloggad', 303)
  })

  app.get('/utloggad', async (request, reply) =>
    views.page(request, reply, '/modules/auth/views/signed-out', {
      title: request.t('auth.signedOut.title'),
    }),
  )
}
