import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'

/** Everything Samla reads from its environment, typed and checked once at start. */
export interface Config {
  port: number
  host: string
  /** The address people use to reach Samla; redirect URIs are built from it. */
  publicUrl: string
  dataDir: string
  /** PostgreSQL when set; PGlite in dataDir when not. */
  databaseUrl: string | undefined
  oidc: OidcConfig
  /** Signs the short-lived login cookie. Random per process when unset (fine for one process). */
  cookieSecret: string
  /** Secure cookies are the default; only plain-http development hosts other than localhost need false. */
  secureCookies: boolean
  /** A fixed "today" (YYYY-MM-DD) for demonstrations and tests; the real date when unset. */
  today: string | undefined
  logLevel: string
  /**
   * Which proxies may tell the client's address (X-Forwarded-For): false for none (the default),
   * or their addresses. Rate limits and logs use that address, so only a real proxy may set it.
   */
  trustProxy: false | string[]
  session: { absoluteHours: number; idleMinutes: number }
}

export type OidcConfig =
  | { kind: 'embedded'; clientId: string; clientSecret: string }
  | {
      kind: 'external'
      issuer: string
      clientId: string
      clientSecret: string
      rolesClaim: string
      agencyClaim: string
      acrValues: string | undefined
    }

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`)
  return value
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535)
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '')
  try {
    new URL(publicUrl)
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL, not "${publicUrl}"`)
  }
  const today = env.SAMLA_TODAY || undefined
  if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today))
    throw new ConfigError(`SAMLA_TODAY must be a date like 2026-11-25, not "${today}"`)

  const issuer = env.OIDC_ISSUER || undefined
  let oidc: OidcConfig
  if (issuer) {
    const clientId = env.OIDC_CLIENT_ID
    const clientSecret = env.OIDC_CLIENT_SECRET
    if (!clientId || !clientSecret)
      throw new ConfigError('OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too')
    oidc = {
      kind: 'external',
      issuer,
      clientId,
      clientSecret,
      rolesClaim: env.OIDC_ROLES_CLAIM || 'roles',
      agencyClaim: env.OIDC_AGENCY_CLAIM || 'agency',
      acrValues: env.OIDC_ACR_VALUES || 'http://id.elegnamnden.se/loa/1.0/loa3',
    }
  } else {
    oidc = { kind: 'embedded', clientId: 'samla-portal', clientSecret: randomBytes(24).toString('base64url') }
  }

  return {
    port,
    host: env.HOST || '0.0.0.0',
    publicUrl,
    dataDir: resolve(env.DATA_DIR || 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    oidc,
    cookieSecret: env.COOKIE_SECRET || randomBytes(32).toString('base64url'),
    secureCookies: env.SECURE_COOKIES !== 'false',
    today,
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: env.TRUST_PROXY
      ? env.TRUST_PROXY.split(',')
          .map((a) => a.trim())
          .filter(Boolean)
      : false,
    session: { absoluteHours: 12, idleMinutes: 30 },
  }
}
