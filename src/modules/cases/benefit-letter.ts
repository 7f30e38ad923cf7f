// The decision on a benefit in words, once for the page and the PDF: the outcome, the amounts, the
// facts it rests on, the reasons with their provisions, how it was decided and how to appeal.
import type { Language, Translate } from '../../platform/i18n.ts'
import { formatDateLong, formatMoney } from '../../web/format.ts'
import type { BenefitDecision } from './submit-benefit-application.ts'

export interface LetterFormat {
  date(isoDate: string): string
  money(amount: number): string
  number(n: number): string
}

/** Dates, sums and numbers as the letter writes them in a language. */
export function letterFormat(lang: Language): LetterFormat {
  const numbers = new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 3 })
  return {
    date: (iso) => formatDateLong(iso, lang),
    money: (n) => formatMoney(n, lang),
    number: (n) => numbers.format(n),
  }
}

export interface BenefitLetter {
  headline: string
  amounts: Array<{ label: string; value: string }>
  facts: Array<{ label: string; value: string }>
  reasons: Array<{ text: string; legalReference: string }>
  note?: string
  provisions: string
  /** Only once decided. */
  howDecided?: string
  appeal: string
}

/** A fact as a person reads it: a date, a sum of money, yes or no, or the words of a choice. */
export function factValue(
  f: Pick<BenefitDecision['facts'][number], 'input' | 'type' | 'value'>,
  t: Translate,
  fmt: LetterFormat,
): string {
  if (f.value === '' || f.value === null || f.value === undefined) return '–'
  switch (f.type) {
    case 'date':
      return fmt.date(String(f.value))
    case 'money':
      return fmt.money(Number(f.value))
    case 'number':
      return fmt.number(Number(f.value))
    case 'boolean':
      return t(f.value === true ? 'rules.yes' : 'rules.no')
    case 'choice':
      return t(`benefit.choices.${f.input}.${String(f.value)}`)
    default:
      return String(f.value)
  }
}

export function benefitLetter(
  d: BenefitDecision,
  c: {
    status: string
    outcome: string | null
    decidedAt: string | null
    decidedBy: string | null
    agencyName: string
  },
  lang: Language,
  t: Translate,
  fmt: LetterFormat,
): BenefitLetter {
  const decided = c.status === 'decided'
  const byCaseworker = Boolean(c.decidedBy?.startsWith('caseworker:'))
  const refused = c.outcome === 'rejected' || d.rulesOutcome === 'rejected'
  const amounts: BenefitLetter['amounts'] = []
  if (decided && c.outcome === 'approved' && d.caseworker?.amount !== undefined)
    amounts.push({ label: t('benefit.grantedAmount'), value: fmt.money(d.caseworker.amount) })
  if (!refused)
    for (const a of d.amounts.filter((x) => x.amount > 0))
      amounts.push({
        label: a[lang],
        value:
          a.per === 'total'
            ? fmt.money(a.amount)
            : t(`benefit.per.${a.per}`, { amount: fmt.money(a.amount) }),
      })
  const date = c.decidedAt ? fmt.date(c.decidedAt.slice(0, 10)) : ''
  return {
    headline: decided && byCaseworker ? t(`benefit.decided.${c.outcome ?? 'rejected'}`) : d.summary[lang],
    amounts,
    facts: d.facts.map((f) => ({ label: f[lang], value: factValue(f, t, fmt) })),
    reasons: d.reasons.map((r) => ({ text: r[lang], legalReference: r.legalReference })),
    ...(d.caseworker ? { note: d.caseworker.note } : {}),
    provisions: d.provisions.join('; '),
    ...(decided
      ? {
          howDecided: byCaseworker
            ? t('handle.decidedBy', { agency: c.agencyName, date })
            : t('decision.automated', { ruleSet: d.ruleSet, version: d.version, date }),
        }
      : {}),
    appeal: t('benefit.appeal', { agency: c.agencyName }),
  }
}

/** The letter of a case whose decision is a benefit's, in the request's language; otherwise undefined. */
export function letterOfCase(
  c: {
    status: string
    outcome: string | null
    decidedAt: string | null
    decidedBy: string | null
    decision: unknown
  },
  agencyName: string,
  lang: Language,
  t: Translate,
): BenefitLetter | undefined {
  const d = c.decision as BenefitDecision | null
  if (d?.kind !== 'benefit') return undefined
  return benefitLetter(d, { ...c, agencyName }, lang, t, letterFormat(lang))
}
