// SMS through a gateway. A real operator's connector implements SmsGateway; Samla brings a
// demonstration gateway that keeps the messages in a table (shown in the development mailbox) and
// a failing one that refuses every message, so that retries and fallback can be seen locally.
import type { Kysely } from 'kysely'
import type { NotifyTables } from './notify-tables.ts'

export interface Sms {
  /** The notification message's id, for the gateway's own reference. */
  messageId: string
  /** E.164, such as +46701234567. */
  to: string
  text: string
}

export interface SmsGateway {
  send(sms: Sms): Promise<void>
}

export const SMS_GATEWAYS = ['demo', 'failing-demo'] as const
export type SmsGatewayName = (typeof SMS_GATEWAYS)[number]

export function createSmsGateway(name: SmsGatewayName, deps: { db: Kysely<NotifyTables> }): SmsGateway {
  switch (name) {
    case 'demo':
      return {
        async send(sms) {
          await deps.db
            .insertInto('notify.demo_sms')
            .values({ message_id: sms.messageId, to_number: sms.to, body: sms.text })
            .execute()
        },
      }
    case 'failing-demo':
      return {
        async send() {
          throw new Error('the failing demonstration gateway refuses every message')
        },
      }
  }
}
