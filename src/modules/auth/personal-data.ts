// What the auth module holds about a person, for the download of all Samla holds about them: their
// sign-ins (sessions), without the token's hash or the identity provider's token.
import type { Kysely } from 'kysely'
import { ownData } from '../../platform/access-scope.ts'
import type { AuthTables } from './auth-tables.ts'

export function createAuthPersonalData(deps: { db: Kysely<AuthTables> }) {
  async function collect(personId: string) {
    const rows = await ownData(personId, () =>
      deps.db
        .selectFrom('auth.sessions')
        .select(['created_at', 'last_seen_at', 'expires_at', 'assurance_level', 'roles', 'agency_id'])
        .where('person_id', '=', personId)
        .orderBy('created_at')
        .execute(),
    )
    return {
      sessions: rows.map((s) => ({
        signedInAt: s.created_at.toISOString(),
        lastSeenAt: s.last_seen_at.toISOString(),
        endsAt: s.expires_at.toISOString(),
        assuranceLevel: s.assurance_level,
        roles: s.roles,
        agencyId: s.agency_id,
      })),
    }
  }

  return { id: 'sign-ins', collect }
}
