// What the cases module tells the rest of Samla happened. Each event is a job written in the
// transaction of the change itself (an outbox), so it is sent if and only if the change commits;
// the composition root (app/jobs.ts) names the handler, so cases knows no one who listens.

/** A decision or a request for completion has come to the person's inbox. */
export const INBOX_MESSAGE_POSTED = 'cases.inbox-message-posted'

export interface InboxMessagePosted {
  personId: string
  caseId: string
  kind: 'decision' | 'request'
}
