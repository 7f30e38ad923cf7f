// The two decisions in json-logic-js. JsonLogic has no variables, so each rule of the rule file is
// one JsonLogic expression, applied in order; its value is stored in the data under the rule's
// name for the rules after it. Parameters are under `p`. Date arithmetic and rounding are added
// as operations.
import jsonLogic, { type AdditionalOperation, type RulesLogic } from 'json-logic-js'
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

jsonLogic.add_operation('ageYears', ageYears)
jsonLogic.add_operation('ageDays', (birth: string, on: string) => dayNumber(on) - dayNumber(birth))
jsonLogic.add_operation('addDays', addDays)
jsonLogic.add_operation('roundToOre', roundToOre)
jsonLogic.add_operation('lookup', (table: Record<string, number>, key: number) => table[key] ?? 0)

type Logic = RulesLogic<AdditionalOperation>
const v = (name: string): Logic => ({ var: name })
const is = (name: string, value: unknown): Logic => ({ '===': [v(name), value] })

const VAB: [string, Logic][] = [
  ['childAgeYears', { ageYears: [v('childBirthDate'), v('careDate')] }],
  ['childAgeDays', { ageDays: [v('childBirthDate'), v('careDate')] }],
  [
    'ageGroup',
    {
      if: [
        { and: [v('seriouslyIll'), { '<': [v('childAgeYears'), v('p.seriouslyIllMaxAge')] }] },
        'seriously-ill',
        { '<': [v('childAgeDays'), v('p.minAgeDays')] },
        'infant',
        { '<': [v('childAgeYears'), v('p.maxAgeYears')] },
        'under-12',
        { '<': [v('childAgeYears'), v('p.maxAgeWithDoctorStatement')] },
        '12-15',
        'too-old',
      ],
    },
  ],
  ['fractionAllowed', { in: [v('careFraction'), [1, 0.75, 0.5, 0.25, 0.125]] }],
  [
    'applicantEligible',
    {
      if: [
        { '<=': [v('annualSgi'), 0] },
        false,
        { in: [v('applicant'), ['parent', 'equated-parent']] },
        true,
        { and: [is('applicant', 'other-insured'), v('rightTransferred')] },
        true,
        false,
      ],
    },
  ],
  ['daysWithThisOne', { '+': [v('daysUsedThisYear'), v('careFraction')] }],
  [
    'reasonAllowed',
    {
      if: [
        { and: [is('reason', 'care-meeting'), { '<': [v('careDate'), v('p.careMeetingsFrom')] }] },
        false,
        { or: [is('ageGroup', 'seriously-ill'), is('reason', 'child-ill')] },
        true,
        { '<=': [v('daysWithThisOne'), v('p.daysAnyReason')] },
        true,
        false,
      ],
    },
  ],
  [
    'withinYearLimit',
    { or: [is('ageGroup', 'seriously-ill'), { '<=': [v('daysWithThisOne'), v('p.daysPerChildYear')] }] },
  ],
  ['firstCareDay', { addDays: [v('careDate'), { '-': [1, v('dayOfCarePeriod')] }] }],
  ['applicationDeadline', { addDays: [v('firstCareDay'), v('p.applicationDeadlineDays')] }],
  ['appliedInTime', { '<=': [v('applicationDate'), v('applicationDeadline')] }],
  [
    'certificateRequired',
    { and: [is('ageGroup', 'under-12'), { '>=': [v('dayOfCarePeriod'), v('p.certificateFromDay')] }] },
  ],
  ['doctorStatementRequired', { and: [is('ageGroup', '12-15'), { '!': v('hasAdvanceDecision') }] }],
  [
    'outcome',
    {
      if: [
        { '!': v('fractionAllowed') },
        'rejected',
        { '!': v('applicantEligible') },
        'rejected',
        is('ageGroup', 'too-old'),
        'rejected',
        { and: [is('ageGroup', 'infant'), { '!': v('inHospitalOrChildcare') }] },
        'rejected',
        { '!': v('appliedInTime') },
        'rejected',
        { '!': v('withinYearLimit') },
        'rejected',
        { '!': v('reasonAllowed') },
        'rejected',
        { '>': [{ '+': [v('careFraction'), v('otherCareSameDay')] }, 1] },
        'manual-review',
        { and: [v('doctorStatementRequired'), { '!': v('hasDoctorStatement') }] },
        'needs-certificate',
        { and: [v('certificateRequired'), { '!': v('hasCertificate') }] },
        'needs-certificate',
        'approved',
      ],
    },
  ],
  ['sgiCapped', { min: [v('annualSgi'), { '*': [v('p.sgiCapPbb'), v('p.prisbasbelopp')] }] }],
  [
    'dayDivisor',
    { if: [is('employment', 'unemployed'), v('p.unemployedDayDivisor'), v('p.employeeDayDivisor')] },
  ],
  [
    'fullDayAmount',
    { '/': [{ '*': [v('sgiCapped'), v('p.sgiFactor'), v('p.compensationRate')] }, v('dayDivisor')] },
  ],
  [
    'dailyAmount',
    {
      if: [is('outcome', 'approved'), { roundToOre: [{ '*': [v('fullDayAmount'), v('careFraction')] }] }, 0],
    },
  ],
]

const BARNBIDRAG: [string, Logic][] = [
  ['allowance', { '*': [v('children'), v('p.allowancePerChild')] }],
  [
    'supplement',
    {
      if: [
        { '<=': [v('children'), 6] },
        { lookup: [v('p.supplementByChildren'), v('children')] },
        {
          '+': [
            { lookup: [v('p.supplementByChildren'), 6] },
            { '*': [{ '-': [v('children'), 6] }, v('p.supplementPerFurtherChild')] },
          ],
        },
      ],
    },
  ],
  ['total', { '+': [v('allowance'), v('supplement')] }],
  ['perGuardian', { if: [v('jointCustody'), { '/': [v('total'), 2] }, v('total')] }],
]

function applyInOrder(rules: [string, Logic][], data: Record<string, unknown>): Record<string, unknown> {
  for (const [name, logic] of rules) data[name] = jsonLogic.apply(logic, data)
  return data
}

export function createJsonLogic(files: { vab: RuleSetFile; barnbidrag: RuleSetFile }): Peer {
  const vabParameters = parametersOn<VabParameters>(files.vab)
  const barnbidragParameters = parametersOn<BarnbidragParameters>(files.barnbidrag)
  return {
    name: 'json-logic-js',
    vab(inputs, date): VabResult {
      const r = applyInOrder(VAB, { ...inputs, p: vabParameters(date) })
      return { outcome: r.outcome as string, dailyAmount: r.dailyAmount as number }
    },
    barnbidrag(inputs, date): BarnbidragResult {
      const r = applyInOrder(BARNBIDRAG, { ...inputs, p: barnbidragParameters(date) })
      return { total: r.total as number, perGuardian: r.perGuardian as number }
    },
  }
}
