// E-mail over SMTP with nodemailer's pooled transport: a few connections kept open and reused for
// message after message. The SMTP server is a real relay (SMTP_URL) or Samla's own development
// mailbox (dev-mailbox.ts).
import type { Transporter } from 'nodemailer'
import { JobFailedForGood } from '../../platform/jobs/worker.ts'

export interface OutgoingMail {
  /** The notification message's id: the Message-ID is made from it. */
  messageId: string
  to: string
  subject: string
  text: string
  html: string
}

export interface Mailer {
  send(mail: OutgoingMail, signal?: AbortSignal): Promise<void>
  close(): void
}

export function createSmtpMailer(options: {
  url: string
  from: string
  maxConnections: number
  /** The domain of the Message-ID (Samla's host name). */
  domain: string
}): Mailer {
  // Loaded on first use: a web process that only queues mail need not load nodemailer at start.
  let transport: Promise<Transporter> | undefined
  const open = () => {
    transport ??= import('nodemailer').then((nodemailer) =>
      nodemailer.createTransport({
        url: options.url,
        pool: true,
        maxConnections: options.maxConnections,
        maxMessages: Number.POSITIVE_INFINITY,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    )
    return transport
  }

  let mailComposer: Promise<typeof import('nodemailer/lib/mail-composer').default> | undefined
  const composer = () => {
    mailComposer ??= import('nodemailer/lib/mail-composer').then((m) => m.default)
    return mailComposer
  }

  return {
    async send(mail, signal) {
      const [smtp, MailComposer] = await Promise.all([open(), composer()])
      // The message is built in memory first and handed over whole: streamed, it would reach the
      // socket in many small writes.
      const message = new MailComposer({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<${mail.messageId}@${options.domain}>`,
      }).compile()
      const raw = await message.build()
      try {
        await smtp.sendMail({ envelope: message.getEnvelope(), raw, ...(signal ? { signal } : {}) })
      } catch (error) {
        // 5xx is the server's final word (no such mailbox, refused for good): trying the same
        // address again cannot help. 4xx and lost connections may pass later.
        const code = (error as { responseCode?: number }).responseCode
        if (typeof code === 'number' && code >= 500 && code < 600)
          throw new JobFailedForGood(`the mail server refused the message: ${(error as Error).message}`)
        throw error
      }
    },
    close() {
      void transport?.then((t) => t.close())
    },
  }
}
