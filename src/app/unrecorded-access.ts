// The reviewed list of operations that touch tables holding personal data without recording a
// read, each with the reason it is right. Everything else reads through a recorded scope (or the
// person's own). Keep this list short: a new entry needs the same review as a change of the law.
export const UNRECORDED_ACCESS = {
  'register-import':
    'Loading the population register writes what the register says; no one reads it. Every person imported gets one register-import record when the import is done.',
  'access-policy':
    'Deciding whether a read may go on (a caseworker’s case at their agency, a guardian’s custody of a child, whom a personal identity number names): the answer is yes, no or an internal id, nothing read leaves, and the read that follows is recorded.',
  'count-persons':
    'Counting the persons Samla knows, to decide whether the demo register must be loaded; no one’s data.',
  'synthetic-population':
    'Writing a made-up population into a development or test database (samla simulate): no real person’s data is read or written.',
  'date-triggers':
    'Finding whose dates are due (a child turning 12, the tax return opening): PostgreSQL compares dates of birth, custody and income inside the database and only the matches are stored, as proactive triggers for the persons they concern, each with its reason; those are the persons’ record of what Samla told them and why.',
  session:
    'Finding the session of the one making a request by the hash of their cookie, and starting, renewing or ending it: the signed-in person’s own sign-in, used for them alone on each request; a record of every request would bury the reads that matter.',
  'notification-delivery':
    'Reaching a person through the channels they chose (their address, number or browser), writing the notification and its messages, and marking each attempt: Samla’s own delivery to that person, read for no one else; what was sent is the person’s own list of deliveries.',
  reminders:
    'Planning, re-planning and sending the reminders Samla keeps for a person (the tax return opening): the fired trigger, the reminder and its moment are the person’s own record of what Samla tells them and why; the person’s shared calendar is read only through the one door, recorded, and their preferences only to reach them.',
  'register-events':
    'Following an event the population register sent (a birth, a move) in what Samla keeps for those it concerns (their plans): what is read is the event itself, recorded for each of them as a register import when it arrived, and nothing read leaves.',
} as const satisfies Record<string, string>

export type UnrecordedReason = keyof typeof UNRECORDED_ACCESS
