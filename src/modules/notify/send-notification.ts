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
import type { Templates } from './templates.ts'

export interface NotificationRequest {
  personId: string
  /** A template in templates/, such as case-decision. */
  template: string
  /** Fills the template's {placeholders}. */
  data: Record<string, string>
  /** The same key again sends nothing more. */
  uniqueKey?: string
}

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

export function createSendNotification(deps: { db: Db; clock: Clock; templates: Templates }) {
  const { db, clock, templates } = deps

  /**
   * Sends many notifications at once: one read of the preferences, one transaction, a few
   * statements. The answers are in the order of the requests.
   */
  async function sendNotifications(requests: NotificationRequest[]): Promise<SendResult[]> {
    const known = new Set(templates.names())
    for (const r of requests)
      if (!known.has(r.template)) throw new Error(`no notification template "${r.template}"`)
    const personIds = [...new Set(requests.map((r) => r.personId))]
    const preferences = new Map(
      (await store.findPreferences(db, personIds)).map((row) => [row.person_id, store.preferencesOf(row)]),
    )
    const wantPush = personIds.filter((id) => preferences.get(id)?.channels.includes('push'))
    const withPush = await store.personsWithPush(db, wantPush)
    const now = clock.now()
    const at = new Date(now.epochMilliseconds)

    const planned = requests.map((r) => {
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
    return planned.map(({ notification, message }): SendResult => {
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

  async function sendNotification(request: NotificationRequest): Promise<SendResult> {
    return (await sendNotifications([request]))[0] as SendResult
  }

  return { sendNotification, sendNotifications }
}
