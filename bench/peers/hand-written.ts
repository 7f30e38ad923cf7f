// The two decisions written by hand in TypeScript, as a developer would without a rules engine:
// early returns in the order of the outcome table of vab/rules.yaml.
import type { RuleSetFile } from '../../src/modules/rules/index.ts'
import {
  ageYears,
  type BarnbidragParameters,
  type BarnbidragResult,
  dayNumber,
  type Peer,
  parametersOn,
  roundToOre,
  type VabInputs,
  type VabParameters,
  type VabResult,
} from './common.ts'

const PART_DAYS = [1, 0.75, 0.5, 0.25, 0.125]

type AgeGroup = 'seriously-ill' | 'infant' | 'under-12' | '12-15' | 'too-old'

function ageGroup(c: VabInputs, p: VabParameters): AgeGroup {
  const age = ageYears(c.childBirthDate, c.careDate)
  if (c.seriouslyIll && age < p.seriouslyIllMaxAge) return 'seriously-ill'
  if (dayNumber(c.careDate) - dayNumber(c.childBirthDate) < p.minAgeDays) return 'infant'
  if (age < p.maxAgeYears) return 'under-12'
  if (age < p.maxAgeWithDoctorStatement) return '12-15'
  return 'too-old'
}

function vabOutcome(c: VabInputs, p: VabParameters): string {
  if (!PART_DAYS.includes(c.careFraction)) return 'rejected'
  const applicantEligible =
    c.annualSgi > 0 &&
    (c.applicant === 'parent' ||
      c.applicant === 'equated-parent' ||
      (c.applicant === 'other-insured' && c.rightTransferred))
  if (!applicantEligible) return 'rejected'
  const group = ageGroup(c, p)
  if (group === 'too-old') return 'rejected'
  if (group === 'infant' && !c.inHospitalOrChildcare) return 'rejected'
  const firstCareDay = dayNumber(c.careDate) + 1 - c.dayOfCarePeriod
  if (dayNumber(c.applicationDate) > firstCareDay + p.applicationDeadlineDays) return 'rejected'
  const daysWithThisOne = c.daysUsedThisYear + c.careFraction
  if (group !== 'seriously-ill' && daysWithThisOne > p.daysPerChildYear) return 'rejected'
  const reasonAllowed =
    c.reason === 'care-meeting' && c.careDate < p.careMeetingsFrom
      ? false
      : group === 'seriously-ill' || c.reason === 'child-ill' || daysWithThisOne <= p.daysAnyReason
  if (!reasonAllowed) return 'rejected'
  if (c.careFraction + c.otherCareSameDay > 1) return 'manual-review'
  if (group === '12-15' && !c.hasAdvanceDecision && !c.hasDoctorStatement) return 'needs-certificate'
  if (group === 'under-12' && c.dayOfCarePeriod >= p.certificateFromDay && !c.hasCertificate)
    return 'needs-certificate'
  return 'approved'
}

export function createHandWritten(files: { vab: RuleSetFile; barnbidrag: RuleSetFile }): Peer {
  const vabParameters = parametersOn<VabParameters>(files.vab)
  const barnbidragParameters = parametersOn<BarnbidragParameters>(files.barnbidrag)
  return {
    name: 'hand-written TypeScript',
    vab(c, date): VabResult {
      const p = vabParameters(date)
      const outcome = vabOutcome(c, p)
      if (outcome !== 'approved') return { outcome, dailyAmount: 0 }
      const sgi = Math.min(c.annualSgi, p.sgiCapPbb * p.prisbasbelopp)
      const divisor = c.employment === 'unemployed' ? p.unemployedDayDivisor : p.employeeDayDivisor
      const fullDay = (sgi * p.sgiFactor * p.compensationRate) / divisor
      return { outcome, dailyAmount: roundToOre(fullDay * c.careFraction) }
    },
    barnbidrag(c, date): BarnbidragResult {
      const p = barnbidragParameters(date)
      const supplement =
        c.children <= 6
          ? (p.supplementByChildren[c.children] ?? 0)
          : (p.supplementByChildren[6] ?? 0) + (c.children - 6) * p.supplementPerFurtherChild
      const total = c.children * p.allowancePerChild + supplement
      return { total, perGuardian: c.jointCustody ? total / 2 : total }
    },
  }
}
