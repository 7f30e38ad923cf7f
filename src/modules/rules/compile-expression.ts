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
const dayNumber = (isoDate: string) =>
  Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) /
  DAY_MS

function ageYears(birthDate: string, onDate: string): number {
  let years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4))
  if (onDate.slice(5) < birthDate.slice(5)) years--
  return years
}

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
  addDays: (date: string, days: number) =>
    new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10),
  oneOf: (value: unknown, ...options: unknown[]) => options.includes(value),
  /** The first day of the month after the date's month. */
  nextMonth: (date: string) => {
    const y = Number(date.slice(0, 4))
    const m = Number(date.slice(5, 7))
    return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
  },
  /** The day of the month in the date's month, moved back to a Friday when it is a weekend. */
  paymentDay: (date: string, day: number) => {
    let n = dayNumber(`${date.slice(0, 7)}-${String(day).padStart(2, '0')}`)
    const weekday = new Date(n * DAY_MS).getUTCDay()
    if (weekday === 6) n -= 1
    if (weekday === 0) n -= 2
    return new Date(n * DAY_MS).toISOString().slice(0, 10)
  },
} as const

export type FunctionName = keyof typeof FUNCTIONS

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
  /** JavaScript source; names are read from local variables of the same name prefixed `v_`. */
  source: string
  /** The names the expression reads. */
  names: Set<string>
}

/** Compiles one expression; `known` tells which names exist. */
export function compileExpression(
  text: string | number | boolean,
  known: (name: string) => boolean,
): CompiledExpression {
  if (typeof text !== 'string') return { source: JSON.stringify(text), names: new Set() }
  let ast: jsep.Expression
  try {
    ast = jsep(text)
  } catch (error) {
    throw new ExpressionError(`"${text}": ${(error as Error).message}`)
  }
  const names = new Set<string>()
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
        return `f.${callee.name}(${call.arguments.map(emit).join(', ')})`
      }
      default:
        throw new ExpressionError(`"${text}": ${node.type} is not allowed in a rule`)
    }
  }
  return { source: emit(ast), names }
}
