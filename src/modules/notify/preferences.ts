// What a person wants from Samla's notifications, checked: channels in order of preference, the
// language, quiet hours and the addresses the channels need. Pure: no I/O.
import type { Channel } from './notify-tables.ts'

export const CHANNELS = ['email', 'sms', 'push'] as const satisfies readonly Channel[]
export const NOTIFY_LANGUAGES = ['sv', 'en'] as const

export interface QuietHours {
  /** HH:MM, Swedish time. The quiet time may run past midnight (21:00 to 07:30). */
  from: string
  until: string
}

export interface Preferences {
  /** In order of preference: the first that works is used, the next if it fails for good. */
  channels: Channel[]
  language: 'sv' | 'en'
  /** No SMS and no push then: they wait until the quiet hours are over. E-mail goes at once. */
  quietHours: QuietHours | null
  /** When reminders planned ahead should come: HH:MM to HH:MM within one day, Swedish time. */
  preferredHours: QuietHours | null
  email: string | null
  /** E.164, such as +46701234567. */
  mobile: string | null
  /** A copy of each notification to those who act for the person on a valid power of attorney. */
  copyToRepresentatives: boolean
}

/** What a person who has chosen nothing gets: nothing outside Samla, until they choose. */
export const NO_PREFERENCES: Preferences = {
  channels: [],
  language: 'sv',
  quietHours: null,
  preferredHours: null,
  email: null,
  mobile: null,
  copyToRepresentatives: false,
}

export interface PreferencesInput {
  channels: string[]
  language: string
  quietHours?: { from: string; until: string } | null
  preferredHours?: { from: string; until: string } | null
  email?: string | null
  mobile?: string | null
  copyToRepresentatives?: boolean
}

export type PreferenceField =
  | 'channels'
  | 'language'
  | 'quietFrom'
  | 'quietUntil'
  | 'preferredFrom'
  | 'preferredUntil'
  | 'email'
  | 'mobile'
export type PreferenceProblem =
  | 'unknown-channel'
  | 'repeated-channel'
  | 'unknown-language'
  | 'invalid-time'
  | 'both-times-needed'
  | 'same-times'
  | 'until-before-from'
  | 'invalid-email'
  | 'email-needed'
  | 'invalid-mobile'
  | 'mobile-needed'

export type CheckedPreferences =
  | { kind: 'valid'; preferences: Preferences }
  | { kind: 'invalid'; problems: Array<{ field: PreferenceField; problem: PreferenceProblem }> }

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/
// Deliberately simple: one @, no spaces, a dot in the domain. The real test is that mail arrives.
const EMAIL = /^[^\s@"<>(),;:\\[\]]{1,64}@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\].]{2,}$/

export function normaliseEmail(value: string): string | undefined {
  const email = value.trim()
  return email.length <= 254 && EMAIL.test(email) ? email : undefined
}

/**
 * A mobile number as E.164. Swedish numbers may be written as 070-123 45 67, 0701234567,
 * +46 70 123 45 67 or 0046701234567; a Swedish mobile number starts with 070, 072, 073, 076 or 079.
 * Numbers from elsewhere are written with + and the country code.
 */
export function normaliseMobile(value: string): string | undefined {
  let digits = value.trim().replace(/[\s\-().]/g, '')
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`
  if (/^07\d{8}$/.test(digits)) digits = `+46${digits.slice(1)}`
  if (digits.startsWith('+46')) return /^\+467[02369]\d{7}$/.test(digits) ? digits : undefined
  return /^\+[1-9]\d{7,14}$/.test(digits) ? digits : undefined
}

export function checkPreferences(input: PreferencesInput): CheckedPreferences {
  const problems: Array<{ field: PreferenceField; problem: PreferenceProblem }> = []
  const channels: Channel[] = []
  for (const c of input.channels) {
    if (!(CHANNELS as readonly string[]).includes(c))
      problems.push({ field: 'channels', problem: 'unknown-channel' })
    else if (channels.includes(c as Channel))
      problems.push({ field: 'channels', problem: 'repeated-channel' })
    else channels.push(c as Channel)
  }
  const language = input.language === 'sv' || input.language === 'en' ? input.language : undefined
  if (!language) problems.push({ field: 'language', problem: 'unknown-language' })

  let quietHours: QuietHours | null = null
  const from = input.quietHours?.from?.trim() ?? ''
  const until = input.quietHours?.until?.trim() ?? ''
  if (from || until) {
    if (from && !TIME.test(from)) problems.push({ field: 'quietFrom', problem: 'invalid-time' })
    if (until && !TIME.test(until)) problems.push({ field: 'quietUntil', problem: 'invalid-time' })
    if (!from) problems.push({ field: 'quietFrom', problem: 'both-times-needed' })
    else if (!until) problems.push({ field: 'quietUntil', problem: 'both-times-needed' })
    else if (from === until) problems.push({ field: 'quietUntil', problem: 'same-times' })
    quietHours = { from, until }
  }

  let preferredHours: QuietHours | null = null
  const preferredFrom = input.preferredHours?.from?.trim() ?? ''
  const preferredUntil = input.preferredHours?.until?.trim() ?? ''
  if (preferredFrom || preferredUntil) {
    const before = problems.length
    if (preferredFrom && !TIME.test(preferredFrom))
      problems.push({ field: 'preferredFrom', problem: 'invalid-time' })
    if (preferredUntil && !TIME.test(preferredUntil))
      problems.push({ field: 'preferredUntil', problem: 'invalid-time' })
    if (!preferredFrom) problems.push({ field: 'preferredFrom', problem: 'both-times-needed' })
    else if (!preferredUntil) problems.push({ field: 'preferredUntil', problem: 'both-times-needed' })
    // Within one day: the hours run from the first time to the second.
    else if (problems.length === before && preferredFrom >= preferredUntil)
      problems.push({ field: 'preferredUntil', problem: 'until-before-from' })
    preferredHours = { from: preferredFrom, until: preferredUntil }
  }

  let email: string | null = null
  if (input.email?.trim()) {
    email = normaliseEmail(input.email) ?? null
    if (!email) problems.push({ field: 'email', problem: 'invalid-email' })
  } else if (channels.includes('email')) problems.push({ field: 'email', problem: 'email-needed' })

  let mobile: string | null = null
  if (input.mobile?.trim()) {
    mobile = normaliseMobile(input.mobile) ?? null
    if (!mobile) problems.push({ field: 'mobile', problem: 'invalid-mobile' })
  } else if (channels.includes('sms')) problems.push({ field: 'mobile', problem: 'mobile-needed' })

  if (problems.length > 0 || !language) return { kind: 'invalid', problems }
  return {
    kind: 'valid',
    preferences: {
      channels,
      language,
      quietHours,
      preferredHours,
      email,
      mobile,
      copyToRepresentatives: input.copyToRepresentatives === true,
    },
  }
}
