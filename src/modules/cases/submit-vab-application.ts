// A parent applies for temporary parental benefit (VAB) for care days. Samla prefills what it
// already knows (the child from the population register, the income and occupation), the rules
// decide each day at once when they can, and the case is stored with its decision, or queued for
// a caseworker, or waits for a certificate – all in one transaction, once per idempotency key.
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { Temporal } from '../../platform/clock.ts'
import type { People } from '../people/index.ts'
import type { CompiledRuleSet, TraceEntry } from '../rules/index.ts'
import * as store from './cases-store.ts'
import type { CaseOutcome, CaseStatus, CasesTables } from './cases-tables.ts'
import {
  applicantReader,
  type Filed,
  type FiledBy,
  fileCase,
  fileOnce,
  findReplay,
  requestHashOf,
} from './file-case.ts'

export const CARE_REASONS = ['child-ill', 'caregiver-ill', 'medical-visit', 'care-meeting'] as const
export const CARE_FRACTIONS = [1, 0.75, 0.5, 0.25, 0.125] as const

export interface VabApplication {
  childPersonId: string
  days: Array<{ date: string; fraction: number; reason: (typeof CARE_REASONS)[number] }>
  /** Days for which the applicant has a certificate from a nurse or doctor (or, for 12–15, a doctor's statement). */
  certificateDays?: string[]
  childInHospitalOrChildcare?: boolean
  /** The child is seriously ill (a real threat to the child's life): no limit on days, with a doctor's statement. */
  seriouslyIll?: boolean
}

export interface DayDecision {
  date: string
  fraction: number
  reason: string
  outcome: 'approved' | 'rejected' | 'needs-certificate' | 'manual-review'
  amount: number
  daysCounted: number
  /** The reasons in words, with the provisions applied (FL 32 §). */
  reasons: Array<{ rule: string; legalReference: string; sv: string; en: string }>
  /** The facts the rules were given for the day, kept for the caseworker and for review. */
  inputs: Record<string, string | number | boolean>
  decidedBy?: 'rules' | 'caseworker'
}

export interface VabDecision {
  ruleSet: string
  version: string
  days: DayDecision[]
  totalAmount: number
  daysCounted: number
  provisions: string[]
}

export type SubmitResult =
  | Filed
  | { kind: 'not-your-child' }
  | { kind: 'person-not-found' }
  | { kind: 'invalid'; problems: Array<{ field: string; problem: string }> }
  | { kind: 'idempotency-conflict' }

const DECIDING_RULES = [
  'ageGroup',
  'applicantEligible',
  'reasonAllowed',
  'withinYearLimit',
  'appliedInTime',
  'certificateRequired',
  'outcome',
]

function parseDate(value: string): Temporal.PlainDate | undefined {
  try {
    return /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? Temporal.PlainDate.from(value, { overflow: 'reject' })
      : undefined
  } catch {
    return undefined
  }
}

/**
 * The care period a day belongs to starts at the first day of an unbroken run of care days for the
 * child, by anyone; a gap of up to two days (a weekend) does not break it, since calendar days count.
 */
export function dayOfCarePeriod(date: string, careDates: Set<string>): number {
  let start = Temporal.PlainDate.from(date)
  for (;;) {
    let previous: Temporal.PlainDate | undefined
    for (let back = 1; back <= 3; back++) {
      const candidate = start.subtract({ days: back })
      if (careDates.has(candidate.toString())) {
        previous = candidate
        break
      }
    }
    if (!previous) break
    start = previous
  }
  return start.until(Temporal.PlainDate.from(date)).days + 1
}

export function createSubmitVabApplication(deps: {
  db: Kysely<CasesTables>
  people: People
  vab: CompiledRuleSet
  clock: Clock
}) {
  const { db, people, vab, clock } = deps

  function check(application: VabApplication): Array<{ field: string; problem: string }> {
    const problems: Array<{ field: string; problem: string }> = []
    const today = clock.today()
    const seen = new Set<string>()
    application.days.forEach((day, i) => {
      const date = parseDate(day.date)
      if (!date) problems.push({ field: `days.${i}.date`, problem: 'date-invalid' })
      else if (Temporal.PlainDate.compare(date, today) > 0)
        problems.push({ field: `days.${i}.date`, problem: 'date-in-future' })
      else if (date.until(today).days > 400)
        problems.push({ field: `days.${i}.date`, problem: 'date-too-old' })
      if (seen.has(day.date)) problems.push({ field: `days.${i}.date`, problem: 'date-twice' })
      seen.add(day.date)
    })
    for (const [i, d] of (application.certificateDays ?? []).entries())
      if (!seen.has(d))
        problems.push({ field: `certificateDays.${i}`, problem: 'certificate-day-not-applied-for' })
    return problems
  }

  async function submitVabApplication(input: {
    applicantPersonId: string
    idempotencyKey: string
    application: VabApplication
    /** Someone filing for the applicant: the holder of a power of attorney for parental benefits. */
    filedBy?: FiledBy | undefined
  }): Promise<SubmitResult> {
    const { applicantPersonId, idempotencyKey, application, filedBy } = input
    const requestHash = requestHashOf(application)
    const earlier = await findReplay(db, applicantPersonId, idempotencyKey, requestHash)
    if (earlier) return earlier
    const problems = check(application)
    if (problems.length > 0) return { kind: 'invalid', problems }

    const applicant = await people.readPerson({
      ...applicantReader(applicantPersonId, filedBy, 'tillfallig-foraldrapenning-vab'),
      purpose: 'application',
    })
    if (!applicant) return { kind: 'person-not-found' }
    const child = applicant.family?.find(
      (f) => f.kind === 'child' && f.custody && f.personId === application.childPersonId,
    )
    if (!child) return { kind: 'not-your-child' }

    const today = clock.today().toString()
    const days = [...application.days].sort((a, b) => a.date.localeCompare(b.date))
    const certificates = new Set(application.certificateDays ?? [])
    const occupation = applicant.occupation
    const employment =
      occupation?.kind === 'unemployed'
        ? 'unemployed'
        : occupation?.kind === 'self-employed'
          ? 'self-employed'
          : 'employee'

    // Other people's claims for the child are read inside the transaction; who they were is kept
    // here so that each of them sees the read in their log.
    const othersRead = new Set<string>()
    const key = { applicantPersonId, idempotencyKey, requestHash }
    try {
      return await fileOnce(db, key, () =>
        db.transaction().execute(async (tx) => {
          await store.lockChild(tx, child.personId)
          const first = days[0]?.date ?? today
          const last = days.at(-1)?.date ?? today
          const yearStart = `${first.slice(0, 4)}-01-01`
          const existing = await store.careDaysOfChild(
            tx,
            child.personId,
            yearStart < first ? yearStart : first,
            last,
          )
          for (const d of existing)
            if (d.claimant_person_id !== applicantPersonId) othersRead.add(d.claimant_person_id)
          const careDates = new Set([
            ...existing.filter((d) => d.outcome !== 'rejected').map((d) => d.care_date),
            ...days.map((d) => d.date),
          ])
          const usedBefore = (date: string, extra: number) =>
            existing
              .filter(
                (d) =>
                  d.outcome === 'approved' &&
                  d.care_date < date &&
                  d.care_date.slice(0, 4) === date.slice(0, 4),
              )
              .reduce((sum, d) => sum + Number(d.fraction), 0) + extra
          let approvedInThisApplication = 0
          const decisions: DayDecision[] = days.map((day) => {
            const other = existing
              .filter(
                (d) =>
                  d.care_date === day.date &&
                  d.claimant_person_id !== applicantPersonId &&
                  d.outcome !== 'rejected',
              )
              .reduce((sum, d) => sum + Number(d.fraction), 0)
            const inputs = {
              childBirthDate: child.birthDate,
              careDate: day.date,
              dayOfCarePeriod: dayOfCarePeriod(day.date, careDates),
              careFraction: day.fraction,
              reason: day.reason,
              seriouslyIll: application.seriouslyIll ?? false,
              inHospitalOrChildcare: application.childInHospitalOrChildcare ?? false,
              hasCertificate: certificates.has(day.date),
              hasDoctorStatement: certificates.has(day.date),
              hasAdvanceDecision: false,
              daysUsedThisYear: usedBefore(day.date, approvedInThisApplication),
              otherCareSameDay: other,
              applicant: 'parent',
              rightTransferred: false,
              annualSgi: occupation?.annualIncomeSek ?? 0,
              employment,
              applicationDate: today,
            }
            const evaluation = vab.evaluateWithTrace(inputs, day.date)
            const outcome = evaluation.outputs.outcome as DayDecision['outcome']
            const daysCounted = Number(evaluation.outputs.daysCounted)
            approvedInThisApplication += daysCounted
            return {
              date: day.date,
              fraction: day.fraction,
              reason: day.reason,
              outcome,
              amount: Number(evaluation.outputs.dailyAmount),
              daysCounted,
              reasons: reasonsOf(evaluation.trace, outcome),
              inputs,
              decidedBy: 'rules' as const,
            }
          })
          const decision: VabDecision = {
            ruleSet: vab.id,
            version: vab.version,
            days: decisions,
            totalAmount: Math.round(decisions.reduce((s, d) => s + d.amount, 0) * 100) / 100,
            daysCounted: decisions.reduce((s, d) => s + d.daysCounted, 0),
            provisions: [...new Set(decisions.flatMap((d) => d.reasons.map((r) => r.legalReference)))],
          }
          const needsCaseworker = decisions.some((d) => d.outcome === 'manual-review')
          const needsCertificate = decisions.some((d) => d.outcome === 'needs-certificate')
          const status: CaseStatus = needsCaseworker
            ? 'in-queue'
            : needsCertificate
              ? 'waiting-for-applicant'
              : 'decided'
          const outcome: CaseOutcome | null =
            status !== 'decided'
              ? null
              : decisions.every((d) => d.outcome === 'approved')
                ? 'approved'
                : decisions.every((d) => d.outcome === 'rejected')
                  ? 'rejected'
                  : 'partly-approved'
          const now = new Date(clock.now().epochMilliseconds)
          const queueReason = needsCaseworker
            ? 'conflicting-claims'
            : needsCertificate
              ? 'certificate-needed'
              : null
          const caseId = await fileCase(
            tx,
            {
              applicantPersonId,
              filedBy,
              serviceId: 'tillfallig-foraldrapenning-vab',
              agencyId: vab.file.agency,
              idempotencyKey,
              requestHash,
              application: {
                ...application,
                childName: child.givenName,
                prefilled: { annualSgi: occupation?.annualIncomeSek ?? null, employment },
              },
              ruleSet: vab,
              status,
              outcome,
              decision,
              queueReason,
              submitted: { days: days.length },
              ...(status === 'waiting-for-applicant'
                ? {
                    step: {
                      reason: queueReason,
                      days: decisions.filter((d) => d.outcome === 'needs-certificate').map((d) => d.date),
                    },
                  }
                : {}),
              at: now,
            },
            (caseId) => [
              tx.insertInto('cases.care_days').values(
                decisions.map((d) => ({
                  case_id: caseId,
                  child_person_id: child.personId,
                  claimant_person_id: applicantPersonId,
                  care_date: d.date,
                  fraction: d.fraction,
                  outcome: d.outcome,
                })),
              ),
              // Days recorded ahead are now applied for.
              tx
                .updateTable('cases.recorded_care_days')
                .set({ applied_in_case: caseId })
                .where('person_id', '=', applicantPersonId)
                .where('child_person_id', '=', child.personId)
                .where(
                  'care_date',
                  'in',
                  days.map((d) => d.date),
                ),
            ],
          )
          return { kind: 'filed' as const, caseId, status, outcome, replayed: false }
        }),
      )
    } finally {
      await logOthersRead(othersRead)
    }
  }

  async function logOthersRead(personIds: Set<string>) {
    for (const personId of personIds)
      await people.recordRead({
        actor: { kind: 'rule', ruleSet: `${vab.id}@${vab.version}`, agencyId: vab.file.agency },
        purpose: 'case-decision',
        personId,
      })
  }

  function reasonsOf(trace: TraceEntry[], outcome: string): DayDecision['reasons'] {
    const wanted =
      outcome === 'approved'
        ? [
            'ageGroup',
            'applicantEligible',
            'reasonAllowed',
            'appliedInTime',
            'sgiCapped',
            'fullDayAmount',
            'dailyAmount',
            'outcome',
          ]
        : DECIDING_RULES
    return trace
      .filter(
        (t) =>
          wanted.includes(t.rule) &&
          !(outcome !== 'approved' && t.rule === 'certificateRequired' && t.value === false),
      )
      .map((t) => ({
        rule: t.rule,
        legalReference: t.legalReference,
        sv: vab.explain(t, 'sv'),
        en: vab.explain(t, 'en'),
      }))
  }

  return { submitVabApplication, reasonsOf }
}
