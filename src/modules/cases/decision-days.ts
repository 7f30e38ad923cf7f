// What the VAB use cases share about a decision's days: granting a day the rules left open, the
// totals and provisions of a decision, its outcome, and the days' outcomes in cases.care_days.
import type { Transaction } from 'kysely'
import type { CompiledRuleSet } from '../rules/index.ts'
import type { CaseOutcome, CasesTables } from './cases-tables.ts'
import type { DayDecision, VabDecision } from './submit-vab-application.ts'

export type ReasonsOf = (trace: never, outcome: string) => DayDecision['reasons']

/**
 * A person (caseworker) grants a day the rules left open: they have settled what the rules could
 * not – the other claim, the certificate – and the rules still decide everything else, amount
 * included. Undefined when the rules refuse the day even so.
 */
export function grantDay(
  vab: CompiledRuleSet,
  day: DayDecision,
  reasonsOf: ReasonsOf,
): DayDecision | undefined {
  const evaluation = vab.evaluateWithTrace(
    { ...day.inputs, otherCareSameDay: 0, hasCertificate: true, hasDoctorStatement: true },
    day.date,
  )
  if (evaluation.outputs.outcome !== 'approved') return undefined
  return {
    ...day,
    outcome: 'approved',
    amount: Number(evaluation.outputs.dailyAmount),
    daysCounted: Number(evaluation.outputs.daysCounted),
    reasons: reasonsOf(evaluation.trace as never, 'approved'),
    decidedBy: 'caseworker',
  }
}

export function refuseDay(day: DayDecision): DayDecision {
  return { ...day, outcome: 'rejected', amount: 0, daysCounted: 0, decidedBy: 'caseworker' }
}

export function outcomeOf(days: DayDecision[]): CaseOutcome {
  if (days.every((d) => d.outcome === 'approved')) return 'approved'
  if (days.every((d) => d.outcome === 'rejected')) return 'rejected'
  return 'partly-approved'
}

/** The decision with new days: totals and provisions follow the days. */
export function withDays<T extends VabDecision>(decision: T, days: DayDecision[]): T {
  return {
    ...decision,
    days,
    totalAmount: Math.round(days.reduce((s, d) => s + d.amount, 0) * 100) / 100,
    daysCounted: days.reduce((s, d) => s + d.daysCounted, 0),
    provisions: [...new Set(days.flatMap((d) => d.reasons.map((r) => r.legalReference)))],
  }
}

/** Each day's outcome where the year's count and other claims are read from. */
export async function storeDayOutcomes(
  tx: Transaction<CasesTables>,
  caseId: string,
  days: DayDecision[],
): Promise<void> {
  for (const d of days)
    await tx
      .updateTable('cases.care_days')
      .set({ outcome: d.outcome })
      .where('case_id', '=', caseId)
      .where('care_date', '=', d.date)
      .execute()
}

/** The caseworker's choice per day from a form: fields named day-YYYY-MM-DD. */
export function daysFromForm(form: Record<string, unknown>): Record<string, 'approved' | 'rejected'> {
  const days: Record<string, 'approved' | 'rejected'> = {}
  for (const [key, value] of Object.entries(form))
    if (key.startsWith('day-') && (value === 'approved' || value === 'rejected')) days[key.slice(4)] = value
  return days
}
