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

/** An instant in Swedish time: "25 nov. 2026 08:15" / "25 Nov 2026, 08:15". */
export function formatDateTime(instant: string | Date, lang: Language): string {
  return new Intl.DateTimeFormat(locale(lang), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Stockholm',
  }).format(typeof instant === 'string' ? new Date(instant) : instant)
}

/** A period in Swedish time, the day written once when it is the same: "tis 1 dec. 2026 09:00–10:00". */
export function formatPeriod(start: string | Date, end: string | Date, lang: Language): string {
  return new Intl.DateTimeFormat(locale(lang), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Stockholm',
  }).formatRange(new Date(start), new Date(end))
}
