// The forms built from the rule sets' inputs: every input is known or asked, answers are read as
// people write them, and what Samla knows of earlier decisions becomes the rules' counts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Temporal } from '../../platform/clock.ts'
import type { People } from '../people/index.ts'
import { loadRuleSets } from '../rules/index.ts'
import { BENEFIT_SERVICES, type EarlierCase } from './benefit-services.ts'
import { createSubmitBenefitApplication, fieldsOf, readAnswers } from './submit-benefit-application.ts'

const loaded = await loadRuleSets(fileURLToPath(new URL('../../../data/rules/', import.meta.url)))
const rules = new Map([...loaded.values()].map((l) => [l.ruleSet.id, l.ruleSet]))
const service = (slug: string) => {
  const found = BENEFIT_SERVICES.find((s) => s.slug === slug)
  assert.ok(found)
  return found
}
const ruleSet = (id: string) => {
  const found = rules.get(id)
  assert.ok(found)
  return found
}

describe('a benefit service and its rule set', () => {
  it('knows or asks every input of the rule set, and nothing else', () => {
    for (const s of BENEFIT_SERVICES) {
      const inputs = Object.keys(ruleSet(s.ruleSet).file.inputs).sort()
      const covered = [...Object.keys(s.known), ...s.asked.map((a) => a.input)].sort()
      assert.deepEqual(covered, inputs, s.slug)
    }
  })

  it('refuses to start when a rule set has an input the service neither knows nor asks', () => {
    const fp = ruleSet('foraldrapenning')
    const changed = {
      ...fp,
      file: {
        ...fp.file,
        inputs: {
          ...fp.file.inputs,
          newFact: { type: 'boolean' as const, description: { sv: 'Något nytt', en: 'Something new' } },
        },
      },
    }
    const deps = { db: {} as never, people: {} as People, clock: {} as never }
    assert.throws(
      () =>
        createSubmitBenefitApplication({ ...deps, rules: new Map([...rules, ['foraldrapenning', changed]]) }),
      /missing: newFact/,
    )
    assert.doesNotThrow(() => createSubmitBenefitApplication({ ...deps, rules }))
  })

  it('asks in the rule set’s own words, with its types and limits', () => {
    const fields = fieldsOf(service('bostadstillagg'), ruleSet('bostadstillagg'))
    assert.deepEqual(
      fields.map((f) => [f.name, f.type]),
      [
        ['livesWithSpouseOrPartner', 'boolean'],
        ['takesWholePublicPension', 'boolean'],
        ['housingCostPerMonth', 'number'],
        ['incomeAfterTaxPerMonth', 'number'],
      ],
    )
    assert.equal(fields[2]?.label.sv, 'Din boendekostnad per månad, till exempel hyra eller avgift')
    assert.equal(fields[2]?.maximum, 1000000)
  })
})

describe('reading the answers', () => {
  const fields = fieldsOf(service('foraldrapenning'), ruleSet('foraldrapenning'))
  const today = Temporal.PlainDate.from('2026-11-25')
  const read = (raw: Record<string, unknown>) => readAnswers(fields, raw, { today, past: 365, future: 365 })
  const valid = {
    leaveFrom: '2026-12-07',
    leaveTo: '2026-12-11',
    requestedSicknessLevelDays: '2,5',
    requestedLowestLevelDays: 0,
    requestedDoubleDays: '0',
    custody: 'joint',
    qualifiedForSicknessLevel: 'true',
    uncountedEarlierDays: false,
  }

  it('takes numbers, dates and choices as a form or the API sends them', () => {
    const { answers, problems } = read(valid)
    assert.deepEqual(problems, [])
    assert.equal(answers.requestedSicknessLevelDays, 2.5)
    assert.equal(answers.requestedLowestLevelDays, 0)
    assert.equal(answers.qualifiedForSicknessLevel, true)
    assert.equal(answers.uncountedEarlierDays, false)
    assert.equal(answers.custody, 'joint')
  })

  it('reads amounts as people write them', () => {
    const btp = fieldsOf(service('bostadstillagg'), ruleSet('bostadstillagg'))
    for (const [written, value] of [
      ['6 500', 6500],
      ['6\u00a0500 kr', 6500],
      ['6500,50', 6500.5],
    ] as const) {
      const { answers } = readAnswers(btp, { housingCostPerMonth: written }, { today, past: 0, future: 0 })
      assert.equal(answers.housingCostPerMonth, value, written)
    }
  })

  it('names the field and the problem: missing, letters, impossible or distant dates, unknown choices', () => {
    const { problems } = read({
      ...valid,
      leaveFrom: '2026-02-30',
      leaveTo: '2028-01-01',
      requestedSicknessLevelDays: 'fem',
      requestedDoubleDays: '-1',
      custody: 'shared',
      uncountedEarlierDays: '',
    })
    assert.deepEqual(
      problems.map((p) => [p.field, p.problem]),
      [
        ['leaveFrom', 'date'],
        ['leaveTo', 'date-range'],
        ['requestedSicknessLevelDays', 'number'],
        ['requestedDoubleDays', 'range'],
        ['custody', 'choice'],
        ['uncountedEarlierDays', 'required'],
      ],
    )
  })

  it('finds answers that contradict each other', () => {
    const check = (changes: Record<string, unknown>) =>
      service('foraldrapenning')
        .check({ ...read(valid).answers, ...(changes as Record<string, string | number | boolean>) })
        .map((p) => p.problem)
    assert.deepEqual(check({}), [])
    assert.deepEqual(check({ leaveTo: '2026-12-06' }), ['last-before-first'])
    assert.deepEqual(check({ requestedSicknessLevelDays: 6 }), ['more-days-than-calendar-days'])
    assert.deepEqual(check({ requestedSicknessLevelDays: 0 }), ['no-days'])
    assert.deepEqual(check({ requestedSicknessLevelDays: 0.33 }), ['eighths'])
    assert.deepEqual(check({ requestedDoubleDays: 3 }), ['more-double-days-than-days'])
  })
})

describe('what Samla knows of earlier decisions for the child', () => {
  const fp = service('foraldrapenning')
  const earlier = (
    mine: boolean,
    from: string,
    sick: number,
    double = 0,
    outcome = 'approved',
  ): EarlierCase => ({
    caseId: `${from}-${mine}`,
    mine,
    applicantPersonId: mine ? 'me' : 'other',
    status: 'decided',
    outcome,
    inputs: {
      leaveFrom: from,
      leaveTo: from,
      requestedSicknessLevelDays: sick,
      requestedLowestLevelDays: 0,
      requestedDoubleDays: double,
    },
  })
  const known = (cases: EarlierCase[], birthDate = '2022-01-10') =>
    Object.fromEntries(
      Object.entries(fp.known).map(([name, k]) => [
        name,
        k.from({
          person: { id: 'me', occupation: { kind: 'employed', annualIncomeSek: 480000 } },
          child: {
            personId: 'child',
            kind: 'child',
            custody: true,
            givenName: 'Ida',
            familyName: 'Sjöberg',
            birthDate,
          },
          today: '2026-11-25',
          answers: { leaveFrom: '2026-12-07', leaveTo: '2026-12-11' },
          earlier: cases,
        }),
      ]),
    )

  it('counts granted days, the other parent’s apart, double days once, and days since the fourth birthday', () => {
    const k = known([
      earlier(true, '2025-03-03', 20, 5),
      earlier(false, '2025-03-03', 5, 5),
      earlier(false, '2026-02-02', 10),
      earlier(true, '2026-03-02', 30, 0, 'rejected'),
    ])
    assert.equal(k.daysUsedSicknessLevel, 20)
    assert.equal(k.otherParentDaysUsedSicknessLevel, 15)
    assert.equal(k.doubleDaysUsed, 5)
    assert.equal(k.familyDaysUsedSinceFourthBirthday, 10, 'only the period from 10 January 2026')
    assert.equal(k.annualSgi, 480000)
    assert.equal(k.applicationDate, '2026-11-25')
  })

  it('says whether the child has finished year 5 by the last day: in June of the year the child turns 12', () => {
    assert.equal(known([], '2015-03-01').childHasNotFinishedYear5, true, 'year 5 ends in June 2027')
    assert.equal(known([], '2014-09-01').childHasNotFinishedYear5, false, 'year 5 ended in June 2026')
    assert.equal(known([], '2014-03-01').childHasNotFinishedYear5, false)
  })

  it('sees the same days applied for again, but not a refused application or the other parent’s', () => {
    const answers = { leaveFrom: '2026-12-07', leaveTo: '2026-12-11' }
    assert.equal(fp.conflict([earlier(true, '2026-12-09', 1)], answers)?.problem, 'period-already-applied')
    assert.equal(fp.conflict([earlier(true, '2026-12-09', 1, 0, 'rejected')], answers), undefined)
    assert.equal(fp.conflict([earlier(false, '2026-12-09', 1)], answers), undefined)
    assert.equal(fp.conflict([earlier(true, '2026-12-14', 1)], answers), undefined)
  })
})
