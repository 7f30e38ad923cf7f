// The benefits a person applies for through a form built from the rule set's inputs. Each entry
// says, for one service, which rule set decides it, which inputs Samla fills in from what it
// already knows (the population register, earlier decisions, today), which it asks the applicant,
// and what the decision shows. Every input of the rule set is either known or asked; Samla checks
// that when it starts, so a new input in a rule file cannot go unanswered.
import { Temporal } from '../../platform/clock.ts'
import type { PersonData } from '../people/index.ts'
import type { Inputs } from '../rules/index.ts'

type Value = string | number | boolean
export type Child = NonNullable<PersonData['family']>[number]

/** An earlier application for the same service: for the same child, or by the applicant. */
export interface EarlierCase {
  caseId: string
  /** Whether the applicant filed it (otherwise another parent did, for the same child). */
  mine: boolean
  applicantPersonId: string
  status: string
  outcome: string | null
  /** The inputs the rules were given. */
  inputs: Inputs
}

/** What Samla knows when it fills in an application. */
export interface Known {
  person: PersonData
  /** The child the application concerns, when the service is about a child. */
  child?: Child
  today: string
  /** The applicant's answers, already checked. */
  answers: Inputs
  earlier: EarlierCase[]
}

export interface Problem {
  field: string
  problem: string
  params?: Record<string, string | number>
}

export interface BenefitService {
  /** The catalogue's service; its competent authority receives the case. */
  serviceId: string
  /** The form is /ansok/<slug>, the API …/applications/<slug>. */
  slug: string
  ruleSet: string
  /** The application concerns one of the applicant's children in their custody. */
  aboutChild: boolean
  /** Inputs Samla fills in; `show` lists them under "what we already know" on the form. */
  known: Record<string, { from: (k: Known) => Value; show?: boolean }>
  /** Inputs the applicant answers, in the order asked; a prefill is what the form starts from. */
  asked: Array<{ input: string; prefill?: (person: PersonData) => Value | undefined }>
  /** The day whose parameters apply. */
  decideOn: (inputs: Inputs, today: string) => string
  /** How far back and ahead of today a date may be, in days. */
  dates: { past: number; future: number }
  /** Answers that contradict each other in ways the input types cannot say. */
  check: (answers: Inputs) => Problem[]
  /** An earlier application this one contradicts: the same days again, one still open. */
  conflict: (earlier: EarlierCase[], answers: Inputs) => Problem | undefined
  /** Rule outputs the decision shows as amounts, and per what. */
  amounts: Array<{ output: string; per: 'total' | 'day' | 'month' }>
  /** Inputs the decision names as the facts it rests on. */
  facts: string[]
  /** Inputs that are sums of money. */
  money: string[]
  /** Rules whose explanations are the reasons; `amountReasons` only when the rules grant. */
  reasons: string[]
  amountReasons: string[]
}

const OPEN = ['in-queue', 'waiting-for-applicant', 'submitted', 'in-progress']
const granted = (c: EarlierCase) => c.outcome === 'approved' || c.outcome === 'partly-approved'
const sum = (cases: EarlierCase[], input: string) =>
  cases.reduce((total, c) => total + Number(c.inputs[input] ?? 0), 0)

/** Parental benefit for days of leave: the parent, the child and the days asked for. */
const foraldrapenning: BenefitService = {
  serviceId: 'foraldrapenning',
  slug: 'foraldrapenning',
  ruleSet: 'foraldrapenning',
  aboutChild: true,
  known: {
    requestType: { from: () => 'leave' },
    applicationDate: { from: (k) => k.today },
    childBirthDate: { from: (k) => k.child?.birthDate ?? '' },
    annualSgi: { from: (k) => k.person.occupation?.annualIncomeSek ?? 0, show: true },
    // Children start school the autumn they turn six, so year 5 ends in June of the year they turn
    // 12. A child who started early or late is the caseworker's to see, on review.
    childHasNotFinishedYear5: {
      from: (k) => String(k.answers.leaveTo) < `${Number(k.child?.birthDate.slice(0, 4)) + 12}-06-15`,
    },
    // What Samla has decided for the child before: the applicant's own days and the other
    // parent's. Samla records no transfers between parents yet, so those counts are zero.
    daysUsedSicknessLevel: {
      from: (k) =>
        sum(
          k.earlier.filter((c) => c.mine && granted(c)),
          'requestedSicknessLevelDays',
        ),
    },
    daysUsedLowestLevel: {
      from: (k) =>
        sum(
          k.earlier.filter((c) => c.mine && granted(c)),
          'requestedLowestLevelDays',
        ),
    },
    otherParentDaysUsedSicknessLevel: {
      from: (k) =>
        sum(
          k.earlier.filter((c) => !c.mine && granted(c)),
          'requestedSicknessLevelDays',
        ),
    },
    otherParentDaysUsedLowestLevel: {
      from: (k) =>
        sum(
          k.earlier.filter((c) => !c.mine && granted(c)),
          'requestedLowestLevelDays',
        ),
    },
    daysTransferredToOtherParentSicknessLevel: { from: () => 0 },
    daysTransferredToOtherParentLowestLevel: { from: () => 0 },
    daysReceivedFromOtherParentSicknessLevel: { from: () => 0 },
    daysReceivedFromOtherParentLowestLevel: { from: () => 0 },
    daysTransferredToOtherInsuredSicknessLevel: { from: () => 0 },
    daysTransferredToOtherInsuredLowestLevel: { from: () => 0 },
    otherParentDaysTransferredToOtherInsured: { from: () => 0 },
    // Both parents declare the double days they take together; each is counted once.
    doubleDaysUsed: {
      from: (k) =>
        Math.max(
          sum(
            k.earlier.filter((c) => c.mine && granted(c)),
            'requestedDoubleDays',
          ),
          sum(
            k.earlier.filter((c) => !c.mine && granted(c)),
            'requestedDoubleDays',
          ),
        ),
    },
    familyDaysUsedSinceFourthBirthday: {
      from: (k) => {
        const fourth = Temporal.PlainDate.from(k.child?.birthDate ?? k.today)
          .add({ years: 4 })
          .toString()
        const since = k.earlier.filter((c) => granted(c) && String(c.inputs.leaveFrom) >= fourth)
        return sum(since, 'requestedSicknessLevelDays') + sum(since, 'requestedLowestLevelDays')
      },
    },
  },
  asked: [
    { input: 'leaveFrom' },
    { input: 'leaveTo' },
    { input: 'requestedSicknessLevelDays' },
    { input: 'requestedLowestLevelDays', prefill: () => 0 },
    { input: 'requestedDoubleDays', prefill: () => 0 },
    { input: 'custody' },
    {
      input: 'qualifiedForSicknessLevel',
      prefill: (p) =>
        (p.occupation?.kind === 'employed' || p.occupation?.kind === 'self-employed') &&
        (p.occupation.annualIncomeSek ?? 0) > 0
          ? true
          : undefined,
    },
    { input: 'uncountedEarlierDays' },
  ],
  decideOn: (inputs) => String(inputs.leaveFrom),
  dates: { past: 365, future: 365 },
  check: (a) => {
    const problems: Problem[] = []
    const from = String(a.leaveFrom)
    const to = String(a.leaveTo)
    const days = Number(a.requestedSicknessLevelDays) + Number(a.requestedLowestLevelDays)
    const calendarDays = to >= from ? Temporal.PlainDate.from(from).until(to).days + 1 : 0
    for (const name of ['requestedSicknessLevelDays', 'requestedLowestLevelDays', 'requestedDoubleDays'])
      if (!Number.isInteger(Number(a[name]) * 8)) problems.push({ field: name, problem: 'eighths' })
    if (to < from) problems.push({ field: 'leaveTo', problem: 'last-before-first' })
    else if (days <= 0) problems.push({ field: 'requestedSicknessLevelDays', problem: 'no-days' })
    else if (days > calendarDays)
      problems.push({
        field: 'requestedSicknessLevelDays',
        problem: 'more-days-than-calendar-days',
        params: { days: calendarDays },
      })
    if (Number(a.requestedDoubleDays) > days)
      problems.push({ field: 'requestedDoubleDays', problem: 'more-double-days-than-days' })
    return problems
  },
  conflict: (earlier, a) => {
    const overlapping = earlier.find(
      (c) =>
        c.mine &&
        (OPEN.includes(c.status) || granted(c)) &&
        String(c.inputs.leaveFrom) <= String(a.leaveTo) &&
        String(a.leaveFrom) <= String(c.inputs.leaveTo),
    )
    return overlapping ? { field: 'leaveFrom', problem: 'period-already-applied' } : undefined
  },
  amounts: [
    { output: 'requestAmount', per: 'total' },
    { output: 'dailyAmountNow', per: 'day' },
  ],
  facts: [
    'childBirthDate',
    'leaveFrom',
    'leaveTo',
    'requestedSicknessLevelDays',
    'requestedLowestLevelDays',
    'requestedDoubleDays',
    'custody',
    'annualSgi',
    'qualifiedForSicknessLevel',
    'uncountedEarlierDays',
    'daysUsedSicknessLevel',
    'otherParentDaysUsedSicknessLevel',
  ],
  money: ['annualSgi'],
  reasons: [
    'withinAgeLimit',
    'earliestPayableDay',
    'sicknessLevelDaysLeft',
    'lowestLevelDaysLeft',
    'reservedDaysLeft',
    'daysLapsingAtFourthBirthday',
    'outcome',
  ],
  amountReasons: ['sgiCapped', 'sicknessLevelDailyAmount', 'inBasicLevelPeriod', 'requestAmount'],
}

/** Housing supplement for pensioners: the register gives the age and residence, the rest is asked. */
const bostadstillagg: BenefitService = {
  serviceId: 'bostadstillagg-for-pensionarer',
  slug: 'bostadstillagg',
  ruleSet: 'bostadstillagg',
  aboutChild: false,
  known: {
    birthDate: { from: (k) => k.person.identity?.birthDate ?? '', show: true },
    // Registered (folkbokförd) in a Swedish municipality.
    livesInSweden: { from: (k) => Boolean(k.person.address?.municipalityId), show: true },
  },
  asked: [
    {
      input: 'livesWithSpouseOrPartner',
      // A spouse in the register; a sambo is not registered, so "no" is never assumed.
      prefill: (p) => ((p.family ?? []).some((f) => f.kind === 'spouse') ? true : undefined),
    },
    { input: 'takesWholePublicPension' },
    { input: 'housingCostPerMonth' },
    { input: 'incomeAfterTaxPerMonth' },
  ],
  decideOn: (_inputs, today) => today,
  dates: { past: 0, future: 0 },
  check: () => [],
  conflict: (earlier) =>
    earlier.some((c) => c.mine && OPEN.includes(c.status))
      ? { field: 'livesWithSpouseOrPartner', problem: 'open-application' }
      : undefined,
  amounts: [
    { output: 'estimateBeforeIncomeAndAssets', per: 'month' },
    { output: 'housingCostCounted', per: 'month' },
  ],
  facts: [
    'birthDate',
    'livesInSweden',
    'livesWithSpouseOrPartner',
    'takesWholePublicPension',
    'housingCostPerMonth',
    'incomeAfterTaxPerMonth',
  ],
  money: ['housingCostPerMonth', 'incomeAfterTaxPerMonth'],
  reasons: [
    'meetsBasicConditions',
    'housingCostCounted',
    'estimateBeforeIncomeAndAssets',
    'likelyWorthApplying',
    'outcome',
    'queue',
  ],
  amountReasons: [],
}

export const BENEFIT_SERVICES: readonly BenefitService[] = [foraldrapenning, bostadstillagg]
