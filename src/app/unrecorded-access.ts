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
} as const satisfies Record<string, string>

export type UnrecordedReason = keyof typeof UNRECORDED_ACCESS
