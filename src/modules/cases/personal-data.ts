// Everything the cases module holds about a person, for the download of all Samla holds about them
// (GDPR art. 15 and 20): their cases with applications, decisions, history and the documents'
// particulars (not their content, which the person sent themself), the inbox, and care days.
import type { Kysely } from 'kysely'
import * as store from './cases-store.ts'
import type { CasesTables } from './cases-tables.ts'

export function createCasesPersonalData(deps: { db: Kysely<CasesTables> }) {
  const { db } = deps

  async function collect(personId: string) {
    const rows = await store.listCasesOfPerson(db, personId)
    const cases = []
    for (const r of rows) {
      const events = await store.listEvents(db, r.id)
      const documents = await store.listDocuments(db, r.id)
      cases.push({
        id: r.id,
        serviceId: r.service_id,
        agencyId: r.agency_id,
        status: r.status,
        outcome: r.outcome,
        aboutYou: r.person_id === personId,
        appliedByYou: r.applicant_person_id === personId,
        filedBy: r.filed_by_basis ? { name: r.filed_by_name, basis: r.filed_by_basis } : null,
        submittedAt: r.submitted_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
        decidedAt: r.decided_at?.toISOString() ?? null,
        decidedBy: r.decided_by?.split(':')[0] ?? null,
        ruleSet: r.rule_set ? { id: r.rule_set, version: r.rule_set_version } : null,
        queueReason: r.queue_reason,
        application: r.application,
        decision: r.decision,
        history: events.map((e) => ({
          at: e.at.toISOString(),
          kind: e.kind,
          by: e.actor_kind,
          data: e.data,
        })),
        documents: documents.map((d) => ({
          id: d.id,
          kind: d.kind,
          fileName: d.file_name,
          contentType: d.content_type,
          sizeBytes: d.size_bytes,
          uploadedAt: d.uploaded_at.toISOString(),
        })),
      })
    }
    const messages = await db
      .selectFrom('cases.messages')
      .select(['id', 'case_id', 'kind', 'created_at', 'read_at'])
      .where('person_id', '=', personId)
      .orderBy('created_at')
      .execute()
    const recordedCareDays = await db
      .selectFrom('cases.recorded_care_days')
      .select(['child_person_id', 'care_date', 'fraction', 'reason', 'recorded_at', 'applied_in_case'])
      .where('person_id', '=', personId)
      .orderBy('care_date')
      .execute()
    const claimedCareDays = await db
      .selectFrom('cases.care_days')
      .select(['case_id', 'child_person_id', 'care_date', 'fraction', 'outcome'])
      .where('claimant_person_id', '=', personId)
      .orderBy('care_date')
      .execute()
    return {
      cases,
      messages: messages.map((m) => ({
        id: m.id,
        caseId: m.case_id,
        kind: m.kind,
        createdAt: m.created_at.toISOString(),
        readAt: m.read_at?.toISOString() ?? null,
      })),
      recordedCareDays: recordedCareDays.map((d) => ({
        childPersonId: d.child_person_id,
        date: d.care_date,
        fraction: Number(d.fraction),
        reason: d.reason,
        recordedAt: d.recorded_at.toISOString(),
        appliedInCase: d.applied_in_case,
      })),
      claimedCareDays: claimedCareDays.map((d) => ({
        caseId: d.case_id,
        childPersonId: d.child_person_id,
        date: d.care_date,
        fraction: Number(d.fraction),
        outcome: d.outcome,
      })),
    }
  }

  return { id: 'cases', collect }
}
