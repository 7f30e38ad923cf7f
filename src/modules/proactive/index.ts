// proactive: what is due for a person on a given day, found over the whole population and stored
// once, with the reason in plain words, so that Samla can tell the person before they have to ask.
import type { Kysely } from 'kysely'
import { ownData } from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Translate } from '../../platform/i18n.ts'
import { enqueueJobs, type JobsTables, type NewJob } from '../../platform/jobs/queue.ts'
import type { Job, JobHandler } from '../../platform/jobs/worker.ts'
import type { CaseDeadlineScans } from '../cases/index.ts'
import type { RegisterScans } from '../people/index.ts'
import type { TaxCalendar, TriggerKind } from './date-rules.ts'
import { createOffers, type OfferTiming, PLAN_OFFERS_JOB, type SendNotification } from './offers.ts'
import type { ProactiveTables } from './proactive-tables.ts'
import { createScanDateTriggers, type DateScan } from './scan-date-triggers.ts'

export { PARENTAL_BENEFIT_NOTICE_DAYS, TRIGGER_KINDS, type TriggerKind } from './date-rules.ts'
export type { ProactiveTables } from './proactive-tables.ts'
/** The tables that hold a person's data: read only inside an access scope. */
export const PROACTIVE_PERSONAL_TABLES = ['proactive.fired_triggers', 'proactive.offers'] as const
export { DEFAULT_HOURS, type TimingPreferences } from './choose-moment.ts'
export {
  type DismissResult,
  localParams,
  type MoveResult,
  type Offer,
  type OfferTiming,
  PLAN_OFFERS_JOB,
  type SendNotification,
} from './offers.ts'
export { offersHttp } from './offers-http.ts'
export { SEND_REMINDER_JOB } from './offers-store.ts'
export { type DateScan, type DateScanResult, hashRange, MAX_PARTITIONS } from './scan-date-triggers.ts'

/** The job that scans one partition for one day; its payload is a DateScan. */
export const DATE_SCAN_JOB = 'proactive.scan-date-triggers'

export interface FiredTrigger {
  kind: TriggerKind
  occasion: string
  dueOn: string
  reason: string
  firedOn: string
}

export type Proactive = ReturnType<typeof createProactive>

export function createProactive(deps: {
  db: Kysely<ProactiveTables & JobsTables>
  clock: Clock
  people: { scans: RegisterScans }
  cases: { scans: CaseDeadlineScans }
  calendar: TaxCalendar
  reasons: Translate
  /** Offers and reminders: when the person may be reached, how to send, and the words in both languages. */
  reminders: { timing: OfferTiming; send: SendNotification; messages: { sv: Translate; en: Translate } }
}) {
  const { db } = deps
  const scanDateTriggers = createScanDateTriggers(deps)
  const offers = createOffers({ db, clock: deps.clock, calendar: deps.calendar, ...deps.reminders })

  /** The day's scan as one job per partition; enqueueing the same day again adds nothing. */
  function dateScanJobs(date: string, partitions: number): NewJob<DateScan>[] {
    return Array.from({ length: partitions }, (_, partition) => ({
      name: DATE_SCAN_JOB,
      payload: { date, partition, partitions },
      uniqueKey: `${DATE_SCAN_JOB}:${date}:${partition}/${partitions}`,
    }))
  }

  const jobHandlers: Record<string, JobHandler<never>> = {
    [DATE_SCAN_JOB]: {
      async run(job: Job<DateScan>) {
        const result = await scanDateTriggers(job.payload)
        if (result.kind !== 'scanned')
          throw new Error(`${DATE_SCAN_JOB}: ${result.kind} in ${JSON.stringify(job.payload)}`)
        // Then the partition's reminders are planned, each at its moment.
        const { date, partition, partitions } = job.payload
        await enqueueJobs(
          db,
          [
            {
              name: PLAN_OFFERS_JOB,
              payload: job.payload,
              uniqueKey: `${PLAN_OFFERS_JOB}:${date}:${partition}/${partitions}`,
            },
          ],
          new Date(deps.clock.now().epochMilliseconds),
        )
      },
      // A partition of the tax-return day writes a row for everyone with an income in it.
      timeoutMs: 30 * 60_000,
    } as JobHandler<never>,
    ...offers.jobHandlers,
  }

  /** Scans the whole day here, its partitions side by side (`samla triggers --date`). */
  async function scanDay(request: { date: string; partitions: number }) {
    const results = await Promise.all(
      Array.from({ length: request.partitions }, (_, partition) =>
        scanDateTriggers({ date: request.date, partition, partitions: request.partitions }),
      ),
    )
    const failed = results.find((r) => r.kind !== 'scanned')
    if (failed) return failed
    const fired: Partial<Record<TriggerKind, number>> = {}
    let total = 0
    for (const r of results)
      if (r.kind === 'scanned') {
        for (const [kind, n] of Object.entries(r.fired))
          fired[kind as TriggerKind] = (fired[kind as TriggerKind] ?? 0) + n
        total += r.total
      }
    return { kind: 'scanned' as const, fired, total }
  }

  /** Leaves the day's scan to the job workers: one job per partition (`samla triggers --jobs`). */
  async function enqueueDateScan(date: string, partitions: number): Promise<number> {
    const jobs = dateScanJobs(date, partitions)
    return (await enqueueJobs(db, jobs, new Date(deps.clock.now().epochMilliseconds))).length
  }

  /** What has fired for a person, newest first: the "why am I seeing this". */
  async function firedTriggersOf(personId: string): Promise<FiredTrigger[]> {
    const rows = await ownData(personId, () =>
      db
        .selectFrom('proactive.fired_triggers')
        .select(['kind', 'occasion', 'due_on', 'reason', 'fired_on'])
        .where('person_id', '=', personId)
        .orderBy('fired_at', 'desc')
        .orderBy('kind')
        .execute(),
    )
    return rows.map((r) => ({
      kind: r.kind,
      occasion: r.occasion,
      dueOn: r.due_on,
      reason: r.reason,
      firedOn: r.fired_on,
    }))
  }

  return {
    scanDateTriggers,
    scanDay,
    dateScanJobs,
    enqueueDateScan,
    jobHandlers,
    firedTriggersOf,
    /** Offers and reminders: plan a day's, list, move, dismiss, re-plan without a calendar, send. */
    offers: {
      planOffers: offers.planOffers,
      listOffers: offers.listOffers,
      moveOffer: offers.moveOffer,
      dismissOffer: offers.dismissOffer,
      replanWithoutCalendar: offers.replanWithoutCalendar,
      sendReminder: offers.sendReminder,
    },
    /** The handler of consent's event that a calendar is no longer shared (app/jobs.ts). */
    calendarWithdrawn: offers.calendarWithdrawn,
  }
}
