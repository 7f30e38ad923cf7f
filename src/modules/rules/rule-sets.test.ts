// Every rule set's own test cases (data/rules/<id>/tests.yaml) run as tests here, beside the
// checks of the compiler itself.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { compileRuleSet, loadRuleSets, RuleSetError, runRuleTests } from './index.ts'
import type { RuleSetFile } from './rule-set-schema.ts'

const ruleSets = await loadRuleSets(fileURLToPath(new URL('../../../data/rules/', import.meta.url)))

for (const loaded of ruleSets.values()) {
  describe(`rule set ${loaded.ruleSet.id} ${loaded.ruleSet.version}`, () => {
    for (const result of runRuleTests(loaded)) {
      it(result.name, () => assert.deepEqual(result.failures, []))
    }
    it('gives every rule a legal reference and an explanation in Swedish and English', () => {
      for (const rule of loaded.ruleSet.file.rules) {
        assert.ok(rule.legalReference.trim().length > 0, rule.id)
        assert.ok(rule.explanation.sv && rule.explanation.en, rule.id)
      }
    })
  })
}

describe('a decision with its reasons (VAB, journey 2)', () => {
  const vab = ruleSets.get('vab')?.ruleSet
  assert.ok(vab)
  const day8 = {
    childBirthDate: '2021-03-17',
    careDate: '2026-02-09',
    dayOfCarePeriod: 8,
    careFraction: 1,
    reason: 'child-ill',
    seriouslyIll: false,
    inHospitalOrChildcare: false,
    hasCertificate: false,
    hasDoctorStatement: false,
    hasAdvanceDecision: false,
    daysUsedThisYear: 0,
    otherCareSameDay: 0,
    applicant: 'parent',
    rightTransferred: false,
    annualSgi: 420000,
    employment: 'employee',
    applicationDate: '2026-02-20',
  }

  it('traces which rules decided, with their values, parameters and provisions', () => {
    const { outputs, trace, version } = vab.evaluateWithTrace(day8, '2026-02-09')
    assert.equal(version, '2026.2')
    assert.equal(outputs.outcome, 'needs-certificate')
    const outcome = trace.find((t) => t.rule === 'outcome')
    assert.equal(outcome?.legalReference, 'SFB 110 kap.; FK 7443')
    assert.equal(
      vab.explain(outcome as never, 'sv'),
      'Ett intyg från sjuksköterska eller läkare behövs för dag 8 i vårdperioden innan dagen kan beslutas. Dag 1–7 behöver inget intyg.',
    )
    const cap = trace.find((t) => t.rule === 'sgiCapped')
    assert.deepEqual(cap?.parameters.map((p) => [p.name, p.value, p.from, p.status]).sort(), [
      ['prisbasbelopp', 59200, '2026-01-01', 'verified'],
      ['sgiCapPbb', 7.5, '2019-01-01', 'verified'],
    ])
  })

  it('gives the same outputs with and without the trace', () => {
    assert.deepEqual(
      vab.evaluate(day8, '2026-02-09').outputs,
      vab.evaluateWithTrace(day8, '2026-02-09').outputs,
    )
  })

  it('marks an unverified parameter as such in the trace', () => {
    const { trace } = vab.evaluateWithTrace(
      { ...day8, careDate: '2026-04-13', dayOfCarePeriod: 1 },
      '2026-04-13',
    )
    const deadline = trace.find((t) => t.rule === 'applicationDeadline')
    assert.equal(deadline?.parameters[0]?.status, 'unverified')
    assert.equal(deadline?.parameters[0]?.value, 30)
  })
})

describe('the rule compiler', () => {
  const base: RuleSetFile = {
    id: 'test',
    version: '1',
    title: { sv: 't', en: 't' },
    agency: 'x',
    description: { sv: 't', en: 't' },
    inputs: { a: { type: 'number', description: { sv: 'a', en: 'a' } } },
    parameters: {
      k: {
        description: { sv: 'k', en: 'k' },
        legalReference: 'L',
        values: [{ from: '2020-01-01', value: 2, status: 'verified' }],
      },
    },
    rules: [
      {
        id: 'r',
        title: { sv: 'r', en: 'r' },
        legalReference: 'L',
        explanation: { sv: 'r', en: 'r' },
        value: 'a * k',
        output: true,
      },
    ],
  }
  const withRule = (value: string) => ({
    ...base,
    rules: [{ ...base.rules[0], value } as RuleSetFile['rules'][number]],
  })

  it('compiles arithmetic over inputs and dated parameters', () => {
    assert.equal(compileRuleSet(base).evaluate({ a: 21 }, '2026-01-01').outputs.r, 42)
  })

  it('refuses names it does not know, and anything beyond the small language', () => {
    for (const bad of [
      'b + 1',
      'constructor',
      'a.constructor',
      'process.exit(1)',
      'this',
      'a = 1',
      '[1, 2]',
      'f.min(1)',
      'eval("1")',
      'a | 1',
    ])
      assert.throws(() => compileRuleSet(withRule(bad)), RuleSetError, bad)
  })

  it('finds rules that depend on each other in a circle', () => {
    const file: RuleSetFile = {
      ...base,
      rules: [
        {
          id: 'x',
          title: { sv: 'x', en: 'x' },
          legalReference: 'L',
          explanation: { sv: 'x', en: 'x' },
          value: 'y + 1',
          output: true,
        },
        {
          id: 'y',
          title: { sv: 'y', en: 'y' },
          legalReference: 'L',
          explanation: { sv: 'y', en: 'y' },
          value: 'x + 1',
        },
      ],
    }
    assert.throws(() => compileRuleSet(file), /circle/)
  })

  it('says when a parameter has no value on the date', () => {
    assert.throws(() => compileRuleSet(base).evaluate({ a: 1 }, '2019-12-31'), /no value on 2019-12-31/)
  })
})
