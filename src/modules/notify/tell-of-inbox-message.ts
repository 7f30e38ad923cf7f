// A decision or a request has come to a person's inbox (the cases module wrote the event as a job
// in the same transaction). This handler turns it into a notification through the person's own
// channels. Its key is the job's id, so a job that runs twice (after a crash) notifies once.
import type { Job, JobHandler } from '../../platform/jobs/worker.ts'
import { checkPayload, InboxMessagePayload } from './notify-jobs.ts'
import type { NotificationRequest, SendResult } from './send-notification.ts'

export function createTellOfInboxMessage(deps: {
  sendNotification: (request: NotificationRequest) => Promise<SendResult>
}): JobHandler<InboxMessagePayload> {
  return {
    async run(job: Job<InboxMessagePayload>) {
      const message = checkPayload<InboxMessagePayload>(InboxMessagePayload, job.payload, job.name)
      await deps.sendNotification({
        personId: message.personId,
        template: message.kind === 'decision' ? 'case-decision' : 'case-request',
        data: { caseId: message.caseId },
        uniqueKey: `${job.name}:${job.id}`,
      })
    },
  }
}
