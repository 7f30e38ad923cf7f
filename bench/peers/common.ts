// What the peers of the rules benchmark share: the shape of a case and of an answer, the dated
// parameters read from the rule files, and the date arithmetic the JavaScript peers need (dates
// are YYYY-MM-DD text, as in the rule files).
import type { RuleSetFile } from '../../src/modules/rules/index.ts'

export type VabInputs = {
  childBirthDate: string
  careDate: string
  dayOfCarePeriod: number
  careFraction: number
  reason: 'child-ill' | 'caregiver-ill' | 'medical-visit' | 'care-meeting'
  seriouslyIll: boolean
  inHospitalOrChildcare: boolean
  hasCertificate: boolean
  hasDoctorStatement: boolean
  hasAdvanceDecision: boolean
  daysUsedThisYear: number
  otherCareSameDay: number
  applicant: 'parent' | 'equated-parent' | 'other-insured'
  rightTransferred: boolean
  annualSgi: number
  employment: 'employee' | 'self-employed' | 'unemployed'
  applicationDate: string
}

export type BarnbidragInputs = { children: number; jointCustody: boolean; birthDate: string }

export type VabResult = { outcome: string; dailyAmount: number }
export type BarnbidragResult = { total: number; perGuardian: number }

/** One peer: the same two decisions as the rule sets vab and barnbidrag. */
export interface Peer {
  name: string
  vab(inputs: VabInputs, date: string): VabResult | Promise<VabResult>
  barnbidrag(inputs: BarnbidragInputs, date: string): BarnbidragResult | Promise<BarnbidragResult>
}

/** The parameters of vab/rules.yaml, by name. */
export type VabParameters = {
  prisbasbelopp: number
  sgiCapPbb: number
  sgiFactor: number
  compensationRate: number
  employeeDayDivisor: number
  unemployedDayDivisor: number
  maxAgeYears: number
  maxAgeWithDoctorStatement: number
  seriouslyIllMaxAge: number
  minAgeDays: number
  daysPerChildYear: number
  daysAnyReason: number
  certificateFromDay: number
  applicationDeadlineDays: number
  careMeetingsFrom: string
}

/** The parameters of barnbidrag/rules.yaml, by name. */
export type BarnbidragParameters = {
  allowancePerChild: number
  supplementByChildren: Record<string, number>
  supplementPerFurtherChild: number
  paymentDayOfMonth: number
}

const digits = (text: string, from: number, to: number) => {
  let n = 0
  for (let i = from; i < to; i++) n = n * 10 + text.charCodeAt(i) - 48
  return n
}

const yyyymmdd = (date: string) =>
  digits(date, 0, 4) * 10_000 + digits(date, 5, 7) * 100 + digits(date, 8, 10)

/**
 * The values of a rule file's parameters in force on a date (for each, the value with the latest
 * `from` that is not after the date), as one plain object. The values change only on those
 * `from` dates, so there is one object per period between two of them, and a date finds its
 * period by comparing its digits with theirs.
 */
export function parametersOn<T>(file: RuleSetFile): (date: string) => T {
  const parameters = Object.entries(file.parameters)
  const starts = [...new Set(parameters.flatMap(([, p]) => p.values.map((v) => v.from)))].sort()
  const periods = starts.map((start) => {
    const values: Record<string, unknown> = {}
    for (const [name, parameter] of parameters) {
      const inForce = parameter.values
        .filter((v) => v.from <= start)
        .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
        .at(-1)
      if (!inForce) return undefined
      values[name] = inForce.value
    }
    return values as T
  })
  const startDigits = starts.map(yyyymmdd)
  return (date) => {
    const n = yyyymmdd(date)
    let i = startDigits.length - 1
    while (i >= 0 && (startDigits[i] as number) > n) i--
    const values = periods[i]
    if (!values) throw new Error(`${file.id}: not every parameter has a value on ${date}`)
    return values
  }
}

/**
 * Days since 1970-01-01, counted with integers (H. Hinnant's days_from_civil) as fast code would,
 * rather than through Date.UTC, so that the hand-written peer is no slower than it needs to be.
 */
export function dayNumber(date: string): number {
  const month = digits(date, 5, 7)
  const y = month <= 2 ? digits(date, 0, 4) - 1 : digits(date, 0, 4)
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + digits(date, 8, 10) - 1
  return (
    era * 146_097 +
    yearOfEra * 365 +
    Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100) +
    dayOfYear -
    719_468
  )
}

export const addDays = (date: string, days: number): string =>
  new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10)

/** Whole years from a date of birth; the birthday counts from its own month and day. */
export function ageYears(birthDate: string, onDate: string): number {
  const birth = yyyymmdd(birthDate)
  const on = yyyymmdd(onDate)
  return Math.floor(on / 10_000) - Math.floor(birth / 10_000) - (on % 10_000 < birth % 10_000 ? 1 : 0)
}

/** Rounds half away from zero to whole öre (the nudge keeps 0.005 from becoming 0.00499…). */
export const roundToOre = (x: number): number => (Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9)) / 100
