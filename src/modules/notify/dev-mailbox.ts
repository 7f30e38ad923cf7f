// The development mailbox: without SMTP_URL, Samla runs its own SMTP server on a free local port
// and sends its mail there, through the same SMTP path as in production. The server keeps what it
// receives in notify.caught_mail, and the portal shows each person the mail sent to them.
import type { Kysely } from 'kysely'
import PostalMime from 'postal-mime'
import { SMTPServer } from 'smtp-server'
import { withoutRecord } from '../../platform/access-scope.ts'
import type { NotifyTables } from './notify-tables.ts'

const MAX_BYTES = 1024 * 1024
const MESSAGE_ID = /^<?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/i

export interface DevMailbox {
  /** smtp://127.0.0.1:<port> */
  url: string
  close(): Promise<void>
}

export async function startDevMailbox(deps: {
  db: Kysely<NotifyTables>
  onError?: (error: unknown) => void
}): Promise<DevMailbox> {
  const server = new SMTPServer({
    banner: 'Samla development mailbox',
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_BYTES,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(
            Object.assign(new Error('Message too large for the development mailbox'), { responseCode: 552 }),
          )
          return
        }
        const raw = Buffer.concat(chunks)
        // The mailbox catching Samla's own delivery: part of it (see the reviewed list).
        withoutRecord('notification-delivery', () => keep(raw, session.envelope)).then(
          () => callback(),
          (error: unknown) => {
            deps.onError?.(error)
            callback(
              Object.assign(new Error('The development mailbox could not keep the message'), {
                responseCode: 451,
              }),
            )
          },
        )
      })
    },
  })

  async function keep(
    raw: Buffer,
    envelope: { mailFrom: false | { address: string }; rcptTo: Array<{ address: string }> },
  ): Promise<void> {
    const mail = await PostalMime.parse(raw)
    await deps.db
      .insertInto('notify.caught_mail')
      .values({
        message_id: MESSAGE_ID.exec(mail.messageId ?? '')?.[1]?.toLowerCase() ?? null,
        envelope_from: envelope.mailFrom ? envelope.mailFrom.address : '',
        envelope_to: envelope.rcptTo.map((r) => r.address),
        subject: mail.subject ?? '',
        text_body: mail.text ?? '',
        size_bytes: raw.length,
      })
      .execute()
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.on('error', (error) => deps.onError?.(error))
  const address = server.server.address()
  if (!address || typeof address === 'string') throw new Error('the development mailbox has no port')
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
