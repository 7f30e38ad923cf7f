// Sessions: a random token in an HttpOnly cookie, its hash in the database. A session ends 12 hours
// after sign-in, or after 30 minutes without a request, whichever comes first.
import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { withoutRecord } from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Viewer } from '../../platform/http/request-context.ts'
import type { AuthTables } from './auth-tables.ts'

export interface SessionPolicy {
  absoluteHours: number
  idleMinutes: number
}

export interface NewSession {
  subject: string
  personId: string | undefined
  name: string
  roles: string[]
  agencyId: string | undefined
  assuranceLevel: string | undefined
  idToken: string | undefined
}

export type ResumedSession =
  | { kind: 'active'; viewer: Viewer; idToken: string | null }
  | { kind: 'expired' }
  | { kind: 'unknown' }

const hash = (token: string) => createHash('sha256').update(token).digest('base64url')

/** Only refresh last_seen_at once a minute, so that reading pages does not mean writing rows. */
const TOUCH_AFTER_MS = 60_000

export type Sessions = ReturnType<typeof createSessions>

export function createSessions(deps: { db: Kysely<AuthTables>; clock: Clock; policy: SessionPolicy }) {
  const { db, clock, policy } = deps
  const nowDate = () => new Date(clock.now().epochMilliseconds)

  async function startSession(s: NewSession): Promise<{ token: string; maxAgeSeconds: number }> {
    const token = randomBytes(32).toString('base64url')
    const now = nowDate()
    await db
      .insertInto('auth.sessions')
      .values({
        token_hash: hash(token),
        subject: s.subject,
        person_id: s.personId ?? null,
        display_name: s.name,
        roles: s.roles,
        agency_id: s.agencyId ?? null,
        assurance_level: s.assuranceLevel ?? null,
        id_token: s.idToken ?? null,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + policy.absoluteHours * 3600_000),
      })
      .execute()
    return { token, maxAgeSeconds: policy.absoluteHours * 3600 }
  }

  async function resumeSession(token: string): Promise<ResumedSession> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { kind: 'unknown' }
    const row = await db
      .selectFrom('auth.sessions')
      .selectAll()
      .where('token_hash', '=', hash(token))
      .executeTakeFirst()
    if (!row) return { kind: 'unknown' }
    const now = nowDate()
    const idleLimit = new Date(row.last_seen_at.getTime() + policy.idleMinutes * 60_000)
    if (now >= row.expires_at || now >= idleLimit) {
      await db.deleteFrom('auth.sessions').where('token_hash', '=', row.token_hash).execute()
      return { kind: 'expired' }
    }
    if (now.getTime() - row.last_seen_at.getTime() > TOUCH_AFTER_MS)
      await db
        .updateTable('auth.sessions')
        .set({ last_seen_at: now })
        .where('token_hash', '=', row.token_hash)
        .execute()
    return {
      kind: 'active',
      idToken: row.id_token,
      viewer: {
        subject: row.subject,
        personId: row.person_id ?? undefined,
        name: row.display_name,
        roles: row.roles,
        agencyId: row.agency_id ?? undefined,
        assuranceLevel: row.assurance_level ?? undefined,
        ...(row.acting_for_person_id
          ? { actingFor: { personId: row.acting_for_person_id, name: row.acting_for_name ?? '' } }
          : {}),
      },
    }
  }

  /**
   * Remembers whose errands the signed-in person handles (undefined: their own). Only the choice:
   * the right to act is checked at every request.
   */
  async function chooseActingFor(
    token: string,
    actingFor: { personId: string; name: string } | undefined,
  ): Promise<void> {
    await db
      .updateTable('auth.sessions')
      .set({ acting_for_person_id: actingFor?.personId ?? null, acting_for_name: actingFor?.name ?? null })
      .where('token_hash', '=', hash(token))
      .execute()
  }

  async function endSession(token: string): Promise<string | null> {
    const row = await db
      .deleteFrom('auth.sessions')
      .where('token_hash', '=', hash(token))
      .returning('id_token')
      .executeTakeFirst()
    return row?.id_token ?? null
  }

  async function purgeExpiredSessions(): Promise<number> {
    const now = nowDate()
    const result = await db
      .deleteFrom('auth.sessions')
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', now),
          eb('last_seen_at', '<=', new Date(now.getTime() - policy.idleMinutes * 60_000)),
        ]),
      )
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  // A session is the signed-in person's own, used for them alone: it goes without a record
  // (the reason is on the reviewed list in app/unrecorded-access.ts).
  return {
    startSession: ownSession(startSession),
    resumeSession: ownSession(resumeSession),
    chooseActingFor: ownSession(chooseActingFor),
    endSession: ownSession(endSession),
    purgeExpiredSessions: ownSession(purgeExpiredSessions),
  }
}

function ownSession<A extends unknown[], R>(work: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => withoutRecord('session', () => work(...args))
}
