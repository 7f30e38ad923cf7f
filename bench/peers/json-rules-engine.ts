// The two decisions in json-rules-engine. The engine compares facts with operators and has no
// arithmetic, so what the rule files compute (ages, the deadline, sums, the amount) are dynamic
// facts in JavaScript, and each decision table becomes one rule per row. A table's rows have
// falling priorities, so they run in order; each row holds only while the table has no value
// yet, and the first that holds sets the value as a fact for the tables after it.
import { type Almanac, Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine'
import type { RuleSetFile } from '../../src/modules/rules/index.ts'
import {
  addDays,
  ageYears,
  type BarnbidragParameters,
  type BarnbidragResult,
  dayNumber,
  type Peer,
  parametersOn,
  roundToOre,
  type VabParameters,
  type VabResult,
} from './common.ts'

type Condition = { fact: string; operator: string; value: unknown; path?: string } | TopLevelCondition
type Row = { when: Condition[]; value: string | number | boolean }

const fact = (name: string, operator: string, value: unknown): Condition => ({ fact: name, operator, value })
/** A parameter in force on the date, as the value side of a condition. */
const param = (name: string) => ({ fact: 'p', path: `$.${name}` })

function table(name: string, priority: number, rows: Row[]): RuleProperties[] {
  return rows.map((row, i) => ({
    name: `${name}, row ${i}`,
    priority: priority - i,
    conditions: { all: [fact(name, 'equal', null), ...row.when] },
    event: { type: 'decided', params: { name, value: row.value } },
  }))
}

function newEngine(rules: RuleProperties[]): Engine {
  const engine = new Engine(rules)
  engine.addOperator('dateBefore', (a: string, b: string) => a < b)
  engine.addOperator('dateAfter', (a: string, b: string) => a > b)
  engine.on<{ name: string; value: unknown }>('decided', (row, almanac) => {
    almanac.addFact(row.name, row.value)
  })
  return engine
}

const get = <T>(almanac: Almanac, name: string) => almanac.factValue<T>(name)

function vabEngine(): Engine {
  const engine = newEngine([
    ...table('ageGroup', 100, [
      {
        when: [
          fact('seriouslyIll', 'equal', true),
          fact('childAgeYears', 'lessThan', param('seriouslyIllMaxAge')),
        ],
        value: 'seriously-ill',
      },
      { when: [fact('childAgeDays', 'lessThan', param('minAgeDays'))], value: 'infant' },
      { when: [fact('childAgeYears', 'lessThan', param('maxAgeYears'))], value: 'under-12' },
      { when: [fact('childAgeYears', 'lessThan', param('maxAgeWithDoctorStatement'))], value: '12-15' },
      { when: [], value: 'too-old' },
    ]),
    ...table('applicantEligible', 90, [
      { when: [fact('annualSgi', 'lessThanInclusive', 0)], value: false },
      { when: [fact('applicant', 'in', ['parent', 'equated-parent'])], value: true },
      {
        when: [fact('applicant', 'equal', 'other-insured'), fact('rightTransferred', 'equal', true)],
        value: true,
      },
      { when: [], value: false },
    ]),
    ...table('reasonAllowed', 80, [
      {
        when: [
          fact('reason', 'equal', 'care-meeting'),
          fact('careDate', 'dateBefore', param('careMeetingsFrom')),
        ],
        value: false,
      },
      {
        when: [{ any: [fact('ageGroup', 'equal', 'seriously-ill'), fact('reason', 'equal', 'child-ill')] }],
        value: true,
      },
      { when: [fact('daysWithThisOne', 'lessThanInclusive', param('daysAnyReason'))], value: true },
      { when: [], value: false },
    ]),
    ...table('outcome', 70, [
      { when: [fact('careFraction', 'notIn', [1, 0.75, 0.5, 0.25, 0.125])], value: 'rejected' },
      { when: [fact('applicantEligible', 'equal', false)], value: 'rejected' },
      { when: [fact('ageGroup', 'equal', 'too-old')], value: 'rejected' },
      {
        when: [fact('ageGroup', 'equal', 'infant'), fact('inHospitalOrChildcare', 'equal', false)],
        value: 'rejected',
      },
      { when: [fact('applicationDate', 'dateAfter', { fact: 'applicationDeadline' })], value: 'rejected' },
      {
        when: [
          fact('ageGroup', 'notEqual', 'seriously-ill'),
          fact('daysWithThisOne', 'greaterThan', param('daysPerChildYear')),
        ],
        value: 'rejected',
      },
      { when: [fact('reasonAllowed', 'equal', false)], value: 'rejected' },
      { when: [fact('careWithOthers', 'greaterThan', 1)], value: 'manual-review' },
      {
        when: [
          fact('ageGroup', 'equal', '12-15'),
          fact('hasAdvanceDecision', 'equal', false),
          fact('hasDoctorStatement', 'equal', false),
        ],
        value: 'needs-certificate',
      },
      {
        when: [
          fact('ageGroup', 'equal', 'under-12'),
          fact('dayOfCarePeriod', 'greaterThanInclusive', param('certificateFromDay')),
          fact('hasCertificate', 'equal', false),
        ],
        value: 'needs-certificate',
      },
      { when: [], value: 'approved' },
    ]),
  ])
  engine.addFact('childAgeYears', async (_, a) =>
    ageYears(await get(a, 'childBirthDate'), await get(a, 'careDate')),
  )
  engine.addFact(
    'childAgeDays',
    async (_, a) => dayNumber(await get(a, 'careDate')) - dayNumber(await get(a, 'childBirthDate')),
  )
  engine.addFact(
    'daysWithThisOne',
    async (_, a) => (await get<number>(a, 'daysUsedThisYear')) + (await get<number>(a, 'careFraction')),
  )
  engine.addFact(
    'careWithOthers',
    async (_, a) => (await get<number>(a, 'careFraction')) + (await get<number>(a, 'otherCareSameDay')),
  )
  engine.addFact('applicationDeadline', async (_, a) => {
    const firstCareDay = addDays(await get(a, 'careDate'), 1 - (await get<number>(a, 'dayOfCarePeriod')))
    return addDays(firstCareDay, (await get<VabParameters>(a, 'p')).applicationDeadlineDays)
  })
  engine.addFact('dailyAmount', async (_, a) => {
    if ((await get(a, 'outcome')) !== 'approved') return 0
    const p = await get<VabParameters>(a, 'p')
    const sgi = Math.min(await get<number>(a, 'annualSgi'), p.sgiCapPbb * p.prisbasbelopp)
    const unemployed = (await get(a, 'employment')) === 'unemployed'
    const fullDay =
      (sgi * p.sgiFactor * p.compensationRate) / (unemployed ? p.unemployedDayDivisor : p.employeeDayDivisor)
    return roundToOre(fullDay * (await get<number>(a, 'careFraction')))
  })
  return engine
}

function barnbidragEngine(): Engine {
  const engine = newEngine([
    ...table('supplementRow', 20, [
      { when: [fact('children', 'lessThanInclusive', 6)], value: 'by-number' },
      { when: [fact('children', 'greaterThan', 6)], value: 'six-and-further' },
    ]),
    ...table('guardians', 10, [
      { when: [fact('jointCustody', 'equal', true)], value: 2 },
      { when: [], value: 1 },
    ]),
  ])
  engine.addFact('total', async (_, a) => {
    const p = await get<BarnbidragParameters>(a, 'p')
    const children = await get<number>(a, 'children')
    const supplement =
      (await get(a, 'supplementRow')) === 'by-number'
        ? (p.supplementByChildren[children] ?? 0)
        : (p.supplementByChildren[6] ?? 0) + (children - 6) * p.supplementPerFurtherChild
    return children * p.allowancePerChild + supplement
  })
  engine.addFact(
    'perGuardian',
    async (_, a) => (await get<number>(a, 'total')) / (await get<number>(a, 'guardians')),
  )
  return engine
}

export function createJsonRulesEngine(files: { vab: RuleSetFile; barnbidrag: RuleSetFile }): Peer {
  const vabParameters = parametersOn<VabParameters>(files.vab)
  const barnbidragParameters = parametersOn<BarnbidragParameters>(files.barnbidrag)
  const vab = vabEngine()
  const barnbidrag = barnbidragEngine()
  return {
    name: 'json-rules-engine',
    async vab(inputs, date): Promise<VabResult> {
      const { almanac } = await vab.run({
        ...inputs,
        p: vabParameters(date),
        ageGroup: null,
        applicantEligible: null,
        reasonAllowed: null,
        outcome: null,
      })
      return { outcome: await get(almanac, 'outcome'), dailyAmount: await get(almanac, 'dailyAmount') }
    },
    async barnbidrag(inputs, date): Promise<BarnbidragResult> {
      const { almanac } = await barnbidrag.run({
        ...inputs,
        p: barnbidragParameters(date),
        supplementRow: null,
        guardians: null,
      })
      return { total: await get(almanac, 'total'), perGuardian: await get(almanac, 'perGuardian') }
    },
  }
}
