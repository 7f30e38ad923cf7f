// npm run bench:rules – Samla's compiled rule sets against four peers on the same two decisions:
// a day of VAB (vab: outcome and dailyAmount) and a family's child allowance (barnbidrag: total
// and perGuardian). 10,000 generated cases (the same every run) go through Samla, Samla with the
// trace, a hand-written TypeScript function, json-logic-js, json-rules-engine and
// @gorules/zen-engine (bench/peers/); all must give the same answers, to the öre. Then each is
// timed over the cases and the goals are checked. The last line is the figures as JSON.
//
// Settings (environment): BENCH_RULES_SECONDS (0.25) and BENCH_RULES_PASSES (10), the time of one
// engine in one pass and the number of passes.
import { fileURLToPath } from 'node:url'
import { type CompiledRuleSet, loadRuleSets } from '../src/modules/rules/index.ts'
import {
  type BarnbidragInputs,
  type BarnbidragResult,
  dayNumber,
  type Peer,
  parametersOn,
  type VabInputs,
  type VabParameters,
  type VabResult,
} from './peers/common.ts'
import { createHandWritten } from './peers/hand-written.ts'
import { createJsonLogic } from './peers/json-logic.ts'
import { createJsonRulesEngine } from './peers/json-rules-engine.ts'
import { createZenEngine } from './peers/zen-engine.ts'
import { seededRandom } from './seeded-random.ts'

const CASES = 10_000
const SEED = 20_260_401
/**
 * Each engine runs for SECONDS in each of PASSES passes, one engine after the other. Many short
 * passes, and ratios taken within a pass, keep a busy machine from deciding the comparison.
 */
const SECONDS = Number(process.env.BENCH_RULES_SECONDS ?? 0.25)
const PASSES = Number(process.env.BENCH_RULES_PASSES ?? 10)

const ruleSets = await loadRuleSets(fileURLToPath(new URL('../data/rules/', import.meta.url)))
const ruleSet = (id: string): CompiledRuleSet => {
  const found = ruleSets.get(id)?.ruleSet
  if (!found) throw new Error(`no rule set ${id} in data/rules`)
  return found
}
const vab = ruleSet('vab')
const barnbidrag = ruleSet('barnbidrag')
const files = { vab: vab.file, barnbidrag: barnbidrag.file }

// --- The cases ---------------------------------------------------------------------------------

type Case =
  | { kind: 'vab'; date: string; inputs: VabInputs }
  | { kind: 'barnbidrag'; date: string; inputs: BarnbidragInputs }

const isoDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10)
const FIRST_DAY = dayNumber('2025-01-01')
const LAST_DAY = dayNumber('2026-12-31')

function generateCases(): Case[] {
  const r = seededRandom(SEED)
  const deadlineDays = parametersOn<VabParameters>(vab.file)
  const cases: Case[] = []
  for (let i = 0; i < CASES; i++) {
    if (i % 4 === 3) {
      const birthDate = isoDate(r.int(FIRST_DAY, LAST_DAY))
      cases.push({
        kind: 'barnbidrag',
        date: birthDate,
        inputs: { children: r.int(1, 9), jointCustody: r.chance(0.5), birthDate },
      })
      continue
    }
    let careDay = r.int(FIRST_DAY, LAST_DAY)
    let childBirthDate: string
    const kind = r.next()
    if (kind < 0.1)
      childBirthDate = isoDate(careDay - r.int(0, 330)) // infants, round the 240th day
    else if (kind < 0.55)
      childBirthDate = isoDate(careDay - r.int(240, 4382)) // under 12
    else if (kind < 0.7)
      childBirthDate = isoDate(careDay - r.int(4383, 5843)) // 12–15
    else if (kind < 0.8)
      childBirthDate = isoDate(careDay - r.int(5844, 7305)) // 16–19
    else if (kind < 0.95) {
      // A few days from the birthday on which the child turns 12, 16 or 18.
      const care = isoDate(careDay)
      const birthday = `${Number(care.slice(0, 4)) - r.pick([12, 16, 18])}${care.slice(4)}`
      childBirthDate = isoDate(dayNumber(birthday) + r.int(-3, 3))
    } else {
      // Born on 29 February; half of them cared for round the end of February.
      childBirthDate = `${r.pick([2008, 2012, 2016, 2020, 2024])}-02-29`
      if (r.chance(0.5)) careDay = dayNumber(`${r.pick([2025, 2026])}-02-27`) + r.int(0, 3)
    }
    const careDate = isoDate(careDay)
    const dayOfCarePeriod = r.int(1, 12)
    const deadline = careDay + 1 - dayOfCarePeriod + deadlineDays(careDate).applicationDeadlineDays
    // Round the last day to apply, mostly soon after the day, or at any time in the next 120 days.
    const applicationDay = r.chance(0.25)
      ? deadline + r.int(-1, 1)
      : careDay + (r.chance(0.8) ? r.int(0, 20) : r.int(0, 120))
    const daysUsedThisYear = Math.min(125, r.int(0, 125) + (r.chance(0.3) ? r.int(0, 7) / 8 : 0))
    cases.push({
      kind: 'vab',
      date: careDate,
      inputs: {
        childBirthDate,
        careDate,
        dayOfCarePeriod,
        careFraction: r.chance(0.07)
          ? r.pick([0.33, 0.6, 0.1, 0.9, 0])
          : r.pick([1, 1, 1, 0.75, 0.5, 0.25, 0.125]),
        reason: r.pick([
          'child-ill',
          'child-ill',
          'child-ill',
          'child-ill',
          'caregiver-ill',
          'medical-visit',
          'care-meeting',
        ] as const),
        seriouslyIll: r.chance(0.08),
        inHospitalOrChildcare: r.chance(0.3),
        hasCertificate: r.chance(0.5),
        hasDoctorStatement: r.chance(0.4),
        hasAdvanceDecision: r.chance(0.2),
        daysUsedThisYear,
        otherCareSameDay: r.chance(0.75) ? 0 : r.pick([0.125, 0.25, 0.5, 0.75, 1]),
        applicant: r.chance(0.75) ? 'parent' : r.chance(0.5) ? 'equated-parent' : 'other-insured',
        rightTransferred: r.chance(0.5),
        annualSgi: r.chance(0.04) ? 0 : r.int(1, 800_000),
        employment: r.chance(0.8) ? 'employee' : r.chance(0.5) ? 'self-employed' : 'unemployed',
        applicationDate: isoDate(Math.max(careDay, applicationDay)),
      },
    })
  }
  return cases
}

// --- The engines -------------------------------------------------------------------------------

type Key = 'samla' | 'samlaTraced' | 'handWritten' | 'jsonLogic' | 'jsonRulesEngine' | 'zenEngine'
interface Contestant extends Peer {
  key: Key
}

const samla: Contestant = {
  key: 'samla',
  name: 'Samla (compiled)',
  vab: (inputs, date) => vab.evaluate(inputs, date).outputs as unknown as VabResult,
  barnbidrag: (inputs, date) => barnbidrag.evaluate(inputs, date).outputs as unknown as BarnbidragResult,
}
const samlaTraced: Contestant = {
  key: 'samlaTraced',
  name: 'Samla with trace',
  vab: (inputs, date) => vab.evaluateWithTrace(inputs, date).outputs as unknown as VabResult,
  barnbidrag: (inputs, date) =>
    barnbidrag.evaluateWithTrace(inputs, date).outputs as unknown as BarnbidragResult,
}
const contestants: Contestant[] = [
  samla,
  samlaTraced,
  { key: 'handWritten', ...createHandWritten(files) },
  { key: 'jsonLogic', ...createJsonLogic(files) },
  { key: 'jsonRulesEngine', ...createJsonRulesEngine(files) },
  { key: 'zenEngine', ...createZenEngine(files) },
]

const run = (engine: Peer, c: Case) =>
  c.kind === 'vab' ? engine.vab(c.inputs, c.date) : engine.barnbidrag(c.inputs, c.date)

// --- Same answers ------------------------------------------------------------------------------

const cases = generateCases()
const out = (line = '') => process.stdout.write(`${line}\n`)

function differences(c: Case, expected: object, actual: unknown): string[] {
  const got = (actual ?? {}) as Record<string, unknown>
  return Object.entries(expected)
    .filter(([name, want]) => {
      const value = got[name]
      return typeof want === 'number'
        ? typeof value !== 'number' || Math.abs(value - want) >= 0.005
        : value !== want
    })
    .map(
      ([name, want]) =>
        `${c.kind}.${name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got[name])}`,
    )
}

const answer = (c: Case, outputs: VabResult | BarnbidragResult) =>
  c.kind === 'vab'
    ? { outcome: (outputs as VabResult).outcome, dailyAmount: (outputs as VabResult).dailyAmount }
    : { total: (outputs as BarnbidragResult).total, perGuardian: (outputs as BarnbidragResult).perGuardian }

const expected = cases.map((c) => answer(c, run(samla, c) as VabResult | BarnbidragResult))
const mismatches = new Map<Key, number>()
out(`Rules benchmark: ${cases.length} cases (seed ${SEED}), Node ${process.version}`)
// What the cases cover, by Samla's answers: the row of the outcome table that decided each VAB
// day (from the trace), the age groups, and the families' sizes.
const count = (tally: Map<string, number>, key: string) => tally.set(key, (tally.get(key) ?? 0) + 1)
const tallies = {
  outcome: new Map<string, number>(),
  row: new Map<string, number>(),
  ageGroup: new Map<string, number>(),
  children: new Map<string, number>(),
}
for (const c of cases) {
  if (c.kind === 'barnbidrag') {
    count(tallies.children, String(c.inputs.children))
    continue
  }
  const { outputs, trace } = vab.evaluateWithTrace(c.inputs, c.date)
  count(tallies.outcome, String(outputs.outcome))
  const row = trace.find((t) => t.rule === 'outcome')?.row
  count(tallies.row, row === -1 ? 'otherwise' : String(row))
  count(tallies.ageGroup, String(trace.find((t) => t.rule === 'ageGroup')?.value))
}
const list = (tally: Map<string, number>) =>
  [...tally]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')
const vabDays = cases.filter((c) => c.kind === 'vab').length
out(`VAB days (${vabDays}): ${list(tallies.outcome)}`)
out(`  decided by row of the outcome table: ${list(tallies.row)}`)
out(`  age groups: ${list(tallies.ageGroup)}`)
out(`  on or after 2026-04-01: ${cases.filter((c) => c.kind === 'vab' && c.date >= '2026-04-01').length}`)
out(`Families (${cases.length - vabDays}), by number of children: ${list(tallies.children)}`)
out()
for (const engine of contestants.slice(1)) {
  let differing = 0
  for (const [i, c] of cases.entries()) {
    let problems: string[]
    try {
      problems = differences(c, expected[i] as object, await run(engine, c))
    } catch (error) {
      problems = [`threw ${(error as Error).message}`]
    }
    if (problems.length === 0) continue
    differing++
    if (differing <= 3)
      out(
        `MISMATCH ${engine.name}, case ${i} on ${c.date}: ${problems.join('; ')}\n  ${JSON.stringify(c.inputs)}`,
      )
  }
  mismatches.set(engine.key, differing)
}
out(
  `Same answers as Samla (outcome and dailyAmount, total and perGuardian, to the öre): ${contestants
    .slice(1)
    .map((e) => `${e.name} ${cases.length - (mismatches.get(e.key) ?? 0)}/${cases.length}`)
    .join(', ')}`,
)
out()

// --- Speed -------------------------------------------------------------------------------------

let sink = 0
const note = (r: VabResult | BarnbidragResult) => {
  sink += 'outcome' in r ? r.outcome.length : r.total
}

type Loop = (engine: Peer, cases: Case[], seconds: number) => Promise<{ rate: number; sink: number }>

/**
 * A timing loop for one engine: evaluations per second over the cases in turn, for about
 * `seconds`. Each engine gets its own copy of the loop (a function of its own), so that V8's
 * picture of the calls in it is of that engine alone and no engine is slowed by the others' calls.
 * The async engines are awaited one evaluation at a time, as a request handler would.
 */
function timingLoop(isAsync: boolean): Loop {
  const between = isAsync ? 10 : 500 // evaluations between two looks at the clock
  const call = `(c.kind === 'vab' ? engine.vab(c.inputs, c.date) : engine.barnbidrag(c.inputs, c.date))`
  const body = `
    let n = 0, i = 0, sink = 0, elapsed = 0
    const start = performance.now()
    while (elapsed < seconds * 1000) {
      for (let k = 0; k < ${between}; k++) {
        const c = cases[i]
        i = i + 1 === cases.length ? 0 : i + 1
        const r = ${isAsync ? `await ${call}` : call}
        sink += c.kind === 'vab' ? r.outcome.length : r.total
      }
      n += ${between}
      elapsed = performance.now() - start
    }
    return { rate: n / (elapsed / 1000), sink }`
  // An async function either way, so that every loop is awaited alike.
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Loop
  return new AsyncFunction('engine', 'cases', 'seconds', body)
}

const isAsync = (e: Contestant) => e.key === 'jsonRulesEngine' || e.key === 'zenEngine'
const loops = new Map(contestants.map((e) => [e.key, timingLoop(isAsync(e))]))
async function measure(engine: Contestant, seconds: number): Promise<number> {
  const { rate, sink: s } = await (loops.get(engine.key) as Loop)(engine, cases, seconds)
  sink += s
  return rate
}

for (const engine of contestants) await measure(engine, 0.3)
const passes = new Map<Key, number[]>()
for (let pass = 0; pass < PASSES; pass++)
  for (const engine of contestants)
    passes.set(engine.key, [...(passes.get(engine.key) ?? []), await measure(engine, SECONDS)])
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const ratesOf = (key: Key) => passes.get(key) ?? []
/** Evaluations per second: the median over the passes. */
const rate = Object.fromEntries(contestants.map((e) => [e.key, median(ratesOf(e.key))])) as Record<
  Key,
  number
>
/** How many times as fast as `b` `a` is: the median over the passes of the ratio within a pass. */
const ratio = (a: Key, b: Key) => median(ratesOf(a).map((x, i) => x / (ratesOf(b)[i] ?? Number.NaN)))

// zen-engine evaluates on its own threads: with many evaluations in flight it may do more per
// second. One second of that, for the note under the table.
const IN_FLIGHT = 64
let zenConcurrent = 0
{
  const zen = contestants.find((e) => e.key === 'zenEngine') as Contestant
  const start = performance.now()
  let n = 0
  while (performance.now() - start < 1000) {
    const batch = cases.slice(n % cases.length, (n % cases.length) + IN_FLIGHT)
    for (const r of await Promise.all(batch.map((c) => run(zen, c)))) note(r)
    n += batch.length
  }
  zenConcurrent = n / ((performance.now() - start) / 1000)
}

const group = (x: number) => Math.round(x).toLocaleString('en-US').replaceAll(',', ' ')
const times = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
out(
  `Evaluations per second (median of ${PASSES} passes of ${SECONDS} s each, after a warm-up; the ratio is` +
    ' the median of the ratios within each pass):',
)
out()
out(`${'engine'.padEnd(26)}${'evals/s'.padStart(13)}${'Samla ÷ engine'.padStart(17)}`)
out('-'.repeat(56))
for (const e of contestants)
  out(
    `${e.name.padEnd(26)}${group(rate[e.key]).padStart(13)}${`${times(ratio('samla', e.key))}×`.padStart(17)}`,
  )
out()
out(
  `json-rules-engine and zen-engine are async and awaited one evaluation at a time. With ${IN_FLIGHT} in flight,` +
    ` zen-engine does ${group(zenConcurrent)} evals/s (Samla ÷ that: ${times(rate.samla / zenConcurrent)}×).`,
)
out()

const goals: [string, boolean][] = [
  ['Samla ≥ 100× zen-engine', ratio('samla', 'zenEngine') >= 100],
  ['Samla ≥ 100× json-rules-engine', ratio('samla', 'jsonRulesEngine') >= 100],
  ['Samla ≥ 10× json-logic-js', ratio('samla', 'jsonLogic') >= 10],
  ['Samla ≥ 0.5× hand-written TypeScript', ratio('samla', 'handWritten') >= 0.5],
  ['Samla with trace faster than json-logic-js', ratio('samlaTraced', 'jsonLogic') > 1],
]
out('Goals:')
for (const [goal, met] of goals) out(`  ${met ? 'met    ' : 'NOT MET'}  ${goal}`)
out()
if (sink === 0) out('(no results?)')

const total = [...mismatches.values()].reduce((a, b) => a + b, 0)
out(
  JSON.stringify({
    evalsPerSecond: {
      samla: Math.round(rate.samla),
      samlaTraced: Math.round(rate.samlaTraced),
      handWritten: Math.round(rate.handWritten),
      jsonLogic: Math.round(rate.jsonLogic),
      jsonRulesEngine: Math.round(rate.jsonRulesEngine),
      zenEngine: Math.round(rate.zenEngine),
    },
    mismatches: total,
  }),
)
