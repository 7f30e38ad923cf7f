// Samla as an OpenID Connect relying party (authorization code flow with PKCE), against the
// embedded development provider or any real one (a Swedish eID broker, for instance).
import * as client from 'openid-client'

/** The claim names of the Swedish OIDC profile (oidc.se) for the personal identity number. */
export const PERSONAL_NUMBER_CLAIM = 'https://id.oidc.se/claim/personalIdentityNumber'
export const PERSONAL_NUMBER_SCOPE = 'https://id.oidc.se/scope/naturalPersonNumber'

export interface RelyingPartyOptions {
  issuer: string
  clientId: string
  clientSecret: string
  redirectUri: string
  /** Ask the provider to show its sign-in page every time (the development provider, so that testers can switch person). */
  forceLogin: boolean
  rolesClaim: string
  agencyClaim: string
  /** The assurance level Samla asks for, e.g. LoA 3 of the Swedish eID framework. */
  acrValues: string | undefined
}

export interface PendingLogin {
  state: string
  nonce: string
  verifier: string
  returnTo: string
}

export interface SignedInClaims {
  subject: string
  personalNumber: string | undefined
  name: string
  roles: string[]
  agencyId: string | undefined
  assuranceLevel: string | undefined
  idToken: string | undefined
}

export class LoginFailedError extends Error {}

export type RelyingParty = ReturnType<typeof createRelyingParty>

export function createRelyingParty(options: RelyingPartyOptions) {
  let configuration: Promise<client.Configuration> | undefined
  const issuerUrl = new URL(options.issuer)

  // Discovered on first use: the development provider lives on this same server, which is not
  // listening yet while it starts.
  function config(): Promise<client.Configuration> {
    configuration ??= client
      .discovery(issuerUrl, options.clientId, undefined, client.ClientSecretBasic(options.clientSecret), {
        ...(issuerUrl.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        configuration = undefined
        throw error
      })
    return configuration
  }

  async function beginLogin(returnTo: string): Promise<{ url: URL; pending: PendingLogin }> {
    const verifier = client.randomPKCECodeVerifier()
    const pending: PendingLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier,
      returnTo,
    }
    const url = client.buildAuthorizationUrl(await config(), {
      redirect_uri: options.redirectUri,
      scope: `openid profile ${PERSONAL_NUMBER_SCOPE}`,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ...(options.forceLogin ? { prompt: 'login' } : {}),
      ...(options.acrValues ? { acr_values: options.acrValues } : {}),
    })
    return { url, pending }
  }

  async function completeLogin(callbackUrl: URL, pending: PendingLogin): Promise<SignedInClaims> {
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
    try {
      tokens = await client.authorizationCodeGrant(await config(), callbackUrl, {
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.verifier,
        idTokenExpected: true,
      })
    } catch (error) {
      throw new LoginFailedError(error instanceof Error ? error.message : 'login failed', { cause: error })
    }
    const claims = tokens.claims()
    if (!claims) throw new LoginFailedError('the provider sent no ID token')
    const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined)
    const roles = claims[options.rolesClaim]
    const name =
      text(claims.name) ??
      ([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ') || claims.sub)
    return {
      subject: claims.sub,
      personalNumber: text(claims[PERSONAL_NUMBER_CLAIM]),
      name,
      roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
      agencyId: text(claims[options.agencyClaim]),
      assuranceLevel: text(claims.acr),
      idToken: tokens.id_token,
    }
  }

  /** Where to send the browser to end the provider's session too, if it supports that. */
  async function logoutUrl(
    idToken: string | null,
    postLogoutRedirectUri: string,
  ): Promise<string | undefined> {
    const c = await config().catch(() => undefined)
    if (!c?.serverMetadata().end_session_endpoint) return undefined
    return client
      .buildEndSessionUrl(c, {
        post_logout_redirect_uri: postLogoutRedirectUri,
        ...(idToken ? { id_token_hint: idToken } : { client_id: options.clientId }),
      })
      .toString()
  }

  return { beginLogin, completeLogin, logoutUrl }
}
