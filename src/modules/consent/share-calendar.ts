// Sharing a calendar with one agency, for scheduling only. The person uploads an iCalendar file or
// gives a link; Samla keeps the busy periods (start and end) for the next CALENDAR_HORIZON_DAYS
// days and nothing else, under a consent the person can withdraw, which deletes them. A link is
// read once, when it is given; reading it again on a schedule is left to a later job.
import type { Kysely } from 'kysely'
import { ownData } from '../../platform/access-scope.ts'
import { type Clock, Temporal, TIME_ZONE } from '../../platform/clock.ts'
import type { Catalog } from '../catalog/index.ts'
import type { People } from '../people/index.ts'
import { categoriesOf } from './consent-purposes.ts'
import * as store from './consent-store.ts'
import type { ConsentTables } from './consent-tables.ts'
import { fetchCalendarLink, type LinkProblem } from './fetch-calendar-link.ts'
import { consentTerms } from './give-consent.ts'
import type { CalendarProblem } from './parse-calendar.ts'
import { type ConsentView, lastDayOf, presentConsent } from './present-consent.ts'
import { readCalendar } from './read-calendar.ts'

/** How far ahead busy periods are kept. */
export const CALENDAR_HORIZON_DAYS = 120

export type CalendarSource = { kind: 'file'; content: Uint8Array } | { kind: 'link'; url: string }

export type ShareResult =
  | {
      kind: 'shared'
      consent: ConsentView
      periods: number
      openEndedRecurrences: number
      /** The last day busy periods are known for. */
      knownThrough: string
    }
  | { kind: 'unknown-recipient' }
  | { kind: 'recipient-not-allowed' }
  | { kind: 'invalid-period' }
  | { kind: 'invalid-calendar'; problem: CalendarProblem }
  | { kind: 'link-failed'; problem: LinkProblem }

export interface SharedCalendar {
  consentId: string
  source: 'file' | 'link'
  /** For a link: only its host, so the page does not show the secret part of the address. */
  linkHost: string | null
  readAt: string
  knownThrough: string
  periods: number
}

export type FreeDaysResult =
  | { kind: 'free-days'; days: string[]; knownThrough: string }
  | { kind: 'not-shared' }
  | { kind: 'invalid-range' }

const at = (date: Temporal.PlainDate, time = '00:00') =>
  new Date(date.toZonedDateTime({ timeZone: TIME_ZONE, plainTime: time }).epochMilliseconds)

export function createShareCalendar(deps: {
  db: Kysely<ConsentTables>
  people: People
  catalog: Catalog
  clock: Clock
  /** Development and tests: links to this machine over plain http. */
  allowLocalHttp: boolean
  /** Answers which consent lets the actor read now; the same check the one door makes. */
  findValidConsent: (request: {
    personId: string
    agencyId: string
    purpose: 'scheduling'
  }) => Promise<string | undefined>
}) {
  const { db, people, clock } = deps

  async function shareCalendar(input: {
    personId: string
    givenBy: string
    agencyId: string
    source: CalendarSource
    validThrough?: string
  }): Promise<ShareResult> {
    const terms = await consentTerms(deps, {
      purpose: 'scheduling',
      recipientAgencyId: input.agencyId,
      validThrough: input.validThrough,
    })
    if (terms.kind !== 'ok') return terms
    let content: Uint8Array
    if (input.source.kind === 'link') {
      const fetched = await fetchCalendarLink(input.source.url, { allowLocalHttp: deps.allowLocalHttp })
      if (fetched.kind === 'failed') return { kind: 'link-failed', problem: fetched.problem }
      content = fetched.content
    } else content = input.source.content
    const now = new Date(clock.now().epochMilliseconds)
    // From the start of today, so that today's earlier meetings count when today is looked at.
    const horizonFrom = at(clock.today())
    const horizonUntil = at(clock.today().add({ days: CALENDAR_HORIZON_DAYS }))
    const read = await readCalendar(content, {
      from: horizonFrom.toISOString(),
      until: horizonUntil.toISOString(),
    })
    if (read.kind === 'invalid') return { kind: 'invalid-calendar', problem: read.problem }

    const source = input.source
    const row = await ownData(input.personId, () =>
      db.transaction().execute(async (tx) => {
        // A calendar shared again with the same agency replaces the one shared before.
        const earlier = await store.findConsentsInForce(tx, {
          personId: input.personId,
          recipientAgencyId: input.agencyId,
          purpose: 'scheduling',
          at: now,
        })
        for (const e of earlier)
          await store.withdrawConsent(tx, {
            personId: input.personId,
            consentId: e.id,
            withdrawnBy: input.givenBy,
            at: now,
          })
        const consent = await store.insertConsent(tx, {
          personId: input.personId,
          givenBy: input.givenBy,
          recipientAgencyId: input.agencyId,
          purpose: 'scheduling',
          categories: categoriesOf('scheduling'),
          validFrom: terms.validFrom,
          validUntil: terms.validUntil,
          reference: null,
          givenAt: now,
        })
        await store.insertCalendar(tx, {
          consentId: consent.id,
          personId: input.personId,
          kind: source.kind,
          linkUrl: source.kind === 'link' ? source.url.trim() : null,
          readAt: now,
          horizonFrom,
          horizonUntil,
          periods: read.periods,
        })
        return consent
      }),
    )
    return {
      kind: 'shared',
      consent: presentConsent(row, now),
      periods: read.periods.length,
      openEndedRecurrences: read.openEndedRecurrences,
      knownThrough: lastDayOf(horizonUntil),
    }
  }

  /** The calendars the person shares now, one a consent, with what Samla keeps of each. */
  async function listSharedCalendars(personId: string): Promise<SharedCalendar[]> {
    const calendars = await ownData(personId, () => store.listCalendars(db, personId))
    return calendars.map((c) => ({
      consentId: c.consent_id,
      source: c.kind,
      linkHost: c.link_url ? hostOf(c.link_url) : null,
      readAt: c.read_at.toISOString(),
      knownThrough: lastDayOf(c.horizon_until),
      periods: Number(c.periods),
    }))
  }

  /** The busy periods Samla keeps from one of the person's own shared calendars, for them to see. */
  function busyPeriodsOf(personId: string, consentId: string) {
    return ownData(personId, async () => {
      const calendar = await store.findCalendar(db, personId, consentId)
      if (!calendar) return undefined
      return (
        await store.listBusyPeriods(db, {
          personId,
          consentId,
          from: calendar.horizon_from,
          until: calendar.horizon_until,
        })
      ).map((p) => ({ start: p.starts_at.toISOString(), end: p.ends_at.toISOString() }))
    })
  }

  /**
   * For an agency the person shares a calendar with: the days from `from` to `to` (and within the
   * known horizon) on which the person is free between the hours given (by default 08–17, Swedish
   * time). The read goes through the one door, which checks the consent and logs it with purpose
   * scheduling; without a sharing in force nothing is read.
   */
  async function findFreeDays(input: {
    personId: string
    agencyId: string
    from: string
    to: string
    hours?: { from: string; to: string }
  }): Promise<FreeDaysResult> {
    let from: Temporal.PlainDate
    let to: Temporal.PlainDate
    let hours: { from: Temporal.PlainTime; to: Temporal.PlainTime }
    try {
      from = Temporal.PlainDate.from(input.from, { overflow: 'reject' })
      to = Temporal.PlainDate.from(input.to, { overflow: 'reject' })
      hours = {
        from: Temporal.PlainTime.from(input.hours?.from ?? '08:00'),
        to: Temporal.PlainTime.from(input.hours?.to ?? '17:00'),
      }
    } catch {
      return { kind: 'invalid-range' }
    }
    if (
      Temporal.PlainDate.compare(from, to) > 0 ||
      from.until(to).days > 366 ||
      Temporal.PlainTime.compare(hours.from, hours.to) >= 0
    )
      return { kind: 'invalid-range' }
    const actor = { kind: 'agency-system' as const, agencyId: input.agencyId }
    // One recorded read: the door checks the consent and records it; the periods are read inside.
    const found = await people.access.read({ actor, purpose: 'scheduling' }, () =>
      freeDaysOf(input.personId, input.agencyId, { from, to, hours }),
    )
    return found ?? { kind: 'not-shared' }
  }

  async function freeDaysOf(
    personId: string,
    agencyId: string,
    range: {
      from: Temporal.PlainDate
      to: Temporal.PlainDate
      hours: { from: Temporal.PlainTime; to: Temporal.PlainTime }
    },
  ): Promise<FreeDaysResult | undefined> {
    const { from, to, hours } = range
    const actor = { kind: 'agency-system' as const, agencyId }
    const read = await people.readPerson({ actor, purpose: 'scheduling', personId })
    if (!read) return undefined
    const consentId = await deps.findValidConsent({ personId, agencyId, purpose: 'scheduling' })
    const calendar = consentId ? await store.findCalendar(db, personId, consentId) : undefined
    if (!consentId || !calendar) return undefined
    const knownThrough = Temporal.PlainDate.from(lastDayOf(calendar.horizon_until))
    const today = clock.today()
    const first = Temporal.PlainDate.compare(from, today) < 0 ? today : from
    const last = Temporal.PlainDate.compare(to, knownThrough) > 0 ? knownThrough : to
    const days: string[] = []
    if (Temporal.PlainDate.compare(first, last) <= 0) {
      const busy = await store.listBusyPeriods(db, {
        personId,
        consentId,
        from: at(first),
        until: at(last.add({ days: 1 })),
      })
      for (let day = first; Temporal.PlainDate.compare(day, last) <= 0; day = day.add({ days: 1 })) {
        const start = at(day, hours.from.toString())
        const end = at(day, hours.to.toString())
        if (!busy.some((b) => b.starts_at < end && b.ends_at > start)) days.push(day.toString())
      }
    }
    return { kind: 'free-days', days, knownThrough: knownThrough.toString() }
  }

  return { shareCalendar, listSharedCalendars, busyPeriodsOf, findFreeDays }
}

function hostOf(link: string): string | null {
  try {
    return new URL(link.replace(/^webcals?:\/\//i, 'https://')).host
  } catch {
    return null
  }
}
