// A rule set is compiled once, when it is loaded, into one plain JavaScript function: the rules in
// dependency order as straight-line code. A second function does the same and also records a
// trace: every rule that applied, the row of a decision table that decided, the values it read,
// the dated parameters in force, and the legal reference.
import { compileExpression, ExpressionError, RUNTIME, ymd } from './compile-expression.ts'
import type { DatedValue, Parameter, Rule, RuleSetFile } from './rule-set-schema.ts'

export type Value = number | string | boolean | Record<string, number>
export type Inputs = Record<string, number | string | boolean>
export type Outputs = Record<string, Value>

export interface ParameterInForce extends DatedValue {
  name: string
  legalReference: string
}

export interface TraceEntry {
  rule: string
  value: Value
  /** For a decision table: the row that decided (0-based), or -1 for "otherwise". */
  row?: number
  legalReference: string
  /** The inputs, parameters and rules the rule read, with their values. */
  uses: Record<string, Value>
  parameters: ParameterInForce[]
}

export interface Evaluation {
  ruleSet: string
  version: string
  date: string
  outputs: Outputs
}

export interface TracedEvaluation extends Evaluation {
  trace: TraceEntry[]
}

export class RuleSetError extends Error {}

export interface CompiledRuleSet {
  id: string
  version: string
  file: RuleSetFile
  evaluate(inputs: Inputs, date: string): Evaluation
  evaluateWithTrace(inputs: Inputs, date: string): TracedEvaluation
  /** The parameters in force on a date. */
  parametersOn(date: string): Record<string, ParameterInForce>
  /** The explanation of one trace entry in words, with its values filled in. */
  explain(entry: TraceEntry, lang: 'sv' | 'en'): string
}

function order(rules: Rule[], dependsOn: Map<string, Set<string>>): Rule[] {
  const byId = new Map(rules.map((r) => [r.id, r]))
  const done = new Set<string>()
  const visiting = new Set<string>()
  const ordered: Rule[] = []
  const visit = (id: string, path: string[]) => {
    if (done.has(id)) return
    if (visiting.has(id))
      throw new RuleSetError(`the rules depend on each other in a circle: ${[...path, id].join(' -> ')}`)
    visiting.add(id)
    for (const dep of dependsOn.get(id) ?? []) if (byId.has(dep)) visit(dep, [...path, id])
    visiting.delete(id)
    done.add(id)
    ordered.push(byId.get(id) as Rule)
  }
  for (const r of rules) visit(r.id, [])
  return ordered
}

function valueOn(parameter: Parameter, date: string): DatedValue | undefined {
  let found: DatedValue | undefined
  for (const v of parameter.values) if (v.from <= date && (!found || v.from >= found.from)) found = v
  return found
}

// Made once: building an Intl.NumberFormat costs far more than using one.
const NUMBERS = {
  sv: new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
}

function formatValue(value: unknown, lang: 'sv' | 'en'): string {
  if (typeof value === 'number') return NUMBERS[lang].format(value)
  if (typeof value === 'boolean') return lang === 'sv' ? (value ? 'ja' : 'nej') : value ? 'yes' : 'no'
  return String(value)
}

export function compileRuleSet(file: RuleSetFile): CompiledRuleSet {
  const inputNames = Object.keys(file.inputs)
  const parameterNames = Object.keys(file.parameters)
  const ruleNames = file.rules.map((r) => r.id)
  const all = ['date', ...inputNames, ...parameterNames, ...ruleNames]
  const duplicate = all.find((n, i) => all.indexOf(n) !== i)
  if (duplicate)
    throw new RuleSetError(
      `${file.id}: the name ${duplicate} is used twice (inputs, parameters and rules share one list)`,
    )
  const known = new Set(all)
  const isKnown = (n: string) => known.has(n)

  const compiled = new Map<string, { body: string; traced: string; names: Set<string> }>()
  const dependsOn = new Map<string, Set<string>>()
  const dates = new Set<string>()
  for (const rule of file.rules) {
    try {
      const names = new Set<string>()
      const use = (text: string | number | boolean) => {
        const c = compileExpression(text, isKnown)
        for (const n of c.names) names.add(n)
        for (const n of c.dates) dates.add(n)
        return c.source
      }
      let body: string
      let traced: string
      const target = `v_${rule.id}`
      if (rule.value !== undefined && !rule.decision) {
        body = `const ${target} = ${use(rule.value)};`
        traced = body
      } else if (rule.decision && rule.value === undefined) {
        const rows = rule.decision.map((row) => ({ when: use(row.when), gives: use(row.value) }))
        const otherwise = rule.otherwise ? use(rule.otherwise.value) : undefined
        const chain = (withRow: boolean) =>
          rows
            .map(
              (r, i) =>
                `${i === 0 ? '' : 'else '}if (${r.when}) { ${target} = ${r.gives};${withRow ? ` row_${rule.id} = ${i};` : ''} }`,
            )
            .join(' ') +
          (otherwise !== undefined
            ? ` else { ${target} = ${otherwise};${withRow ? ` row_${rule.id} = -1;` : ''} }`
            : ` else { throw new Error(${JSON.stringify(`${file.id}: no row of ${rule.id} applies`)}); }`)
        body = `let ${target}; ${chain(false)}`
        traced = `let ${target}; let row_${rule.id}; ${chain(true)}`
      } else {
        throw new RuleSetError(`rule ${rule.id} needs either a value or a decision table`)
      }
      // The values an explanation shows are read too, so that the trace can fill them in.
      const texts = [
        rule.explanation,
        ...(rule.decision ?? []).map((d) => d.explanation),
        rule.otherwise?.explanation,
      ]
      for (const text of texts)
        for (const [, name] of `${text?.sv ?? ''} ${text?.en ?? ''}`.matchAll(/\{(\w+)\}/g))
          if (name && name !== 'value' && name !== rule.id && known.has(name)) names.add(name)
      compiled.set(rule.id, { body, traced, names })
      dependsOn.set(rule.id, names)
    } catch (error) {
      if (error instanceof ExpressionError || error instanceof RuleSetError)
        throw new RuleSetError(`${file.id}, rule ${rule.id}: ${error.message}`)
      throw error
    }
  }
  const ordered = order(file.rules, dependsOn)
  const outputs = file.rules.filter((r) => r.output).map((r) => r.id)
  if (outputs.length === 0) throw new RuleSetError(`${file.id}: no rule is marked as output`)

  const prologue = [
    'const v_date = date;',
    ...inputNames.map((n) => `const v_${n} = input[${JSON.stringify(n)}];`),
    ...parameterNames.map((n) => `const v_${n} = p[${JSON.stringify(n)}].value;`),
    ...[...dates].map((n) => `let y_${n}, d_${n};`),
  ].join('\n')
  const result = `{ ${outputs.map((o) => `${JSON.stringify(o)}: v_${o}`).join(', ')} }`
  const plainSource = `${prologue}\n${ordered.map((r) => compiled.get(r.id)?.body).join('\n')}\nreturn ${result};`
  const tracedSource = `${prologue}\n${ordered
    .map((r) => {
      const c = compiled.get(r.id)
      if (!c) return ''
      const uses = [...c.names].map((n) => `${JSON.stringify(n)}: v_${n}`).join(', ')
      const params = [...c.names]
        .filter((n) => Object.hasOwn(file.parameters, n))
        .map((n) => `p[${JSON.stringify(n)}]`)
      const row = r.decision ? `, row: row_${r.id}` : ''
      // A row of a decision table may name its own provision; otherwise the rule's applies.
      const rowReferences = r.decision?.map((d) => d.legalReference ?? r.legalReference)
      const reference = rowReferences
        ? `(${JSON.stringify(rowReferences)}[row_${r.id}] ?? ${JSON.stringify(r.legalReference)})`
        : JSON.stringify(r.legalReference)
      return `${c.traced}\nt.push({ rule: ${JSON.stringify(r.id)}, value: v_${r.id}${row}, legalReference: ${reference}, uses: { ${uses} }, parameters: [${params.join(', ')}] });`
    })
    .join('\n')}\nreturn ${result};`

  // The sources are built only from names checked against the rule set and from jsep's syntax
  // tree of the rule files in this repository, never from a request.
  const plain = new Function('input', 'date', 'p', 'f', plainSource) as (
    i: Inputs,
    d: string,
    p: object,
    f: typeof RUNTIME,
  ) => Outputs
  const withTrace = new Function('input', 'date', 'p', 'f', 't', tracedSource) as (
    i: Inputs,
    d: string,
    p: object,
    f: typeof RUNTIME,
    t: TraceEntry[],
  ) => Outputs

  /** The parameters in force on `on`; `date` is the date asked about, for the message. */
  function inForce(on: string, date: string): Record<string, ParameterInForce> {
    const found: Record<string, ParameterInForce> = {}
    for (const [name, parameter] of Object.entries(file.parameters)) {
      const v = valueOn(parameter, on)
      if (!v) throw new RuleSetError(`${file.id}: the parameter ${name} has no value on ${date}`)
      found[name] = { ...v, name, legalReference: parameter.legalReference }
    }
    return found
  }
  // The parameters change only on the dates their values are in force from, so between two such
  // dates they are the same: they are kept per period, and a date is placed in its period by
  // comparing its digits with those dates, which is faster than looking the date up. Text that is
  // not YYYY-MM-DD (in a date asked about, or in a file that was not checked) is kept per date.
  const starts = [
    ...new Set(Object.values(file.parameters).flatMap((p) => p.values.map((v) => v.from))),
  ].sort()
  const startDigits = starts.map(ymd)
  const byPeriod = startDigits.every((n) => n >= 0)
  const periods: (Record<string, ParameterInForce> | undefined)[] = []
  const cache = new Map<string, Record<string, ParameterInForce>>()
  function parametersOn(date: string): Record<string, ParameterInForce> {
    const n = byPeriod ? ymd(date) : -1
    if (n >= 0) {
      let i = startDigits.length - 1
      while (i >= 0 && (startDigits[i] as number) > n) i--
      if (i >= 0) {
        let found = periods[i]
        if (!found) {
          found = inForce(starts[i] as string, date)
          periods[i] = found
        }
        return found
      }
    }
    let found = cache.get(date)
    if (found) return found
    found = inForce(date, date)
    if (cache.size > 4096) cache.clear()
    cache.set(date, found)
    return found
  }

  const rulesById = new Map(file.rules.map((r) => [r.id, r]))
  return {
    id: file.id,
    version: file.version,
    file,
    parametersOn,
    evaluate: (inputs, date) => ({
      ruleSet: file.id,
      version: file.version,
      date,
      outputs: plain(inputs, date, parametersOn(date), RUNTIME),
    }),
    evaluateWithTrace(inputs, date) {
      const trace: TraceEntry[] = []
      const outputs = withTrace(inputs, date, parametersOn(date), RUNTIME, trace)
      return { ruleSet: file.id, version: file.version, date, outputs, trace }
    },
    explain(entry, lang) {
      const rule = rulesById.get(entry.rule)
      if (!rule) return entry.rule
      const text =
        entry.row === undefined
          ? rule.explanation
          : entry.row === -1
            ? (rule.otherwise?.explanation ?? rule.explanation)
            : (rule.decision?.[entry.row]?.explanation ?? rule.explanation)
      return text[lang].replace(/\{(\w+)\}/g, (m, name: string) =>
        name === 'value'
          ? formatValue(entry.value, lang)
          : name in entry.uses
            ? formatValue(entry.uses[name], lang)
            : m,
      )
    },
  }
}
