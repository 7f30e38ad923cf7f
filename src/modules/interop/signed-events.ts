// Messages to agencies are CloudEvents 1.0 in JSON structured mode (the cloudevents package builds
// and checks them), signed with Samla's Ed25519 key over the exact bytes of the body. The
// signature names its key, so an agency can tell which of Samla's published keys to verify with,
// and keys can be replaced without a flag day.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CloudEvent, HTTP } from 'cloudevents'

/** The header that carries the signature: keyId, algorithm and the signature in base64url. */
export const SIGNATURE_HEADER = 'samla-signature'

export interface SigningKey {
  keyId: string
  privateKey: KeyObject
  publicKey: KeyObject
}

/** A message ready to go: the CloudEvent's body and headers, the signature among them. */
export interface SignedEvent {
  eventId: string
  type: string
  body: string
  headers: Record<string, string>
  signature: string
}

function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' })
  return `samla-${createHash('sha256').update(der).digest('hex').slice(0, 16)}`
}

export function signingKeyFrom(privateKeyPem: string): SigningKey {
  const privateKey = createPrivateKey(privateKeyPem)
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the interop signing key must be Ed25519')
  const publicKey = createPublicKey(privateKey)
  return { keyId: keyIdOf(publicKey), privateKey, publicKey }
}

/** Samla's signing key: made once and kept in DATA_DIR/interop-signing-key.pem. */
export function loadSigningKey(dataDir: string): SigningKey {
  const file = join(dataDir, 'interop-signing-key.pem')
  if (existsSync(file)) return signingKeyFrom(readFileSync(file, 'utf8'))
  const { privateKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  writeFileSync(file, pem, { mode: 0o600 })
  return signingKeyFrom(pem)
}

/** The public key as a JWK, for agencies to verify with. */
export function publicJwk(key: SigningKey) {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.keyId, alg: 'EdDSA', use: 'sig' }
}

/** Builds the CloudEvent, checks it against the specification and signs its body. */
export function signEvent(
  key: SigningKey,
  event: { id: string; type: string; source: string; subject: string; time: string; data: object },
): SignedEvent {
  const cloudEvent = new CloudEvent({
    specversion: '1.0',
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    time: event.time,
    datacontenttype: 'application/json',
    data: event.data,
  })
  const message = HTTP.structured(cloudEvent)
  const body = String(message.body)
  const signature = sign(null, Buffer.from(body), key.privateKey).toString('base64url')
  const header = `keyId="${key.keyId}",algorithm="ed25519",signature="${signature}"`
  const headers: Record<string, string> = { [SIGNATURE_HEADER]: header }
  for (const [name, value] of Object.entries(message.headers)) headers[name.toLowerCase()] = String(value)
  return { eventId: event.id, type: event.type, body, headers, signature: header }
}

/**
 * What an agency does with a message: checks the signature against Samla's public key and reads the
 * CloudEvent. Undefined when the signature is missing, names another key or does not hold.
 */
export function verifySignedEvent(
  publicKeys: Map<string, KeyObject>,
  headers: Record<string, string | undefined>,
  body: string,
): CloudEvent<unknown> | undefined {
  const header = headers[SIGNATURE_HEADER] ?? ''
  const parts = Object.fromEntries(
    [...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] as string, m[2] as string]),
  )
  const key = parts.keyId ? publicKeys.get(parts.keyId) : undefined
  if (!key || parts.algorithm !== 'ed25519' || !parts.signature) return undefined
  if (!verify(null, Buffer.from(body), key, Buffer.from(parts.signature, 'base64url'))) return undefined
  const event = HTTP.toEvent({ headers, body })
  return Array.isArray(event) ? undefined : (event as CloudEvent<unknown>)
}
