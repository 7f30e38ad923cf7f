// Web push with VAPID: Samla signs each push with its own key pair, and the browser's push service
// (the endpoint of a subscription) passes the encrypted message on. The key pair comes from the
// configuration or, when none is configured, is made once and kept in DATA_DIR.
import { createECDH, ECDH } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'

export interface VapidKeys {
  publicKey: string
  privateKey: string
  /** Who runs Samla, for the push services: a mailto: or https: address. */
  subject: string
}

export interface PushTarget {
  endpoint: string
  p256dh: string
  auth: string
}

export interface PushSender {
  /** 'gone' when the push service says the subscription no longer exists. */
  send(target: PushTarget, payload: string, signal?: AbortSignal): Promise<'sent' | 'gone'>
}

/** The configured key pair, or the one kept in dataDir/vapid.json (made on first use). */
export function loadVapidKeys(
  configured: VapidKeys | undefined,
  dataDir: string,
  subject: string,
): VapidKeys {
  if (configured) return configured
  const file = join(dataDir, 'vapid.json')
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string }
    return { publicKey: kept.publicKey, privateKey: kept.privateKey, subject }
  }
  const ecdh = createECDH('prime256v1')
  ecdh.generateKeys()
  const keys = {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: ecdh.getPrivateKey().toString('hex').padStart(64, '0'),
  }
  keys.privateKey = Buffer.from(keys.privateKey, 'hex').toString('base64url')
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 })
  return { ...keys, subject }
}

export type PushSubscriptionProblem = 'endpoint' | 'p256dh' | 'auth'

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/
const bytesOf = (value: string) => (BASE64URL.test(value) ? Buffer.from(value, 'base64url') : undefined)

/** Host names that never belong to a browser's push service. */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (isIP(host) !== 0) return true
  return (
    !host.includes('.') ||
    host === 'localhost' ||
    /\.(localhost|local|internal|lan|home|arpa|invalid|test|example)$/.test(host)
  )
}

/**
 * Checks a browser's push subscription before it is kept: an https endpoint at a public host name
 * (Samla will send requests there, so no addresses inside the network), the browser's P-256 public
 * key as a point on the curve, and its 16-byte authentication secret.
 */
export function checkPushSubscription(input: {
  endpoint: string
  keys: { p256dh: string; auth: string }
}): { kind: 'valid'; target: PushTarget } | { kind: 'invalid'; problem: PushSubscriptionProblem } {
  let url: URL
  try {
    url = new URL(input.endpoint)
  } catch {
    return { kind: 'invalid', problem: 'endpoint' }
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port || isPrivateHost(url.hostname))
    return { kind: 'invalid', problem: 'endpoint' }
  const key = bytesOf(input.keys.p256dh)
  if (key?.length !== 65 || key[0] !== 4) return { kind: 'invalid', problem: 'p256dh' }
  try {
    ECDH.convertKey(key, 'prime256v1') // throws when the key is not a point on the curve
  } catch {
    return { kind: 'invalid', problem: 'p256dh' }
  }
  const auth = bytesOf(input.keys.auth)
  if (auth?.length !== 16) return { kind: 'invalid', problem: 'auth' }
  return {
    kind: 'valid',
    target: { endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth },
  }
}

/** Sends through the web-push library (encryption aes128gcm, VAPID signature). */
export function createWebPushSender(vapid: VapidKeys): PushSender {
  // Loaded on first push: most processes never send one.
  let library: Promise<typeof import('web-push')> | undefined
  return {
    async send(target, payload) {
      library ??= import('web-push').then((m) => (m as { default?: typeof import('web-push') }).default ?? m)
      const webPush = await library
      try {
        await webPush.sendNotification(
          { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
          payload,
          {
            vapidDetails: vapid,
            TTL: 24 * 3600,
            timeout: 10_000,
          },
        )
        return 'sent'
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode
        if (status === 404 || status === 410) return 'gone'
        throw error
      }
    },
  }
}
