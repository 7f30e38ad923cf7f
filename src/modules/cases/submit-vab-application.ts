// A parent applies for temporary parental benefit (VAB) for care days. Samla prefills what it
// already knows (the child from the population register, the income and occupation), the rules
// decide each day at once when they can, and the case is stored with its decision, or queued for
// a caseworker, or waits for a certificate – all in one transaction, once per idempotency key.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { Temporal } from '../../platform/clock.ts'
import type { People } from '../people/index.ts'
import type { CompiledRuleSet, TraceEntry } from '../rules/index.ts'
import * as store from './cases-store.ts'
import type { CaseOutcome, CaseStatus, CasesTables } from './cases-tables.ts'

export const CARE_REASONS = ['child-ill', 'caregiver-ill', 'medical-visit', 'care-meeting'] as const
export const CARE_FRACTIONS = [1, 0.75, 0.5, 0.25, 0.125] as const

export interface VabApplication {
  childPersonId: string
  days: Array<{ date: string; fraction: number; reason: (typeof CARE_REASONS)[number] }>
  /** Days for which the applicant has a certificate from a nurse or doctor (or, for 12–15, a doctor's statement). */
  certificateDays?: string[]
  childInHospitalOrChildcare?: boolean
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
  | { kind: 'filed'; caseId: string; status: CaseStatus; outcome: CaseOutcome | null; replayed: boolean }
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

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex')
}

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
  }): Promise<SubmitResult> {
    const { applicantPersonId, idempotencyKey, application } = input
    const requestHash = hashOf(application)
    const earlier = await store.findByIdempotencyKey(db, applicantPersonId, idempotencyKey)
    if (earlier) {
      if (earlier.request_hash !== requestHash) return { kind: 'idempotency-conflict' }
      return {
        kind: 'filed',
        caseId: earlier.id,
        status: earlier.status,
        outcome: earlier.outcome,
        replayed: true,
      }
    }
    const problems = check(application)
    if (problems.length > 0) return { kind: 'invalid', problems }

    const applicant = await people.readPerson({
      actor: { kind: 'person', personId: applicantPersonId },
      purpose: 'application',
      personId: applicantPersonId,
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
    try {
      const filed = await db.transaction().execute(async (tx) => {
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
            seriouslyIll: false,
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
        const row = await tx
          .insertInto('cases.cases')
          .values({
            person_id: applicantPersonId,
            applicant_person_id: applicantPersonId,
            service_id: 'tillfallig-foraldrapenning-vab',
            agency_id: vab.file.agency,
            status,
            idempotency_key: idempotencyKey,
            request_hash: requestHash,
            application: JSON.stringify({
              ...application,
              childName: child.givenName,
              prefilled: { annualSgi: occupation?.annualIncomeSek ?? null, employment },
            }),
            rule_set: vab.id,
            rule_set_version: vab.version,
            outcome,
            decision: JSON.stringify(decision),
            queue_reason: needsCaseworker
              ? 'conflicting-claims'
              : needsCertificate
                ? 'certificate-needed'
                : null,
            submitted_at: now,
            updated_at: now,
            decided_at: status === 'decided' ? now : null,
            decided_by: status === 'decided' ? `rules:${vab.id}@${vab.version}` : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await tx
          .insertInto('cases.care_days')
          .values(
            decisions.map((d) => ({
              case_id: row.id,
              child_person_id: child.personId,
              claimant_person_id: applicantPersonId,
              care_date: d.date,
              fraction: d.fraction,
              outcome: d.outcome,
            })),
          )
          .execute()
        const events: Array<{ kind: string; actor_kind: string; actor_id: string; data: string }> = [
          {
            kind: 'submitted',
            actor_kind: 'person',
            actor_id: applicantPersonId,
            data: JSON.stringify({ days: days.length }),
          },
        ]
        if (status === 'decided')
          events.push({
            kind: 'decided',
            actor_kind: 'rule',
            actor_id: `${vab.id}@${vab.version}`,
            data: JSON.stringify({ outcome }),
          })
        if (status === 'in-queue')
          events.push({
            kind: 'queued',
            actor_kind: 'rule',
            actor_id: `${vab.id}@${vab.version}`,
            data: JSON.stringify({ reason: 'conflicting-claims' }),
          })
        if (status === 'waiting-for-applicant')
          events.push({
            kind: 'completion-requested',
            actor_kind: 'rule',
            actor_id: `${vab.id}@${vab.version}`,
            data: JSON.stringify({
              reason: 'certificate-needed',
              days: decisions.filter((d) => d.outcome === 'needs-certificate').map((d) => d.date),
            }),
          })
        await tx
          .insertInto('cases.events')
          .values(events.map((e) => ({ ...e, case_id: row.id, at: now })))
          .execute()
        // Days recorded ahead are now applied for.
        await tx
          .updateTable('cases.recorded_care_days')
          .set({ applied_in_case: row.id })
          .where('person_id', '=', applicantPersonId)
          .where('child_person_id', '=', child.personId)
          .where(
            'care_date',
            'in',
            days.map((d) => d.date),
          )
          .execute()
        if (status === 'decided' || status === 'waiting-for-applicant')
          await store.postMessage(tx, {
            personId: applicantPersonId,
            caseId: row.id,
            kind: status === 'decided' ? 'decision' : 'request',
            at: now,
          })
        return { kind: 'filed' as const, caseId: row.id, status, outcome, replayed: false }
      })
      await logOthersRead(othersRead)
      return filed
    } catch (error) {
      await logOthersRead(othersRead)
      // Two submits with the same key at the same moment: the second finds the first.
      const again = await store.findByIdempotencyKey(db, applicantPersonId, idempotencyKey)
      if (!again) throw error
      if (again.request_hash !== requestHash) return { kind: 'idempotency-conflict' }
      return { kind: 'filed', caseId: again.id, status: again.status, outcome: again.outcome, replayed: true }
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
