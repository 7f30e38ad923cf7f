// The embedded development identity provider: a real OpenID Provider (oidc-provider) that signs in
// the test persons at the assurance level of a Swedish eID, so that every login path of Samla runs
// on one machine. It is mounted only when no external provider is configured. See docs/adr/0004.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'
import Provider, { type Configuration } from 'oidc-provider'
import { parse } from 'yaml'
import { PERSONAL_NUMBER_CLAIM, PERSONAL_NUMBER_SCOPE } from './relying-party.ts'

export interface DevUser {
  subject: string
  personalNumber: string
  givenName: string
  familyName: string
  description: { sv: string; en: string }
  roles: string[]
  agency: string | undefined
}

interface DevUsersFile {
  assuranceLevel: string
  users: Array<{
    personalNumber: string
    description: { sv: string; en: string }
    roles?: string[]
    agency?: string
  }>
}

export const DEV_ISSUER_PATH = '/idp'
export const DEV_INTERACTION_PATH = '/idp-login'

/** A stable, opaque subject: the provider does not hand out the personal number as the id. */
function subjectFor(personalNumber: string): string {
  return createHash('sha256').update(`samla-dev-idp:${personalNumber}`).digest('base64url').slice(0, 22)
}

export async function loadDevUsers(
  file: string,
  lookup: (personalNumber: string) => Promise<{ givenName: string; familyName: string } | undefined>,
): Promise<{ assuranceLevel: string; users: DevUser[] }> {
  const parsed = parse(await readFile(file, 'utf8')) as DevUsersFile
  const users: DevUser[] = []
  for (const u of parsed.users) {
    const person = await lookup(u.personalNumber)
    if (!person) throw new Error(`${file}: ${u.personalNumber} is not in the population register`)
    users.push({
      subject: subjectFor(u.personalNumber),
      personalNumber: u.personalNumber,
      givenName: person.givenName,
      familyName: person.familyName,
      description: u.description,
      roles: u.roles ?? [],
      agency: u.agency,
    })
  }
  return { assuranceLevel: parsed.assuranceLevel, users }
}

export interface DevIdentityProvider {
  provider: Provider
  users: DevUser[]
  assuranceLevel: string
  issuer: string
}

export function createDevIdentityProvider(options: {
  publicUrl: string
  clientId: string
  clientSecret: string
  users: DevUser[]
  assuranceLevel: string
}): DevIdentityProvider {
  const issuer = `${options.publicUrl}${DEV_ISSUER_PATH}`
  const bySubject = new Map(options.users.map((u) => [u.subject, u]))
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const configuration: Configuration = {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [`${options.publicUrl}/auth/callback`],
        post_logout_redirect_uris: [`${options.publicUrl}/utloggad`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, sub) {
      const user = bySubject.get(sub)
      if (!user) return undefined
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          name: `${user.givenName} ${user.familyName}`,
          given_name: user.givenName,
          family_name: user.familyName,
          [PERSONAL_NUMBER_CLAIM]: user.personalNumber,
          roles: user.roles,
          ...(user.agency ? { agency: user.agency } : {}),
        }),
      }
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'roles', 'agency'],
      [PERSONAL_NUMBER_SCOPE]: [PERSONAL_NUMBER_CLAIM],
    },
    scopes: ['openid', 'profile', PERSONAL_NUMBER_SCOPE],
    acrValues: [options.assuranceLevel],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `${DEV_INTERACTION_PATH}/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [privateKey.export({ format: 'jwk' }) as never] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false } },
    ttl: {
      Session: 12 * 3600,
      Interaction: 600,
      Grant: 12 * 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      AccessToken: 3600,
    },
    renderError(ctx, out) {
      ctx.type = 'text/plain; charset=utf-8'
      ctx.body = `Inloggningen kunde inte slutföras / The sign-in could not be completed: ${out.error}${out.error_description ? ` – ${out.error_description}` : ''}`
    },
  }
  const provider = new Provider(issuer, configuration)
  // The provider logs through its own events; silence the default "not for production" notices.
  provider.on('server_error', (_ctx, error) => {
    console.error('development identity provider error', error)
  })
  return { provider, users: options.users, assuranceLevel: options.assuranceLevel, issuer }
}

/**
 * Mounts the provider under /idp. Fastify hands the untouched request to the provider (Koa
 * inside): the prefix is stripped and the body left unread, for the provider parses its own.
 */
export async function mountDevIdentityProvider(
  app: FastifyInstance,
  idp: DevIdentityProvider,
): Promise<void> {
  const callback = idp.provider.callback()
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null))
    const handler = async (
      request: { raw: IncomingMessage & { originalUrl?: string } },
      reply: { hijack(): void; raw: import('node:http').ServerResponse },
    ) => {
      reply.hijack()
      const raw = request.raw
      raw.originalUrl = raw.url
      raw.url = (raw.url ?? '/').slice(DEV_ISSUER_PATH.length) || '/'
      await callback(raw, reply.raw)
    }
    scope.all(`${DEV_ISSUER_PATH}/*`, { config: { rateLimit: false } }, handler)
  })
}
