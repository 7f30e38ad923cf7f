// Delivering one message: the job notify.deliver-message. It renders the template in the person's
// language and sends it through the message's channel, and records each attempt on the message
// (sent, or failed with the error). The job queue tries again with a growing wait; when the channel
// has failed for good, the message is dead and the next channel in the person's order gets a
// message of its own, in the same transaction: a notification is not lost because one channel is
// down. A message already sent is not sent again.
import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { JobsTables } from '../../platform/jobs/queue.ts'
import { type Job, JobFailedForGood, type JobHandler } from '../../platform/jobs/worker.ts'
import type { Mailer } from './mailer.ts'
import { checkPayload, DELIVER_MESSAGE, DeliverMessagePayload } from './notify-jobs.ts'
import * as store from './notify-store.ts'
import type { NotifyTables } from './notify-tables.ts'
import { NO_PREFERENCES } from './preferences.ts'
import { firstMessage, queueMessages } from './send-notification.ts'
import type { SmsGateway } from './sms-gateways.ts'
import type { Templates } from './templates.ts'
import type { PushSender } from './web-push.ts'

type Db = Kysely<NotifyTables & JobsTables>

const errorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000) || 'failed without a message'

export function createDeliverMessage(deps: {
  db: Db
  clock: Clock
  templates: Templates
  mailer: Mailer
  sms: SmsGateway
  push: PushSender
  /** How often and how patiently a channel is tried before the next one takes over. */
  retry?: { maxAttempts: number; backoff: { baseMs: number; maxMs: number } }
}): JobHandler<DeliverMessagePayload> {
  const { db, clock, templates } = deps

  async function send(
    message: Awaited<ReturnType<typeof store.findMessagesForDelivery>>[number],
    signal: AbortSignal,
  ): Promise<void> {
    const content = templates.render(message.template, message.language, message.data)
    if (!content) throw new JobFailedForGood(`no notification template "${message.template}"`)
    switch (message.channel) {
      case 'email':
        await deps.mailer.send(
          {
            messageId: message.id,
            to: message.recipient ?? '',
            subject: content.subject,
            text: content.text,
            html: content.html,
          },
          signal,
        )
        return
      case 'sms':
        await deps.sms.send({ messageId: message.id, to: message.recipient ?? '', text: content.sms })
        return
      case 'push': {
        const browsers = await store.listPushSubscriptions(db, message.person_id)
        if (browsers.length === 0) throw new JobFailedForGood('the person has no browser to push to')
        const payload = JSON.stringify({ ...content.push, tag: message.notification_id })
        let sent = 0
        const errors: string[] = []
        for (const b of browsers) {
          try {
            if ((await deps.push.send(b, payload, signal)) === 'sent') sent++
            else await store.forgetPushEndpoint(db, b.endpoint)
          } catch (error) {
            errors.push(errorText(error))
          }
        }
        if (sent === 0)
          throw errors.length > 0
            ? new Error(`no push service took the message: ${errors.join('; ')}`)
            : new JobFailedForGood('every browser of the person has unsubscribed')
        return
      }
    }
  }

  /**
   * Delivers a batch: one query reads the messages, each is sent on its own (side by side, over
   * the pooled connections), and one statement marks those sent. Each job's outcome is its own.
   */
  async function deliverMany(
    jobs: Array<Job<DeliverMessagePayload>>,
    signal: AbortSignal,
  ): Promise<unknown[]> {
    const ids = jobs.map((job) => {
      try {
        return checkPayload<DeliverMessagePayload>(DeliverMessagePayload, job.payload, DELIVER_MESSAGE)
          .messageId
      } catch (error) {
        return error as Error
      }
    })
    const messages = new Map(
      (
        await store.findMessagesForDelivery(
          db,
          ids.filter((id): id is string => typeof id === 'string'),
        )
      ).map((m) => [m.id, m]),
    )
    const sent: Array<{ id: string; attempts: number }> = []
    const outcomes = await Promise.all(
      jobs.map(async (job, i): Promise<unknown> => {
        const id = ids[i]
        if (typeof id !== 'string') return id
        const message = messages.get(id)
        if (!message) return new JobFailedForGood(`no message ${id}`)
        if (message.status === 'sent' || message.status === 'dead') return undefined
        try {
          await send(message, signal)
        } catch (error) {
          await store.markMessage(db, id, {
            status: 'failed',
            attempts: job.attempt,
            error: errorText(error),
          })
          return error ?? new Error('failed')
        }
        sent.push({ id, attempts: job.attempt })
        return undefined
      }),
    )
    await store.markMessagesSent(db, sent, new Date(clock.now().epochMilliseconds))
    return outcomes
  }

  return {
    maxAttempts: deps.retry?.maxAttempts ?? 5,
    backoff: deps.retry?.backoff ?? { baseMs: 30_000, maxMs: 30 * 60_000 },
    timeoutMs: 60_000,

    run: async (job: Job<DeliverMessagePayload>, signal: AbortSignal) => {
      const [error] = await deliverMany([job], signal)
      if (error !== undefined) throw error
    },

    runMany: deliverMany,

    async onDead(job: Job<DeliverMessagePayload>, lastError: string, jobsTx: Transaction<JobsTables>) {
      const tx = jobsTx.withTables<NotifyTables>()
      const messageId = (job.payload as Partial<DeliverMessagePayload>).messageId
      const message = messageId ? await store.findMessageForDelivery(tx, messageId) : undefined
      if (!message || message.status === 'sent') return
      await store.markMessage(tx, message.id, { status: 'dead', error: lastError })
      // Fall back to the next channel that the person can be reached through now.
      const [row] = await store.findPreferences(tx, [message.person_id])
      const preferences = row ? store.preferencesOf(row) : NO_PREFERENCES
      const rest = message.channels.slice(message.channels.indexOf(message.channel) + 1)
      const hasPush = rest.includes('push') && (await store.personsWithPush(tx, [message.person_id])).size > 0
      const next = firstMessage(
        { id: message.notification_id, personId: message.person_id, channels: rest },
        preferences,
        hasPush,
        clock.now(),
      )
      if (next) await queueMessages(tx, [next], new Date(clock.now().epochMilliseconds))
    },
  }
}
