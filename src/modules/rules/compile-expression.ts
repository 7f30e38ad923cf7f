// Expressions in rule files ("sgi * rate / divisor", "childAge < 12 and not seriouslyIll") are
// parsed by jsep and compiled to JavaScript source. Only a small, safe language is accepted:
// numbers, text, true/false, arithmetic, comparisons, and/or/not, a ? b : c, and the functions
// in FUNCTIONS. Names are the rule set's inputs, parameters, rules and `date`.
import jsep from 'jsep'

jsep.addBinaryOp('and', 2)
jsep.addBinaryOp('or', 1)
jsep.addUnaryOp('not')
jsep.removeBinaryOp('===')
jsep.removeBinaryOp('!==')
jsep.removeBinaryOp('|')
jsep.removeBinaryOp('&')
jsep.removeBinaryOp('^')
jsep.removeBinaryOp('<<')
jsep.removeBinaryOp('>>')
jsep.removeBinaryOp('>>>')
jsep.removeUnaryOp('~')

const DAY_MS = 86_400_000

// Rules read dates on every evaluation, so the date functions below read YYYY-MM-DD text digit by
// digit and count days with integer arithmetic (H. Hinnant's civil-date algorithms) instead of
// going through Date. Any other text takes the slow path through Date, as before, so that the
// results stay the same for every input.

/** y * 10000 + m * 100 + d for text of the form YYYY-MM-DD, otherwise -1. */
export function ymd(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return -1
  const y1 = text.charCodeAt(0) - 48
  const y2 = text.charCodeAt(1) - 48
  const y3 = text.charCodeAt(2) - 48
  const y4 = text.charCodeAt(3) - 48
  const m1 = text.charCodeAt(5) - 48
  const m2 = text.charCodeAt(6) - 48
  const d1 = text.charCodeAt(8) - 48
  const d2 = text.charCodeAt(9) - 48
  // >>> 0 turns a character below '0' into a large number, so one test per digit suffices.
  if (
    y1 >>> 0 > 9 ||
    y2 >>> 0 > 9 ||
    y3 >>> 0 > 9 ||
    y4 >>> 0 > 9 ||
    m1 >>> 0 > 9 ||
    m2 >>> 0 > 9 ||
    d1 >>> 0 > 9 ||
    d2 >>> 0 > 9
  )
    return -1
  return (y1 * 1000 + y2 * 100 + y3 * 10 + y4) * 10_000 + (m1 * 10 + m2) * 100 + d1 * 10 + d2
}

/**
 * Days since 1970-01-01 of a date in the proleptic Gregorian calendar, for the years 100–9999 and
 * months 1–12 (the day may run past the month). `| 0` divides whole numbers, all positive here.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = (y / 400) | 0
  const yearOfEra = y - era * 400
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

const slowDayNumber = (isoDate: string) =>
  Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) /
  DAY_MS

/** Days since 1970-01-01 of a date, given its text and ymd(text). */
function dayOf(isoDate: string, n: number): number {
  const month = ((n / 100) | 0) % 100
  // Date.UTC reads the years 0–99 as 1900–1999, and other months by its own rules.
  if (n < 1_000_000 || month < 1 || month > 12) return slowDayNumber(isoDate)
  return daysFromCivil((n / 10_000) | 0, month, n % 100)
}

const dayNumber = (isoDate: string) => dayOf(isoDate, ymd(isoDate))

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`)
const FIRST_4_DIGIT_DAY = daysFromCivil(1000, 1, 1)
const LAST_4_DIGIT_DAY = daysFromCivil(9999, 12, 31)

/** The texts of the day numbers 0 to 65535 (1970–2149) made so far: the same dates come back. */
let isoTexts: (string | undefined)[] | undefined

/** The YYYY-MM-DD text of a day number, as Date#toISOString gives it. */
function isoDate(days: number): string {
  if (!Number.isInteger(days) || days < FIRST_4_DIGIT_DAY || days > LAST_4_DIGIT_DAY)
    return new Date(days * DAY_MS).toISOString().slice(0, 10)
  const cacheable = days >= 0 && days < 65_536
  if (cacheable) {
    isoTexts ??= new Array(65_536).fill(undefined)
    const text = isoTexts[days]
    if (text !== undefined) return text
  }
  const z = days + 719_468
  const era = (z / 146_097) | 0
  const dayOfEra = z - era * 146_097
  const yearOfEra =
    ((dayOfEra - ((dayOfEra / 1460) | 0) + ((dayOfEra / 36_524) | 0) - ((dayOfEra / 146_096) | 0)) / 365) | 0
  const dayOfYear = dayOfEra - (365 * yearOfEra + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0))
  const mp = ((5 * dayOfYear + 2) / 153) | 0
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  const text = `${year}-${pad2(month)}-${pad2(dayOfYear - (((153 * mp + 2) / 5) | 0) + 1)}`
  if (cacheable && isoTexts) isoTexts[days] = text
  return text
}

/** Whole years from a date of birth to a date, given both texts and ymd() of each. */
function ageYearsOf(birthDate: string, birth: number, onDate: string, on: number): number {
  if (birth >= 0 && on >= 0)
    return ((on / 10_000) | 0) - ((birth / 10_000) | 0) - (on % 10_000 < birth % 10_000 ? 1 : 0)
  let years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4))
  if (onDate.slice(5) < birthDate.slice(5)) years--
  return years
}

const ageYears = (birthDate: string, onDate: string) =>
  ageYearsOf(birthDate, ymd(birthDate), onDate, ymd(onDate))

/** Rounds half away from zero, to the given number of decimals (kronor and öre). */
function round(x: number, decimals = 0): number {
  const f = 10 ** decimals
  return (Math.sign(x) * Math.round(Math.abs(x) * f + 1e-9)) / f
}

/** The functions a rule may call. Dates are YYYY-MM-DD text, which also compares in order. */
export const FUNCTIONS = {
  min: Math.min,
  max: Math.max,
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  round,
  /** A value from a table parameter, or the fallback when the key is not in it. */
  lookup: (table: Record<string, number>, key: number | string, fallback: number) =>
    table[String(key)] ?? fallback,
  /** Whole years from a date of birth to a date. */
  ageYears,
  /** Days from a date of birth to a date (the day of birth is day 0). */
  ageDays: (birthDate: string, onDate: string) => dayNumber(onDate) - dayNumber(birthDate),
  /** Calendar days from one date to another. */
  daysBetween: (from: string, to: string) => dayNumber(to) - dayNumber(from),
  addDays: (date: string, days: number) => isoDate(dayNumber(date) + days),
  oneOf: (value: unknown, ...options: unknown[]) => options.includes(value),
  /** The first day of the month after the date's month. */
  nextMonth: (date: string) => {
    const n = ymd(date)
    if (n >= 10_000_000) {
      const y = (n / 10_000) | 0
      const m = ((n / 100) | 0) % 100
      if (m >= 1 && m <= 11) return isoDate(daysFromCivil(y, m + 1, 1))
    }
    const y = Number(date.slice(0, 4))
    const m = Number(date.slice(5, 7))
    return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
  },
  /** The day of the month in the date's month, moved back to a Friday when it is a weekend. */
  paymentDay: (date: string, day: number) => {
    const n = ymd(date)
    const month = ((n / 100) | 0) % 100
    let days =
      n >= 1_000_000 && month >= 1 && month <= 12 && Number.isInteger(day) && day >= 0 && day <= 99
        ? daysFromCivil((n / 10_000) | 0, month, day)
        : dayNumber(`${date.slice(0, 7)}-${String(day).padStart(2, '0')}`)
    // 1970-01-01 was a Thursday (4); Math.floor keeps days before it right.
    const weekday = Number.isInteger(days)
      ? days + 4 - 7 * Math.floor((days + 4) / 7)
      : new Date(days * DAY_MS).getUTCDay()
    if (weekday === 6) days -= 1
    if (weekday === 0) days -= 2
    return isoDate(days)
  },
} as const

export type FunctionName = keyof typeof FUNCTIONS

/**
 * What compiled rules are given as `f`: the functions a rule may call, and the pieces that let a
 * date read by name be parsed only once in an evaluation (see dateCall below).
 */
export const RUNTIME = { ...FUNCTIONS, ymd, dayOf, ageYearsOf, isoDate } as const

export class ExpressionError extends Error {}

const BINARY: Record<string, string> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '==': '===',
  '!=': '!==',
  and: '&&',
  or: '||',
  '&&': '&&',
  '||': '||',
}

export interface CompiledExpression {
  /**
   * JavaScript source; names are read from local variables of the same name prefixed `v_`, and
   * the dates in `dates` are kept parsed in `y_` (ymd) and `d_` (day number) variables, which the
   * function around it declares with `let`.
   */
  source: string
  /** The names the expression reads. */
  names: Set<string>
  /** The names read as dates by date functions. */
  dates: Set<string>
}

/**
 * A call of a date function whose dates are all names: each date is parsed once per evaluation
 * however many rules read it (the child's age in years and in days, the first day of care…).
 * Otherwise undefined, and the function is called as it is.
 */
function dateCall(
  name: string,
  args: jsep.Expression[],
  emit: (n: jsep.Expression) => string,
  dates: Set<string>,
) {
  const [a, b] = args
  const isName = (n: jsep.Expression | undefined): n is jsep.Identifier => n?.type === 'Identifier'
  const ymdOf = (n: jsep.Identifier) => {
    const v = emit(n)
    dates.add(n.name)
    return `(y_${n.name} ??= f.ymd(${v}))`
  }
  const dayOf = (n: jsep.Identifier) => `(d_${n.name} ??= f.dayOf(${emit(n)}, ${ymdOf(n)}))`
  if (args.length !== 2 || !isName(a)) return undefined
  if (name === 'addDays') return `f.isoDate(${dayOf(a)} + ${emit(b as jsep.Expression)})`
  if (!isName(b)) return undefined
  if (name === 'ageYears') return `f.ageYearsOf(${emit(a)}, ${ymdOf(a)}, ${emit(b)}, ${ymdOf(b)})`
  if (name === 'ageDays' || name === 'daysBetween') return `(${dayOf(b)} - ${dayOf(a)})`
  return undefined
}

/** Compiles one expression; `known` tells which names exist. */
export function compileExpression(
  text: string | number | boolean,
  known: (name: string) => boolean,
): CompiledExpression {
  if (typeof text !== 'string') return { source: JSON.stringify(text), names: new Set(), dates: new Set() }
  let ast: jsep.Expression
  try {
    ast = jsep(text)
  } catch (error) {
    throw new ExpressionError(`"${text}": ${(error as Error).message}`)
  }
  const names = new Set<string>()
  const dates = new Set<string>()
  const emit = (node: jsep.Expression): string => {
    switch (node.type) {
      case 'Literal': {
        const value = (node as jsep.Literal).value
        if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean')
          throw new ExpressionError(`"${text}": only numbers, text and true/false are allowed`)
        return JSON.stringify(value)
      }
      case 'Identifier': {
        const name = (node as jsep.Identifier).name
        if (!known(name)) throw new ExpressionError(`"${text}": unknown name ${name}`)
        names.add(name)
        return `v_${name}`
      }
      case 'BinaryExpression': {
        const b = node as jsep.BinaryExpression
        const op = BINARY[b.operator]
        if (!op) throw new ExpressionError(`"${text}": the operator ${b.operator} is not allowed`)
        return `(${emit(b.left)} ${op} ${emit(b.right)})`
      }
      case 'UnaryExpression': {
        const u = node as jsep.UnaryExpression
        if (u.operator === 'not' || u.operator === '!') return `(!${emit(u.argument)})`
        if (u.operator === '-') return `(-${emit(u.argument)})`
        throw new ExpressionError(`"${text}": the operator ${u.operator} is not allowed`)
      }
      case 'ConditionalExpression': {
        const c = node as jsep.ConditionalExpression
        return `(${emit(c.test)} ? ${emit(c.consequent)} : ${emit(c.alternate)})`
      }
      case 'CallExpression': {
        const call = node as jsep.CallExpression
        const callee = call.callee as jsep.Identifier
        if (callee.type !== 'Identifier' || !Object.hasOwn(FUNCTIONS, callee.name))
          throw new ExpressionError(
            `"${text}": unknown function ${callee.name ?? '?'}; allowed: ${Object.keys(FUNCTIONS).join(', ')}`,
          )
        const withDates = dateCall(callee.name, call.arguments, emit, dates)
        if (withDates) return withDates
        const args = call.arguments.map(emit)
        // oneOf(x, 'a', 'b') with literal options becomes x === 'a' || x === 'b' when x is a name
        // or a literal: the same answer (no option is NaN) without an array for every call.
        const [value, ...options] = call.arguments
        if (
          callee.name === 'oneOf' &&
          value &&
          (value.type === 'Identifier' || value.type === 'Literal') &&
          options.length > 0 &&
          options.every((o) => o.type === 'Literal')
        )
          return `(${args
            .slice(1)
            .map((o) => `${args[0]} === ${o}`)
            .join(' || ')})`
        return `f.${callee.name}(${args.join(', ')})`
      }
      default:
        throw new ExpressionError(`"${text}": ${node.type} is not allowed in a rule`)
    }
  }
  return { source: emit(ast), names, dates }
}
