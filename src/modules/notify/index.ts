// notify: telling a person something outside Samla – e-mail over SMTP, SMS through a gateway, web
// push – in the channels, language and hours they chose in one preference centre. Every message
// has a delivery status; the job queue sends, retries and falls back to the next channel.
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import type { Config } from '../../app/config.ts'
import { ownData, withoutRecord } from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import type { JobsTables } from '../../platform/jobs/queue.ts'
import { createDeliverMessage } from './deliver-message.ts'
import type { DevMailbox } from './dev-mailbox.ts'
import { createSmtpMailer } from './mailer.ts'
import * as store from './notify-store.ts'
import type { NotifyTables } from './notify-tables.ts'
import {
  type CheckedPreferences,
  checkPreferences,
  NO_PREFERENCES,
  type Preferences,
  type PreferencesInput,
} from './preferences.ts'
import { createSendNotification, type RepresentativesOf } from './send-notification.ts'
import { createSmsGateway } from './sms-gateways.ts'
import { createTellOfInboxMessage } from './tell-of-inbox-message.ts'
import { loadTemplates } from './templates.ts'
import {
  checkPushSubscription,
  createWebPushSender,
  loadVapidKeys,
  type PushSender,
  type PushSubscriptionProblem,
} from './web-push.ts'

export { notifyHttp } from './notify-http.ts'
export { DELIVER_MESSAGE, type InboxMessagePayload } from './notify-jobs.ts'
/** The tables that hold a person's data (addresses, numbers, what was sent): read only inside an access scope. */
export const NOTIFY_PERSONAL_TABLES = [
  'notify.preferences',
  'notify.push_subscriptions',
  'notify.notifications',
  'notify.messages',
  'notify.caught_mail',
  'notify.demo_sms',
] as const
export type { Channel, MessageStatus, NotifyTables } from './notify-tables.ts'
export type { Preferences } from './preferences.ts'
export type {
  NotificationRequest,
  NotifyRepresentative,
  RepresentativesOf,
  SendResult,
} from './send-notification.ts'
export type { PushSender, PushTarget } from './web-push.ts'

const TEMPLATES = fileURLToPath(new URL('./templates/', import.meta.url))

export type Notify = Awaited<ReturnType<typeof createNotify>>

export async function createNotify(deps: {
  db: Kysely<NotifyTables & JobsTables>
  clock: Clock
  config: Config
  /** Web push through the browsers' push services unless another sender is given (tests). */
  pushSender?: PushSender
  onError?: (error: unknown) => void
  /** Those acting for a person on a valid power of attorney: the copies a person may want them to have. */
  representativesOf?: RepresentativesOf
}) {
  const { db, clock, config } = deps
  const templates = loadTemplates(TEMPLATES, config.publicUrl)
  let mailbox: DevMailbox | undefined
  if (!config.notify.smtpUrl) {
    const { startDevMailbox } = await import('./dev-mailbox.ts')
    mailbox = await startDevMailbox({ db, ...(deps.onError ? { onError: deps.onError } : {}) })
  }
  const mailer = createSmtpMailer({
    url: config.notify.smtpUrl ?? mailbox?.url ?? '',
    from: config.notify.mailFrom,
    maxConnections: config.notify.smtpMaxConnections,
    domain: new URL(config.publicUrl).hostname,
  })
  const vapid = loadVapidKeys(config.notify.vapid, config.dataDir, config.notify.vapidSubject)
  const send = createSendNotification({
    db,
    clock,
    templates,
    ...(deps.representativesOf ? { representativesOf: deps.representativesOf } : {}),
  })
  const sendNotification = delivering(send.sendNotification)
  const sendNotifications = delivering(send.sendNotifications)
  const deliverMessage = createDeliverMessage({
    db,
    clock,
    templates,
    mailer,
    sms: createSmsGateway(config.notify.smsGateway, { db }),
    push: deps.pushSender ?? createWebPushSender(vapid),
  })

  const handlers = {
    deliverMessage: {
      ...deliverMessage,
      run: delivering(deliverMessage.run),
      ...(deliverMessage.runMany ? { runMany: delivering(deliverMessage.runMany) } : {}),
      ...(deliverMessage.onDead ? { onDead: delivering(deliverMessage.onDead) } : {}),
    },
    tellOfInboxMessage: createTellOfInboxMessage({ sendNotification }),
  }

  /** The person's preferences; what someone who never chose gets when there are none. */
  async function readPreferences(personId: string): Promise<Preferences> {
    const [row] = await ownData(personId, () => store.findPreferences(db, [personId]))
    return row ? store.preferencesOf(row) : NO_PREFERENCES
  }

  /** Checks and keeps the person's preferences; the problems when they do not hold. */
  async function savePreferences(personId: string, input: PreferencesInput): Promise<CheckedPreferences> {
    const checked = checkPreferences(input)
    if (checked.kind === 'valid')
      await ownData(personId, () =>
        store.savePreferences(db, personId, checked.preferences, new Date(clock.now().epochMilliseconds)),
      )
    return checked
  }

  async function addPushSubscription(
    personId: string,
    subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
  ): Promise<{ kind: 'kept'; id: string } | { kind: 'invalid'; problem: PushSubscriptionProblem }> {
    const checked = checkPushSubscription(subscription)
    if (checked.kind === 'invalid') return checked
    return {
      kind: 'kept',
      id: await ownData(personId, () => store.keepPushSubscription(db, personId, checked.target)),
    }
  }

  /** The browsers the person receives push in: where, not the keys. */
  async function listPushSubscriptions(personId: string) {
    return (await ownData(personId, () => store.listPushSubscriptions(db, personId))).map((s) => ({
      id: s.id,
      service: new URL(s.endpoint).hostname,
      createdAt: s.created_at.toISOString(),
    }))
  }

  /** The messages sent to the person, newest first, with their delivery status. */
  async function listDeliveries(personId: string) {
    return (await ownData(personId, () => store.listMessagesOfPerson(db, personId, 50))).map((m) => ({
      id: m.id,
      notificationId: m.notification_id,
      template: m.template,
      channel: m.channel,
      status: m.status,
      attempts: m.attempts,
      lastError: m.last_error,
      scheduledFor: m.scheduled_for.toISOString(),
      sentAt: m.sent_at?.toISOString() ?? null,
      createdAt: m.created_at.toISOString(),
    }))
  }

  /** The development mailbox's mail and SMS to the person; undefined when a real relay is used. */
  async function listMailbox(personId: string) {
    if (!mailbox) return undefined
    const { mail, sms } = await ownData(personId, () => store.listMailboxOf(db, personId, 50))
    return {
      mail: mail.map((m) => ({
        id: m.id,
        to: m.envelope_to,
        subject: m.subject,
        text: m.text_body,
        receivedAt: m.received_at.toISOString(),
      })),
      sms: sms.map((s) => ({ id: s.id, to: s.to_number, text: s.body, sentAt: s.sent_at.toISOString() })),
    }
  }

  return {
    sendNotification,
    sendNotifications,
    readPreferences,
    savePreferences,
    addPushSubscription,
    removePushSubscription: (personId: string, id: string) =>
      ownData(personId, () => store.removePushSubscription(db, personId, id)),
    listPushSubscriptions,
    listDeliveries,
    listMailbox,
    /** Whether the embedded development mailbox catches Samla's mail. */
    hasDevMailbox: mailbox !== undefined,
    /** The SMTP server Samla sends to. */
    smtpUrl: config.notify.smtpUrl ?? mailbox?.url ?? '',
    vapidPublicKey: vapid.publicKey,
    /** The handlers of notify's jobs: its own (DELIVER_MESSAGE), and the one for a case's inbox message. */
    handlers,
    async close() {
      mailer.close()
      await mailbox?.close()
    },
  }
}

/**
 * Samla's own work of reaching a person through the channels they chose: finding their address or
 * number, writing the notification and its messages, sending and marking each attempt. It reads no
 * one's data for anyone; what was sent is the person's own list of deliveries.
 */
function delivering<A extends unknown[], R>(work: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => withoutRecord('notification-delivery', () => work(...args))
}
