// The applicant completes a case that waits for them: a certificate for the days that need one.
// The document is kept with the case, and the rules decide the waiting days at once.
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { CompiledRuleSet } from '../rules/index.ts'
import * as store from './cases-store.ts'
import type { CaseOutcome, CaseStatus, CasesTables } from './cases-tables.ts'
import { outcomeOf, storeDayOutcomes, withDays } from './decision-days.ts'
import type { FiledBy } from './file-case.ts'
import type { DayDecision, VabDecision } from './submit-vab-application.ts'

export const DOCUMENT_TYPES = {
  'application/pdf': '%PDF',
  'image/jpeg': '\xff\xd8\xff',
  'image/png': '\x89PNG',
} as const
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

export interface UploadedDocument {
  fileName: string
  contentType: string
  content: Uint8Array
}

export type CompleteResult =
  | { kind: 'completed'; status: CaseStatus; outcome: CaseOutcome | null }
  | { kind: 'not-found' }
  | { kind: 'not-waiting' }
  | { kind: 'invalid-document'; problem: 'type' | 'size' | 'empty' }

/** The file is what it says it is: its first bytes match the type, and it is not too large. */
export function checkDocument(doc: UploadedDocument): 'type' | 'size' | 'empty' | undefined {
  if (doc.content.byteLength === 0) return 'empty'
  if (doc.content.byteLength > MAX_DOCUMENT_BYTES) return 'size'
  const magic = DOCUMENT_TYPES[doc.contentType as keyof typeof DOCUMENT_TYPES]
  if (!magic) return 'type'
  const head = String.fromCharCode(...doc.content.subarray(0, magic.length))
  return head === magic ? undefined : 'type'
}

export function createCompleteCase(deps: {
  db: Kysely<CasesTables>
  vab: CompiledRuleSet
  clock: Clock
  reasonsOf: (trace: never, outcome: string) => DayDecision['reasons']
}) {
  const { db, vab, clock } = deps

  async function sendCertificate(
    applicantPersonId: string,
    caseId: string,
    doc: UploadedDocument,
    /** Someone sending it for the applicant: a guardian or the holder of a power of attorney. */
    sentBy?: FiledBy,
  ): Promise<CompleteResult> {
    const problem = checkDocument(doc)
    if (problem) return { kind: 'invalid-document', problem }
    return db.transaction().execute(async (tx) => {
      const row = await store.findCaseForUpdate(tx, caseId)
      if (!row || row.applicant_person_id !== applicantPersonId) return { kind: 'not-found' as const }
      if (row.status !== 'waiting-for-applicant') return { kind: 'not-waiting' as const }
      const now = new Date(clock.now().epochMilliseconds)
      await tx
        .insertInto('cases.documents')
        .values({
          case_id: caseId,
          kind: 'certificate',
          file_name: doc.fileName.slice(0, 200),
          content_type: doc.contentType,
          size_bytes: doc.content.byteLength,
          content: doc.content,
          uploaded_by: sentBy?.personId ?? applicantPersonId,
          uploaded_at: now,
        })
        .execute()
      const decision = row.decision as unknown as VabDecision
      const days: DayDecision[] = decision.days.map((day) => {
        if (day.outcome !== 'needs-certificate') return day
        const inputs = { ...day.inputs, hasCertificate: true, hasDoctorStatement: true }
        const evaluation = vab.evaluateWithTrace(inputs, day.date)
        const outcome = evaluation.outputs.outcome as DayDecision['outcome']
        return {
          ...day,
          inputs,
          outcome,
          amount: Number(evaluation.outputs.dailyAmount),
          daysCounted: Number(evaluation.outputs.daysCounted),
          reasons: deps.reasonsOf(evaluation.trace as never, outcome),
        }
      })
      const queued = days.some((d) => d.outcome === 'manual-review')
      const status: CaseStatus = queued ? 'in-queue' : 'decided'
      const outcome: CaseOutcome | null = queued ? null : outcomeOf(days)
      const updated = withDays(decision, days)
      await tx
        .updateTable('cases.cases')
        .set({
          status,
          outcome,
          decision: JSON.stringify(updated),
          queue_reason: queued ? 'conflicting-claims' : null,
          updated_at: now,
          decided_at: queued ? null : now,
          decided_by: queued ? null : `rules:${vab.id}@${vab.version}`,
        })
        .where('id', '=', caseId)
        .execute()
      await storeDayOutcomes(tx, caseId, days)
      const actor = `${vab.id}@${vab.version}`
      await tx
        .insertInto('cases.events')
        .values([
          {
            case_id: caseId,
            at: now,
            actor_kind: 'person',
            actor_id: sentBy?.personId ?? applicantPersonId,
            kind: 'completed',
            data: JSON.stringify({
              document: doc.fileName.slice(0, 200),
              ...(sentBy ? { filedBy: { name: sentBy.name, basis: sentBy.basis } } : {}),
            }),
          },
          queued
            ? {
                case_id: caseId,
                at: now,
                actor_kind: 'rule',
                actor_id: actor,
                kind: 'queued',
                data: JSON.stringify({ reason: 'conflicting-claims' }),
              }
            : {
                case_id: caseId,
                at: now,
                actor_kind: 'rule',
                actor_id: actor,
                kind: 'decided',
                data: JSON.stringify({ outcome }),
              },
        ])
        .execute()
      if (!queued)
        await store.postMessage(tx, { personId: applicantPersonId, caseId, kind: 'decision', at: now })
      return { kind: 'completed' as const, status, outcome }
    })
  }

  return { sendCertificate }
}
