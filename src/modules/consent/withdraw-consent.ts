// Withdrawing a consent takes effect at once: the consent is marked withdrawn and what was kept
// under it (a shared calendar's busy periods and link) is deleted in the same transaction, so the
// very next read finds nothing to rely on.
import type { Kysely } from 'kysely'
import { ownData } from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import { enqueueJobs, type JobsTables } from '../../platform/jobs/queue.ts'
import { CALENDAR_WITHDRAWN, type CalendarWithdrawn } from './consent-events.ts'
import * as store from './consent-store.ts'
import type { ConsentTables } from './consent-tables.ts'
import { type ConsentView, presentConsent } from './present-consent.ts'

export type WithdrawResult =
  | { kind: 'withdrawn'; consent: ConsentView; alreadyWithdrawn: boolean }
  | { kind: 'not-found' }

export function createWithdrawConsent(deps: { db: Kysely<ConsentTables & JobsTables>; clock: Clock }) {
  const { db, clock } = deps

  /** Only the person's own consents: someone else's answers not-found, as one that does not exist. */
  async function withdrawConsent(input: {
    personId: string
    consentId: string
    withdrawnBy: string
  }): Promise<WithdrawResult> {
    const now = new Date(clock.now().epochMilliseconds)
    const done = await ownData(input.personId, () =>
      db.transaction().execute(async (tx) => {
        const result = await store.withdrawConsent(tx, { ...input, at: now })
        // A calendar no longer shared: what was planned from it is planned again without it.
        if (result?.changed && result.row.purpose === 'scheduling')
          await enqueueJobs(
            tx,
            [
              {
                name: CALENDAR_WITHDRAWN,
                payload: {
                  personId: input.personId,
                  agencyId: result.row.recipient_agency_id,
                } satisfies CalendarWithdrawn,
              },
            ],
            now,
          )
        return result
      }),
    )
    if (!done) return { kind: 'not-found' }
    return { kind: 'withdrawn', consent: presentConsent(done.row, now), alreadyWithdrawn: !done.changed }
  }

  return { withdrawConsent }
}
