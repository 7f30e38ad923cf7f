import type { Language } from '../platform/i18n.ts'

const locale = (lang: Language) => (lang === 'sv' ? 'sv-SE' : 'en-GB')

/** 2027-03-12 -> "12 mars 2027" / "12 March 2027". */
export function formatDateLong(isoDate: string, lang: Language): string {
  const [y, m, d] = isoDate.split('-').map(Number)
  return new Intl.DateTimeFormat(locale(lang), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)))
}

/** 2027-03-12 -> "fre 12 mars 2027" / "Fri 12 March 2027". */
export function formatDate(isoDate: string, lang: Language): string {
  const [y, m, d] = isoDate.split('-').map(Number)
  return new Intl.DateTimeFormat(locale(lang), {
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)))
}

export function formatMoney(amount: number, lang: Language): string {
  return `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 }).format(amount)} kr`
}
