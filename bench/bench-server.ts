// What the benchmarks that drive Samla's HTTP API share: the server's configuration, and a signed-in
// parent as the load client sends their requests.
import { randomBytes } from 'node:crypto'
import { type Config, loadConfig } from '../src/app/config.ts'
import type { Container } from '../src/app/container.ts'
import { SESSION_COOKIE } from '../src/modules/auth/index.ts'

export function benchServerConfig(today: string, dataDir: string): Config {
  return loadConfig({
    SAMLA_TODAY: today,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // As in production: an external identity provider, so the embedded development one (whose
    // test users would have to be in the register) is not built. Samla only asks the provider at a
    // sign-in, and no one signs in here (sessions are started directly), so the address is never
    // used.
    OIDC_ISSUER: 'http://127.0.0.1:9/',
    OIDC_CLIENT_ID: 'samla-bench',
    OIDC_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    // The load client stands where a reverse proxy would, passing each parent's own address.
    TRUST_PROXY: '127.0.0.1',
  })
}

/**
 * A session for the n-th parent, and the address their requests come from. Samla rate-limits by
 * client address, 600 a minute: with every request from 127.0.0.1 the 601st of a minute would get
 * 429, so each parent has an address of their own, passed on as a reverse proxy would.
 */
export async function signInParent(
  container: Container,
  personId: string,
  n: number,
): Promise<{ cookie: string; forwardedFor: string }> {
  const { token } = await container.auth.sessions.startSession({
    subject: `bench-${personId}`,
    personId,
    name: `Bench ${n}`,
    roles: [],
    agencyId: undefined,
    assuranceLevel: 'http://id.elegnamnden.se/loa/1.0/loa3',
    idToken: undefined,
  })
  return {
    cookie: `${SESSION_COOKIE}=${token}`,
    forwardedFor: `127.${((n + 1) >> 16) & 255}.${((n + 1) >> 8) & 255}.${(n + 1) & 255}`,
  }
}
