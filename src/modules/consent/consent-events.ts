// What the consent module tells the rest of Samla happened. Each event is a job written in the
// transaction of the change itself (an outbox); the composition root (app/jobs.ts) names the
// handler, so consent knows no one who listens.

/** A calendar is no longer shared with an agency: whatever was planned from it must do without it. */
export const CALENDAR_WITHDRAWN = 'consent.calendar-withdrawn'

export interface CalendarWithdrawn {
  personId: string
  agencyId: string
}
