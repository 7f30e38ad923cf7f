// Which fired triggers become an offer or a reminder for the person, and what it says: the agency
// it concerns, the deadline, and the reason in plain words (the event or date, and the rule behind
// it). Pure: the trigger in, the draft out.
import type { TaxCalendar, TriggerKind } from './date-rules.ts'

export interface OfferDraft {
  kind: 'offer' | 'reminder'
  /** The agency it concerns: a calendar shared with this agency may be used to time it. */
  agencyId: string
  /** The last day to act (YYYY-MM-DD). */
  deadline: string
  /** The reason's message key and its values; values that are dates are YYYY-MM-DD. */
  reason: { key: string; params: Record<string, string> }
}

export interface FiredTriggerFacts {
  kind: TriggerKind
  occasion: string
  /** The day the rule names (YYYY-MM-DD). */
  dueOn: string
}

/** The trigger kinds that give the person a reminder, and how. */
const RULES: Partial<Record<TriggerKind, (t: FiredTriggerFacts, calendar: TaxCalendar) => OfferDraft>> = {
  // Everyone with an income last year: the tax return opens, and must be in by the deadline.
  'tax-return-opens': (t, calendar) => {
    const year = Number(t.occasion)
    return {
      kind: 'reminder',
      agencyId: 'skatteverket',
      deadline: calendar.taxReturnDeadline(year).toString(),
      reason: {
        key: 'proactive.offers.reasons.tax-return-opens',
        params: {
          date: t.dueOn,
          incomeYear: String(year - 1),
          deadline: calendar.taxReturnDeadline(year).toString(),
        },
      },
    }
  },
}

export const OFFER_SOURCES = Object.keys(RULES) as TriggerKind[]

/** The offer or reminder a fired trigger gives, or undefined when it gives none. */
export function offerFor(trigger: FiredTriggerFacts, calendar: TaxCalendar): OfferDraft | undefined {
  return RULES[trigger.kind]?.(trigger, calendar)
}
