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
  /**
   * With the access guard on, a query that touches a table of personal data outside an access scope
   * fails (src/platform/db/access-guard.ts). Always on in the tests.
   */
  accessGuard: boolean
  notify: NotifyConfig
  /** INTEROP_CONNECTORS: each agency's connector (agency=demo|failing-demo|https://…); demo when unnamed. */
  interopConnectors: string | undefined
  /** Jobs a worker runs at the same time. */
  workerConcurrency: number
}

export interface NotifyConfig {
  /** A real SMTP relay (smtp:// or smtps://); unset = Samla's embedded development mailbox. */
  smtpUrl: string | undefined
  /** The From address of Samla's e-mail. */
  mailFrom: string
  /** SMTP connections kept open and reused. */
  smtpMaxConnections: number
  smsGateway: 'demo' | 'failing-demo'
  /** Web push keys; unset = a key pair made once and kept in DATA_DIR/vapid.json. */
  vapid: { publicKey: string; privateKey: string; subject: string } | undefined
  /** Who runs Samla, for the push services (mailto: or https:). */
  vapidSubject: string
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

function loadNotifyConfig(env: NodeJS.ProcessEnv, publicUrl: string): NotifyConfig {
  const smtpUrl = env.SMTP_URL || undefined
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl))
    throw new ConfigError('SMTP_URL must be like smtp://user:password@host:587 or smtps://host:465')
  const smsGateway = env.SMS_GATEWAY || 'demo'
  if (smsGateway !== 'demo' && smsGateway !== 'failing-demo')
    throw new ConfigError(`SMS_GATEWAY must be demo or failing-demo, not "${smsGateway}"`)
  const host = new URL(publicUrl).hostname
  const mailFrom = env.MAIL_FROM || `Samla <no-reply@${host.includes('.') ? host : `${host}.localdomain`}>`
  const vapidSubject = env.VAPID_SUBJECT || `mailto:${/<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom}`
  if (!/^(mailto:|https:\/\/)/.test(vapidSubject))
    throw new ConfigError(`VAPID_SUBJECT must be a mailto: or https: address, not "${vapidSubject}"`)
  const publicKey = env.VAPID_PUBLIC_KEY || undefined
  const privateKey = env.VAPID_PRIVATE_KEY || undefined
  if (Boolean(publicKey) !== Boolean(privateKey))
    throw new ConfigError('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are set together, or neither')
  return {
    smtpUrl,
    mailFrom,
    smtpMaxConnections: integer(env, 'SMTP_MAX_CONNECTIONS', 5, 1, 100),
    smsGateway,
    vapid: publicKey && privateKey ? { publicKey, privateKey, subject: vapidSubject } : undefined,
    vapidSubject,
  }
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

  const guard = env.ACCESS_GUARD || 'off'
  if (guard !== 'on' && guard !== 'off')
    throw new ConfigError(`ACCESS_GUARD must be on or off, not "${guard}"`)

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
    accessGuard: guard === 'on',
    notify: loadNotifyConfig(env, publicUrl),
    interopConnectors: env.INTEROP_CONNECTORS || undefined,
    workerConcurrency: integer(env, 'WORKER_CONCURRENCY', 8, 1, 256),
  }
}
