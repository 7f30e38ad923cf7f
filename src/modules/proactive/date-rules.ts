// The date rules: what is due for whom on a given day. Pure: the day in, the rules that apply out,
// each saying which persons it concerns (as a question to the register or the cases), the day the
// rule names, what makes it happen once per person, and its reason in plain words.
import { Temporal } from '../../platform/clock.ts'

export const TRIGGER_KINDS = [
  'child-turns-12',
  'child-turns-16',
  'turns-16',
  'parental-benefit-days-at-4',
  'tax-return-opens',
  'case-may-request-decision',
] as const
export type TriggerKind = (typeof TRIGGER_KINDS)[number]

/** Parents are told this many days before a child's 4th birthday (SFB 12 kap. 12 §: at most 96 days remain after it). */
export const PARENTAL_BENEFIT_NOTICE_DAYS = 60
/** After six months a party may ask for an open case to be decided (förvaltningslagen 12 §). */
export const CASE_DECISION_REQUEST_MONTHS = 6

export type Audience =
  /** The parents with custody of the persons born on these days. */
  | { kind: 'custodians-of-born-on'; birthDates: string[] }
  /** The persons born on these days themselves. */
  | { kind: 'born-on'; birthDates: string[] }
  /** Everyone with an income. */
  | { kind: 'with-income' }
  /** Whoever's open case was submitted on these days. */
  | { kind: 'open-cases-submitted-on'; days: string[] }

export interface DueRule {
  kind: TriggerKind
  audience: Audience
  /** The day the rule names: the birthday, the day the e-service opens. */
  dueOn: string
  /** Once per person for: the person the trigger is about (the child, the case), or this value. */
  occasion: { subject: true } | { value: string }
  /** The reason's message key and its values; {name} is the subject's given name, filled per person. */
  reason: { key: string; params: Record<string, string> }
}

export interface TaxCalendar {
  taxReturnOpens(year: number): { date: Temporal.PlainDate }
  taxReturnDeadline(year: number): Temporal.PlainDate
}

/**
 * The days of birth of those who turn `years` on `date`. Someone born on 29 February has the
 * birthday on 28 February in common years, as Temporal and PostgreSQL count.
 */
export function birthDatesTurning(years: number, date: Temporal.PlainDate): string[] {
  return daysBefore(date, { years })
}

/** The days that, `duration` later, are `date` (several when months of different lengths meet). */
function daysBefore(date: Temporal.PlainDate, duration: { years?: number; months?: number }): string[] {
  const base = date.subtract(duration)
  const days: string[] = []
  for (let d = -3; d <= 3; d++) {
    const candidate = base.add({ days: d })
    if (candidate.add(duration).equals(date)) days.push(candidate.toString())
  }
  return days
}

const longDate = new Intl.DateTimeFormat('sv-SE', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
/** 2026-11-25 -> "25 november 2026". */
export function formatDate(iso: string): string {
  return longDate.format(new Date(`${iso}T00:00:00Z`))
}

/** Every rule that has something due on the day. */
export function rulesDueOn(date: Temporal.PlainDate, calendar: TaxCalendar): DueRule[] {
  const day = date.toString()
  const rules: DueRule[] = []
  const birthday = (kind: TriggerKind, audience: Audience, dueOn: string): DueRule => ({
    kind,
    audience,
    dueOn,
    occasion: kind === 'turns-16' ? { value: dueOn } : { subject: true },
    reason: { key: `proactive.reasons.${kind}`, params: { date: formatDate(dueOn) } },
  })
  const twelve = birthDatesTurning(12, date)
  rules.push(birthday('child-turns-12', { kind: 'custodians-of-born-on', birthDates: twelve }, day))
  const sixteen = birthDatesTurning(16, date)
  rules.push(birthday('child-turns-16', { kind: 'custodians-of-born-on', birthDates: sixteen }, day))
  rules.push(birthday('turns-16', { kind: 'born-on', birthDates: sixteen }, day))
  // Only children born in 2014 or later are under the rule of 96 days after the 4th birthday.
  const fourthBirthday = date.add({ days: PARENTAL_BENEFIT_NOTICE_DAYS })
  const four = birthDatesTurning(4, fourthBirthday).filter((b) => b >= '2014-01-01')
  rules.push(
    birthday(
      'parental-benefit-days-at-4',
      { kind: 'custodians-of-born-on', birthDates: four },
      fourthBirthday.toString(),
    ),
  )

  const opens = calendar.taxReturnOpens(date.year).date
  if (opens.equals(date))
    rules.push({
      kind: 'tax-return-opens',
      audience: { kind: 'with-income' },
      dueOn: day,
      occasion: { value: String(date.year) },
      reason: {
        key: 'proactive.reasons.tax-return-opens',
        params: {
          date: formatDate(day),
          deadline: formatDate(calendar.taxReturnDeadline(date.year).toString()),
          incomeYear: String(date.year - 1),
        },
      },
    })

  for (const submitted of daysBefore(date, { months: CASE_DECISION_REQUEST_MONTHS }))
    rules.push({
      kind: 'case-may-request-decision',
      audience: { kind: 'open-cases-submitted-on', days: [submitted] },
      dueOn: day,
      occasion: { subject: true },
      reason: {
        key: 'proactive.reasons.case-may-request-decision',
        params: { date: formatDate(day), submitted: formatDate(submitted) },
      },
    })
  return rules.filter(
    (r) =>
      !('birthDates' in r.audience && r.audience.birthDates.length === 0) &&
      !('days' in r.audience && r.audience.days.length === 0),
  )
}

export const parseDay = (value: string): Temporal.PlainDate | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' })
  } catch {
    return undefined
  }
}
