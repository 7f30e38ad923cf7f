// Telling a person something outside Samla. The person's preferences decide the channels and
// their order; the first channel that has what it needs (an address, a number, a browser) gets a
// message, scheduled after the quiet hours for SMS and push, and a job delivers it. The
// notification, its message and the job are written in one transaction.
import { randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Clock, Temporal } from '../../platform/clock.ts'
import { enqueueJobs, type JobsTables } from '../../platform/jobs/queue.ts'
import { DELIVER_MESSAGE, type DeliverMessagePayload } from './notify-jobs.ts'
import * as store from './notify-store.ts'
import type { Channel, NotifyTables } from './notify-tables.ts'
import { NO_PREFERENCES, type Preferences } from './preferences.ts'
import { sendTimeFor } from './quiet-hours.ts'
import { COPY_OF, type Templates } from './templates.ts'

export interface NotificationRequest {
  personId: string
  /** A template in templates/, such as case-decision. */
  template: string
  /** Fills the template's {placeholders}. */
  data: Record<string, string>
  /** The same key again sends nothing more. */
  uniqueKey?: string
  /**
   * The area of acting for someone the notification concerns (such as elderly-care): a copy goes
   * only to those whose power covers it. Without one, to everyone acting for the person.
   */
  area?: string
}

/** Someone acting for a person on a valid power of attorney, as notify needs to know them. */
export interface NotifyRepresentative {
  personId: string
  /** The person's name as the power gives it: the copy says whose message it is. */
  principalName: string
  areas: readonly string[]
}

/** Those acting for the person today; the reads it needs are recorded by the one that answers. */
export type RepresentativesOf = (personId: string) => Promise<NotifyRepresentative[]>

export type SendResult =
  | { kind: 'queued'; notificationId: string; channel: Channel; scheduledFor: string }
  | { kind: 'no-channel' }
  | { kind: 'already-sent' }

type Db = Kysely<NotifyTables & JobsTables>

/** Where a message through the channel goes; undefined when the person lacks what it needs. */
export function recipientFor(channel: Channel, p: Preferences, hasPush: boolean): string | null | undefined {
  if (channel === 'email') return p.email ?? undefined
  if (channel === 'sms') return p.mobile ?? undefined
  return hasPush ? null : undefined
}

/** The first of the channels that can be used, as a message to write. */
export function firstMessage(
  notification: { id: string; personId: string; channels: Channel[] },
  p: Preferences,
  hasPush: boolean,
  now: Temporal.Instant,
): store.NewMessage | undefined {
  for (const channel of notification.channels) {
    const recipient = recipientFor(channel, p, hasPush)
    if (recipient === undefined) continue
    return {
      id: randomUUID(),
      notificationId: notification.id,
      personId: notification.personId,
      channel,
      recipient,
      scheduledFor: new Date(sendTimeFor(channel, now, p.quietHours).epochMilliseconds),
      at: new Date(now.epochMilliseconds),
    }
  }
  return undefined
}

/** Writes the messages and the jobs that deliver them, in the caller's transaction. */
export async function queueMessages(
  tx: Transaction<NotifyTables & JobsTables>,
  messages: store.NewMessage[],
  at: Date,
) {
  await store.insertMessages(tx, messages)
  await enqueueJobs(
    tx,
    messages.map((m) => ({
      name: DELIVER_MESSAGE,
      payload: { messageId: m.id } satisfies DeliverMessagePayload,
      runAt: m.scheduledFor,
    })),
    at,
  )
}

export function createSendNotification(deps: {
  db: Db
  clock: Clock
  templates: Templates
  /** Those acting for a person, for the copies a person may want them to have. None when not given. */
  representativesOf?: RepresentativesOf
}) {
  const { db, clock, templates } = deps

  /**
   * The copies of the requests whose person wants those acting for them to have one: a request to
   * each representative whose power covers the request's area, with the person's name.
   */
  async function copiesOf(
    requests: NotificationRequest[],
    preferences: Map<string, Preferences>,
  ): Promise<NotificationRequest[]> {
    const representativesOf = deps.representativesOf
    if (!representativesOf) return []
    const principals = [
      ...new Set(requests.map((r) => r.personId).filter((id) => preferences.get(id)?.copyToRepresentatives)),
    ]
    const representatives = new Map<string, NotifyRepresentative[]>()
    for (const id of principals) representatives.set(id, await representativesOf(id))
    return requests.flatMap((r) =>
      (representatives.get(r.personId) ?? [])
        .filter((rep) => rep.personId !== r.personId && (!r.area || rep.areas.includes(r.area)))
        .map((rep) => ({
          personId: rep.personId,
          template: r.template,
          data: { ...r.data, [COPY_OF]: rep.principalName },
          ...(r.uniqueKey ? { uniqueKey: `${r.uniqueKey}:copy:${rep.personId}` } : {}),
        })),
    )
  }

  /**
   * Sends many notifications at once: one read of the preferences, one transaction, a few
   * statements. The answers are in the order of the requests.
   */
  async function sendNotifications(requests: NotificationRequest[]): Promise<SendResult[]> {
    const known = new Set(templates.names())
    for (const r of requests)
      if (!known.has(r.template)) throw new Error(`no notification template "${r.template}"`)
    const preferences = await preferencesOf(requests.map((r) => r.personId))
    const copies = await copiesOf(requests, preferences)
    for (const [id, p] of await preferencesOf(
      copies.map((r) => r.personId).filter((id) => !preferences.has(id)),
    ))
      preferences.set(id, p)
    const personIds = [...new Set([...requests, ...copies].map((r) => r.personId))]
    const wantPush = personIds.filter((id) => preferences.get(id)?.channels.includes('push'))
    const withPush = await store.personsWithPush(db, wantPush)
    const now = clock.now()
    const at = new Date(now.epochMilliseconds)

    const planned = [...requests, ...copies].map((r) => {
      const p = preferences.get(r.personId) ?? NO_PREFERENCES
      const notification: store.NewNotification = {
        id: randomUUID(),
        personId: r.personId,
        template: r.template,
        data: r.data,
        channels: p.channels,
        language: p.language,
        uniqueKey: r.uniqueKey ?? null,
        at,
      }
      return { notification, message: firstMessage(notification, p, withPush.has(r.personId), now) }
    })
    const sendable = planned.filter((x) => x.message !== undefined)
    const inserted = await db.transaction().execute(async (tx) => {
      const ids = await store.insertNotifications(
        tx,
        sendable.map((x) => x.notification),
      )
      await queueMessages(
        tx,
        sendable.filter((x) => ids.has(x.notification.id)).map((x) => x.message as store.NewMessage),
        at,
      )
      return ids
    })
    return planned.slice(0, requests.length).map(({ notification, message }): SendResult => {
      if (!message) return { kind: 'no-channel' }
      if (!inserted.has(notification.id)) return { kind: 'already-sent' }
      return {
        kind: 'queued',
        notificationId: notification.id,
        channel: message.channel,
        scheduledFor: message.scheduledFor.toISOString(),
      }
    })
  }

  async function preferencesOf(personIds: string[]): Promise<Map<string, Preferences>> {
    const rows = await store.findPreferences(db, [...new Set(personIds)])
    return new Map(rows.map((row) => [row.person_id, store.preferencesOf(row)]))
  }

  async function sendNotification(request: NotificationRequest): Promise<SendResult> {
    return (await sendNotifications([request]))[0] as SendResult
  }

  return { sendNotification, sendNotifications }
}
