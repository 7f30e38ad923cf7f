import type { Generated, JSONColumnType } from 'kysely'

export type Channel = 'email' | 'sms' | 'push'
export type MessageStatus = 'queued' | 'sent' | 'failed' | 'dead'

export type NotifyTables = {
  'notify.preferences': {
    person_id: string
    channels: Channel[]
    language: 'sv' | 'en'
    quiet_from: string | null
    quiet_until: string | null
    preferred_from: Generated<string | null>
    preferred_until: Generated<string | null>
    email: string | null
    mobile: string | null
    copy_to_representatives: Generated<boolean>
    updated_at: Date
  }
  'notify.push_subscriptions': {
    id: Generated<string>
    person_id: string
    endpoint: string
    p256dh: string
    auth: string
    created_at: Generated<Date>
  }
  'notify.notifications': {
    id: string
    person_id: string
    template: string
    data: JSONColumnType<Record<string, string>>
    channels: Channel[]
    language: 'sv' | 'en'
    unique_key: string | null
    created_at: Date
  }
  'notify.messages': {
    id: string
    notification_id: string
    person_id: string
    channel: Channel
    recipient: string | null
    status: Generated<MessageStatus>
    attempts: Generated<number>
    last_error: string | null
    scheduled_for: Date
    sent_at: Date | null
    created_at: Date
  }
  'notify.caught_mail': {
    id: Generated<string>
    message_id: string | null
    envelope_from: string
    envelope_to: string[]
    subject: string
    text_body: string
    size_bytes: number
    received_at: Generated<Date>
  }
  'notify.demo_sms': {
    id: Generated<string>
    message_id: string
    to_number: string
    body: string
    sent_at: Generated<Date>
  }
}
