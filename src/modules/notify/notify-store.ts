import type { Kysely, Transaction } from 'kysely'
import type { Channel, NotifyTables } from './notify-tables.ts'
import type { Preferences } from './preferences.ts'

type Db = Kysely<NotifyTables> | Transaction<NotifyTables>

export async function findPreferences(db: Db, personIds: string[]) {
  if (personIds.length === 0) return []
  return db.selectFrom('notify.preferences').selectAll().where('person_id', 'in', personIds).execute()
}

export function preferencesOf(row: Awaited<ReturnType<typeof findPreferences>>[number]): Preferences {
  return {
    channels: row.channels,
    language: row.language,
    quietHours: row.quiet_from && row.quiet_until ? { from: row.quiet_from, until: row.quiet_until } : null,
    preferredHours:
      row.preferred_from && row.preferred_until
        ? { from: row.preferred_from, until: row.preferred_until }
        : null,
    email: row.email,
    mobile: row.mobile,
    copyToRepresentatives: row.copy_to_representatives,
  }
}

export async function savePreferences(db: Db, personId: string, p: Preferences, at: Date): Promise<void> {
  const values = {
    channels: p.channels,
    language: p.language,
    quiet_from: p.quietHours?.from ?? null,
    quiet_until: p.quietHours?.until ?? null,
    preferred_from: p.preferredHours?.from ?? null,
    preferred_until: p.preferredHours?.until ?? null,
    email: p.email,
    mobile: p.mobile,
    copy_to_representatives: p.copyToRepresentatives,
    updated_at: at,
  }
  await db
    .insertInto('notify.preferences')
    .values({ person_id: personId, ...values })
    .onConflict((oc) => oc.column('person_id').doUpdateSet(values))
    .execute()
}

/** Persons among these who have a browser to push to. */
export async function personsWithPush(db: Db, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('notify.push_subscriptions')
    .select('person_id')
    .distinct()
    .where('person_id', 'in', personIds)
    .execute()
  return new Set(rows.map((r) => r.person_id))
}

export async function listPushSubscriptions(db: Db, personId: string) {
  return db
    .selectFrom('notify.push_subscriptions')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .execute()
}

/** A browser belongs to the person who subscribed in it last. */
export async function keepPushSubscription(
  db: Db,
  personId: string,
  s: { endpoint: string; p256dh: string; auth: string },
): Promise<string> {
  const row = await db
    .insertInto('notify.push_subscriptions')
    .values({ person_id: personId, endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth })
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet({ person_id: personId, p256dh: s.p256dh, auth: s.auth }),
    )
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function removePushSubscription(db: Db, personId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('notify.push_subscriptions')
    .where('person_id', '=', personId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export async function forgetPushEndpoint(db: Db, endpoint: string): Promise<void> {
  await db.deleteFrom('notify.push_subscriptions').where('endpoint', '=', endpoint).execute()
}

export interface NewNotification {
  id: string
  personId: string
  template: string
  data: Record<string, string>
  channels: Channel[]
  language: 'sv' | 'en'
  uniqueKey: string | null
  at: Date
}

/** Inserts the notifications; returns the ids of those that were new (not of those whose key was taken). */
export async function insertNotifications(db: Db, notifications: NewNotification[]): Promise<Set<string>> {
  if (notifications.length === 0) return new Set()
  const rows = await db
    .insertInto('notify.notifications')
    .values(
      notifications.map((n) => ({
        id: n.id,
        person_id: n.personId,
        template: n.template,
        data: JSON.stringify(n.data),
        channels: n.channels,
        language: n.language,
        unique_key: n.uniqueKey,
        created_at: n.at,
      })),
    )
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .execute()
  return new Set(rows.map((r) => r.id))
}

export interface NewMessage {
  id: string
  notificationId: string
  personId: string
  channel: Channel
  recipient: string | null
  scheduledFor: Date
  at: Date
}

export async function insertMessages(db: Db, messages: NewMessage[]): Promise<void> {
  if (messages.length === 0) return
  await db
    .insertInto('notify.messages')
    .values(
      messages.map((m) => ({
        id: m.id,
        notification_id: m.notificationId,
        person_id: m.personId,
        channel: m.channel,
        recipient: m.recipient,
        scheduled_for: m.scheduledFor,
        created_at: m.at,
      })),
    )
    .execute()
}

export async function findMessagesForDelivery(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return []
  return db
    .selectFrom('notify.messages as m')
    .innerJoin('notify.notifications as n', 'n.id', 'm.notification_id')
    .select([
      'm.id',
      'm.person_id',
      'm.channel',
      'm.recipient',
      'm.status',
      'm.notification_id',
      'n.template',
      'n.data',
      'n.language',
      'n.channels',
    ])
    .where('m.id', 'in', messageIds)
    .execute()
}

export async function findMessageForDelivery(db: Db, messageId: string) {
  return (await findMessagesForDelivery(db, [messageId]))[0]
}

/** Marks messages sent: one statement for all sent at the same attempt. */
export async function markMessagesSent(db: Db, sent: Array<{ id: string; attempts: number }>, at: Date) {
  const byAttempts = new Map<number, string[]>()
  for (const m of sent) byAttempts.set(m.attempts, [...(byAttempts.get(m.attempts) ?? []), m.id])
  for (const [attempts, ids] of byAttempts)
    await db
      .updateTable('notify.messages')
      .set({ status: 'sent', attempts, sent_at: at, last_error: null })
      .where('id', 'in', ids)
      .execute()
}

export async function markMessage(
  db: Db,
  messageId: string,
  outcome:
    | { status: 'sent'; attempts: number; at: Date }
    | { status: 'failed'; attempts: number; error: string }
    | { status: 'dead'; error: string },
): Promise<void> {
  await db
    .updateTable('notify.messages')
    .set(
      outcome.status === 'sent'
        ? { status: 'sent', attempts: outcome.attempts, sent_at: outcome.at, last_error: null }
        : outcome.status === 'failed'
          ? { status: 'failed', attempts: outcome.attempts, last_error: outcome.error }
          : { status: 'dead', last_error: outcome.error },
    )
    .where('id', '=', messageId)
    .execute()
}

export async function listMessagesOfPerson(db: Db, personId: string, limit: number) {
  return db
    .selectFrom('notify.messages as m')
    .innerJoin('notify.notifications as n', 'n.id', 'm.notification_id')
    .select([
      'm.id',
      'm.notification_id',
      'm.channel',
      'm.status',
      'm.attempts',
      'm.last_error',
      'm.scheduled_for',
      'm.sent_at',
      'm.created_at',
      'n.template',
    ])
    .where('m.person_id', '=', personId)
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id')
    .limit(limit)
    .execute()
}

/** The caught mail and demonstration SMS that were sent to the person, newest first. */
export async function listMailboxOf(db: Db, personId: string, limit: number) {
  const mail = await db
    .selectFrom('notify.caught_mail as c')
    .innerJoin('notify.messages as m', 'm.id', 'c.message_id')
    .select(['c.id', 'c.envelope_to', 'c.subject', 'c.text_body', 'c.received_at'])
    .where('m.person_id', '=', personId)
    .orderBy('c.received_at', 'desc')
    .limit(limit)
    .execute()
  const sms = await db
    .selectFrom('notify.demo_sms as s')
    .innerJoin('notify.messages as m', 'm.id', 's.message_id')
    .select(['s.id', 's.to_number', 's.body', 's.sent_at'])
    .where('m.person_id', '=', personId)
    .orderBy('s.sent_at', 'desc')
    .limit(limit)
    .execute()
  return { mail, sms }
}
