// Offers and reminders at a good moment, each saying why. From a fired trigger (the tax return
// opening), Samla plans a reminder with its reason, its deadline and a moment chosen by
// choose-moment.ts from nothing but the deadline, the free days of a calendar the person shares
// with the agency concerned, and the person's preferred and quiet hours. At the moment a job sends
// it through notify, in the channel the person chose, with the reason in the message. The person
// moves or dismisses it; withdrawing the calendar re-plans, without it, what was planned from it.
import type { Kysely } from 'kysely'
import { ownData, withoutRecord } from '../../platform/access-scope.ts'
import { type Clock, Temporal } from '../../platform/clock.ts'
import type { Translate } from '../../platform/i18n.ts'
import type { JobsTables } from '../../platform/jobs/queue.ts'
import type { Job, JobHandler } from '../../platform/jobs/worker.ts'
import { formatDateLong } from '../../web/format.ts'
import { chooseMoment, type Hours, hoursOf, moveMoment, type TimingPreferences } from './choose-moment.ts'
import { parseDay, type TaxCalendar, type TriggerKind } from './date-rules.ts'
import { OFFER_SOURCES, offerFor } from './offer-rules.ts'
import * as store from './offers-store.ts'
import type { ProactiveTables } from './proactive-tables.ts'
import { type DateScan, hashRange } from './scan-date-triggers.ts'

/** The job that plans the reminders of one partition of a day's fired triggers. */
export const PLAN_OFFERS_JOB = 'proactive.plan-offers'
const BATCH = 200

export interface OfferTiming {
  /** The person's preferred and quiet hours (notify's preferences). */
  preferencesOf(personId: string): Promise<TimingPreferences>
  /**
   * The free days from `from` to `to` of a calendar the person shares with the agency, free within
   * the hours; undefined when no sharing is in force. Through the one door: a recorded read.
   */
  freeDays(request: {
    personId: string
    agencyId: string
    from: string
    to: string
    hours: { from: string; to: string }
  }): Promise<string[] | undefined>
}

/** Sends a notification through the person's channel (notify's sendNotification). */
export type SendNotification = (request: {
  personId: string
  template: string
  data: Record<string, string>
  uniqueKey: string
}) => Promise<unknown>

export interface Offer {
  id: string
  kind: 'offer' | 'reminder'
  source: TriggerKind
  agencyId: string
  reason: { key: string; params: Record<string, string> }
  deadline: string
  /** The last day the reminder may be moved to. */
  lastDay: string
  scheduledFor: string
  plannedBy: store.PlannedBy
  status: 'scheduled' | 'sent' | 'dismissed'
  sentAt: string | null
}

export type MoveResult =
  | { kind: 'moved'; scheduledFor: string }
  | { kind: 'not-found' }
  | { kind: 'not-scheduled' }
  | { kind: 'invalid-day' }
  | { kind: 'in-the-past' }
  | { kind: 'not-before-deadline' }
  | { kind: 'no-time-left-today' }

export type DismissResult = { kind: 'dismissed' } | { kind: 'not-found' } | { kind: 'not-scheduled' }

const present = (row: store.OfferRow): Offer => ({
  id: row.id,
  kind: row.kind,
  source: row.source,
  agencyId: row.agency_id,
  reason: { key: row.reason_key, params: row.reason_params },
  deadline: row.deadline,
  lastDay: Temporal.PlainDate.from(row.deadline).subtract({ days: 1 }).toString(),
  scheduledFor: row.scheduled_for.toISOString(),
  plannedBy: row.planned_by,
  status: row.status,
  sentAt: row.sent_at?.toISOString() ?? null,
})

export function createOffers(deps: {
  db: Kysely<ProactiveTables & JobsTables>
  clock: Clock
  calendar: TaxCalendar
  timing: OfferTiming
  send: SendNotification
  /** The messages in Swedish and English: the reminder's words in the person's language. */
  messages: { sv: Translate; en: Translate }
}) {
  const { db, clock, timing } = deps
  const now = () => new Date(clock.now().epochMilliseconds)

  /**
   * The moment for a reminder about the agency with the deadline. The shared calendar is asked
   * only when `useCalendar`, and only for free days within the person's hours.
   */
  async function planMoment(personId: string, agencyId: string, deadline: string, useCalendar: boolean) {
    const preferences = await timing.preferencesOf(personId)
    const hours: Hours = hoursOf(preferences)
    const today = clock.today()
    const from = today.add({ days: 1 })
    const to = Temporal.PlainDate.from(deadline).subtract({ days: 1 })
    const freeDays =
      useCalendar && Temporal.PlainDate.compare(from, to) <= 0
        ? await timing.freeDays({
            personId,
            agencyId,
            from: from.toString(),
            to: to.toString(),
            hours: { from: hours.from, to: hours.until },
          })
        : undefined
    return chooseMoment({
      now: clock.now(),
      deadline: Temporal.PlainDate.from(deadline),
      ...(freeDays ? { freeDays } : {}),
      preferences,
    })
  }

  /** Plans the reminders of the triggers fired on the day in one partition; the number planned. */
  async function planOffers(scan: DateScan): Promise<number> {
    if (!parseDay(scan.date)) throw new Error(`${PLAN_OFFERS_JOB}: invalid date ${scan.date}`)
    const range = hashRange(scan.partition, scan.partitions)
    let planned = 0
    await withoutRecord('reminders', async () => {
      for (;;) {
        const triggers = await store.findTriggersWithoutOffer(db, {
          date: scan.date,
          sources: OFFER_SOURCES,
          range,
          limit: BATCH,
        })
        let added = 0
        for (const t of triggers) {
          const draft = offerFor({ kind: t.kind, occasion: t.occasion, dueOn: t.due_on }, deps.calendar)
          if (!draft) continue
          const moment = await planMoment(t.person_id, draft.agencyId, draft.deadline, true)
          // Past the deadline already: nothing to remind of. The trigger stays the person's record.
          if (moment.kind !== 'planned') continue
          const id = await store.insertOffer(db, {
            personId: t.person_id,
            source: t.kind,
            occasion: t.occasion,
            draft,
            at: new Date(moment.at.epochMilliseconds),
            plannedBy: moment.plannedBy,
            now: now(),
          })
          if (id) added++
        }
        planned += added
        // A batch that planned nothing new (all too late, or planned meanwhile by another worker) ends it.
        if (triggers.length < BATCH || added === 0) break
      }
    })
    return planned
  }

  /** The person's offers and reminders, soonest first. */
  async function listOffers(personId: string): Promise<Offer[]> {
    return (await ownData(personId, () => store.listOffersOf(db, personId))).map(present)
  }

  /** The person moves a reminder to a day they choose: today or later, before the deadline. */
  async function moveOffer(input: { personId: string; offerId: string; day: string }): Promise<MoveResult> {
    return ownData(input.personId, async () => {
      const row = await store.findOffer(db, input.offerId, input.personId)
      if (!row) return { kind: 'not-found' }
      if (row.status !== 'scheduled') return { kind: 'not-scheduled' }
      const day = parseDay(input.day.trim())
      if (!day) return { kind: 'invalid-day' }
      const moved = moveMoment({
        now: clock.now(),
        day,
        deadline: Temporal.PlainDate.from(row.deadline),
        preferences: await timing.preferencesOf(input.personId),
      })
      if (moved.kind !== 'moved') return moved
      const at = new Date(moved.at.epochMilliseconds)
      const done = await store.reschedule(db, {
        personId: input.personId,
        offerId: row.id,
        at,
        plannedBy: 'person',
        now: now(),
      })
      return done ? { kind: 'moved', scheduledFor: at.toISOString() } : { kind: 'not-scheduled' }
    })
  }

  async function dismissOffer(input: { personId: string; offerId: string }): Promise<DismissResult> {
    return ownData(input.personId, async () => {
      const row = await store.findOffer(db, input.offerId, input.personId)
      if (!row) return { kind: 'not-found' }
      const done = await store.dismissOffer(db, { ...input, now: now() })
      return done ? { kind: 'dismissed' } : { kind: 'not-scheduled' }
    })
  }

  /**
   * The person no longer shares a calendar with the agency: what was planned from it is planned
   * again without it, and the calendar is not asked (it is gone, and the next read would fail).
   * A day the person chose stays theirs.
   */
  async function replanWithoutCalendar(input: { personId: string; agencyId: string }): Promise<number> {
    return withoutRecord('reminders', async () => {
      let replanned = 0
      for (const row of await store.plannedWithCalendar(db, input.personId, input.agencyId)) {
        const moment = await planMoment(row.person_id, row.agency_id, row.deadline, false)
        if (moment.kind !== 'planned') continue
        if (
          await store.reschedule(db, {
            personId: row.person_id,
            offerId: row.id,
            at: new Date(moment.at.epochMilliseconds),
            plannedBy: moment.plannedBy,
            now: now(),
          })
        )
          replanned++
      }
      return replanned
    })
  }

  /** At the moment: the reminder goes out through notify, with its reason, unless moved or dismissed. */
  async function sendReminder(payload: store.SendReminderPayload): Promise<'sent' | 'not-due'> {
    return withoutRecord('reminders', async () => {
      const row = await store.findOffer(db, payload.offerId)
      if (row?.status !== 'scheduled' || row.scheduled_for.toISOString() !== payload.scheduledFor)
        return 'not-due'
      const words = (lang: 'sv' | 'en') => ({
        title: deps.messages[lang](`proactive.offers.titles.${row.source}`),
        reason: deps.messages[lang](row.reason_key, localParams(row.reason_params, lang)),
        deadline: formatDateLong(row.deadline, lang),
      })
      const sv = words('sv')
      const en = words('en')
      await deps.send({
        personId: row.person_id,
        template: 'reminder',
        data: {
          titleSv: sv.title,
          reasonSv: sv.reason,
          deadlineSv: sv.deadline,
          titleEn: en.title,
          reasonEn: en.reason,
          deadlineEn: en.deadline,
        },
        uniqueKey: `${store.SEND_REMINDER_JOB}:${row.id}`,
      })
      await store.markSent(db, row.id, row.scheduled_for, now())
      return 'sent'
    })
  }

  const jobHandlers: Record<string, JobHandler<never>> = {
    [PLAN_OFFERS_JOB]: {
      async run(job: Job<DateScan>) {
        await planOffers(job.payload)
      },
      // The tax-return day plans a reminder for everyone with an income in the partition.
      timeoutMs: 30 * 60_000,
    } as JobHandler<never>,
    [store.SEND_REMINDER_JOB]: {
      async run(job: Job<store.SendReminderPayload>) {
        await sendReminder(job.payload)
      },
    } as JobHandler<never>,
  }

  /** The handler of the consent module's event: a calendar sharing has ended. */
  const calendarWithdrawn: JobHandler<never> = {
    async run(job: Job<{ personId: string; agencyId: string }>) {
      await replanWithoutCalendar(job.payload)
    },
  } as JobHandler<never>

  return {
    planOffers,
    listOffers,
    moveOffer,
    dismissOffer,
    replanWithoutCalendar,
    sendReminder,
    jobHandlers,
    calendarWithdrawn,
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** A reason's values in the language: dates written out, as people write them. */
export function localParams(params: Record<string, string>, lang: 'sv' | 'en'): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, DATE.test(v) ? formatDateLong(v, lang) : v]),
  )
}
