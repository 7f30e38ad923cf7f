// A person applies for a benefit through a form built from the rule set's inputs: föräldrapenning
// from Försäkringskassan, bostadstillägg from Pensionsmyndigheten (benefit-services.ts says, per
// service, what Samla knows and what it asks). Samla fills in what it knows from the population
// register and its own earlier decisions, checks the answers, and lets the rules decide at once;
// when they cannot – missing or contradictory data, or an assessment the law leaves to a person –
// the case goes to the agency's queue with the rules' reason. One case per idempotency key.
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { Temporal } from '../../platform/clock.ts'
import type { People, PersonData } from '../people/index.ts'
import type { CompiledRuleSet, Inputs, TraceEntry } from '../rules/index.ts'
import { BENEFIT_SERVICES, type BenefitService, type EarlierCase, type Problem } from './benefit-services.ts'
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

type Text = { sv: string; en: string }

/** A question on the form, built from the rule set's description of the input. */
export interface BenefitField {
  name: string
  type: 'date' | 'number' | 'boolean' | 'choice' | 'text'
  label: Text
  choices?: readonly string[]
  minimum?: number
  maximum?: number
  integer?: boolean
}

export interface BenefitDecision {
  kind: 'benefit'
  ruleSet: string
  version: string
  /** The day whose parameters applied. */
  date: string
  rulesOutcome: string
  /** What the rules said of the outcome: the letter's first line, or why a caseworker decides. */
  summary: Text & { legalReference: string }
  amounts: Array<Text & { output: string; per: 'total' | 'day' | 'month'; amount: number }>
  /** The facts the decision rests on, named as the rule set names them. */
  facts: Array<
    Text & { input: string; type: BenefitField['type'] | 'money'; value: string | number | boolean }
  >
  reasons: Array<Text & { rule: string; legalReference: string }>
  provisions: string[]
  caseworker?: { note: string; amount?: number }
  /** A benefit paid each month: how much to the person, and when the money first comes. */
  payment?: { perMonth: number; firstMonth: string; firstDate: string }
}

export type BenefitSubmitResult =
  | Filed
  | { kind: 'idempotency-conflict' }
  | { kind: 'not-your-child' }
  | { kind: 'person-not-found' }
  | { kind: 'invalid'; problems: Problem[] }

const OUTCOMES: Record<string, { status: CaseStatus; outcome: CaseOutcome | null }> = {
  approved: { status: 'decided', outcome: 'approved' },
  rejected: { status: 'decided', outcome: 'rejected' },
  'manual-review': { status: 'in-queue', outcome: null },
}

/** The questions of a service, in the order asked, from its rule set's inputs. */
export function fieldsOf(service: BenefitService, ruleSet: CompiledRuleSet): BenefitField[] {
  return service.asked.map(({ input: name }) => {
    const input = ruleSet.file.inputs[name]
    if (!input) throw new Error(`${service.slug}: the rule set ${ruleSet.id} has no input ${name}`)
    const type =
      input.type === 'integer'
        ? 'number'
        : input.type === 'text'
          ? input.oneOf
            ? 'choice'
            : 'text'
          : input.type
    return {
      name,
      type,
      label: input.description,
      ...(input.oneOf ? { choices: input.oneOf } : {}),
      ...(input.minimum !== undefined ? { minimum: input.minimum } : {}),
      ...(input.maximum !== undefined ? { maximum: input.maximum } : {}),
      ...(input.type === 'integer' ? { integer: true } : {}),
    }
  })
}

function realDate(text: string): Temporal.PlainDate | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' })
  } catch {
    return undefined
  }
}

/**
 * The answers as the rules take them, from a form (text) or the API (typed values). Each problem
 * names the field and what is wrong, for a message a person can act on.
 */
export function readAnswers(
  fields: BenefitField[],
  raw: Record<string, unknown>,
  dates: { today: Temporal.PlainDate; past: number; future: number },
): { answers: Inputs; problems: Problem[] } {
  const answers: Inputs = {}
  const problems: Problem[] = []
  for (const f of fields) {
    const given = raw[f.name]
    const text = typeof given === 'string' ? given.trim() : given
    if (text === undefined || text === null || text === '') {
      problems.push({ field: f.name, problem: 'required' })
      continue
    }
    switch (f.type) {
      case 'boolean':
        if (text === true || text === 'true') answers[f.name] = true
        else if (text === false || text === 'false') answers[f.name] = false
        else problems.push({ field: f.name, problem: 'choice' })
        break
      case 'number': {
        // "6 500", "6 500 kr" and "2,5" are numbers as people write them.
        const n =
          typeof text === 'number'
            ? text
            : typeof text === 'string' && /^-?\d[\d\s\u00a0\u202f]*([.,]\d+)?(\s*kr)?$/i.test(text)
              ? Number(
                  text
                    .replace(/\s*kr$/i, '')
                    .replace(/[\s\u00a0\u202f]/g, '')
                    .replace(',', '.'),
                )
              : Number.NaN
        if (!Number.isFinite(n) || (f.integer && !Number.isInteger(n)))
          problems.push({ field: f.name, problem: f.integer ? 'whole-number' : 'number' })
        else if ((f.minimum !== undefined && n < f.minimum) || (f.maximum !== undefined && n > f.maximum))
          problems.push({
            field: f.name,
            problem: 'range',
            params: { min: f.minimum ?? 0, max: f.maximum ?? n },
          })
        else answers[f.name] = n
        break
      }
      case 'date': {
        const date = typeof text === 'string' ? realDate(text) : undefined
        if (!date) {
          problems.push({ field: f.name, problem: 'date' })
          break
        }
        const from = dates.today.subtract({ days: dates.past })
        const to = dates.today.add({ days: dates.future })
        if (Temporal.PlainDate.compare(date, from) < 0 || Temporal.PlainDate.compare(date, to) > 0)
          problems.push({
            field: f.name,
            problem: 'date-range',
            params: { from: from.toString(), to: to.toString() },
          })
        else answers[f.name] = date.toString()
        break
      }
      default:
        if (typeof text !== 'string' || (f.choices && !f.choices.includes(text)))
          problems.push({ field: f.name, problem: 'choice' })
        else answers[f.name] = text.slice(0, 200)
    }
  }
  return { answers, problems }
}

export function createSubmitBenefitApplication(deps: {
  db: Kysely<CasesTables>
  people: People
  rules: Map<string, CompiledRuleSet>
  clock: Clock
  competentAuthority?: (serviceId: string) => Promise<string | undefined>
}) {
  const { db, people, clock } = deps

  /**
   * The agency the case goes to: the catalogue's competent authority for the service (the
   * municipality where the person lives, for a municipal service), else the rule set's agency.
   */
  async function responsibleAgency(service: BenefitService, ruleSet: CompiledRuleSet, person: PersonData) {
    const authority = await deps.competentAuthority?.(service.serviceId)
    if (authority === '$municipality' && person.address) return person.address.municipalityId
    return authority && !authority.startsWith('$') ? authority : ruleSet.file.agency
  }

  // Every service's rule set is there, and each of its inputs is known or asked: checked once, at
  // start, so that a changed rule file cannot leave an input unanswered.
  const services = new Map(
    BENEFIT_SERVICES.map((service) => {
      const ruleSet = deps.rules.get(service.ruleSet)
      if (!ruleSet) throw new Error(`data/rules has no ${service.ruleSet} rule set`)
      const covered = [...Object.keys(service.known), ...service.asked.map((a) => a.input)]
      const inputs = Object.keys(ruleSet.file.inputs)
      const missing = inputs.filter((i) => !covered.includes(i))
      const extra = covered.filter((i) => !inputs.includes(i))
      if (missing.length > 0 || extra.length > 0)
        throw new Error(
          `${service.slug}: the inputs of ${ruleSet.id} are not all known or asked (missing: ${missing.join(', ') || '–'}; not in the rule set: ${extra.join(', ') || '–'})`,
        )
      return [service.slug, { service, ruleSet, fields: fieldsOf(service, ruleSet) }] as const
    }),
  )

  /** The applicant's data, read by them or by whoever files for them, within the service. */
  const readApplicant = (personId: string, filedBy: FiledBy | undefined, serviceId: string) =>
    people.readPerson({ ...applicantReader(personId, filedBy, serviceId), purpose: 'application' })

  const childrenOf = (person: PersonData) =>
    (person.family ?? []).filter((f) => f.kind === 'child' && f.custody)

  /**
   * The form, prefilled: what Samla knows (shown, not asked), the children the application can
   * concern, and the questions with what they start from.
   */
  async function openBenefitForm(applicantPersonId: string, slug: string, filedBy?: FiledBy) {
    const found = services.get(slug)
    if (!found) return undefined
    const person = await readApplicant(applicantPersonId, filedBy, found.service.serviceId)
    if (!person) return undefined
    const { service, ruleSet, fields } = found
    const today = clock.today().toString()
    const known = Object.entries(service.known)
      .filter(([, k]) => k.show)
      .map(([name, k]) => {
        const input = ruleSet.file.inputs[name]
        const value = k.from({ person, today, answers: {}, earlier: [] })
        return {
          ...factOf(service, name, input?.type, value),
          sv: input?.description.sv ?? name,
          en: input?.description.en ?? name,
        }
      })
    const prefill: Record<string, string> = {}
    for (const a of service.asked) {
      const value = a.prefill?.(person)
      if (value !== undefined) prefill[a.input] = String(value)
    }
    return {
      service,
      ruleSet,
      fields,
      person,
      known,
      prefill,
      children: service.aboutChild ? childrenOf(person) : [],
    }
  }

  async function submitBenefitApplication(input: {
    applicantPersonId: string
    slug: string
    idempotencyKey: string
    childPersonId?: string
    answers: Record<string, unknown>
    /** Someone filing for the applicant: a guardian or the holder of a power of attorney. */
    filedBy?: FiledBy | undefined
  }): Promise<BenefitSubmitResult> {
    const { applicantPersonId, idempotencyKey } = input
    const found = services.get(input.slug)
    if (!found) return { kind: 'person-not-found' }
    const { service, ruleSet, fields } = found
    const given = Object.fromEntries(fields.map((f) => [f.name, input.answers[f.name] ?? null]))
    const requestHash = requestHashOf({ childPersonId: input.childPersonId ?? null, answers: given })
    const earlier = await findReplay(db, applicantPersonId, idempotencyKey, requestHash)
    if (earlier) return earlier

    const today = clock.today()
    const { answers, problems } = readAnswers(fields, input.answers, { today, ...service.dates })
    if (service.aboutChild && !input.childPersonId) problems.unshift({ field: 'child', problem: 'child' })
    if (problems.length > 0) return { kind: 'invalid', problems }
    const contradictions = service.check(answers)
    if (contradictions.length > 0) return { kind: 'invalid', problems: contradictions }

    const person = await readApplicant(applicantPersonId, input.filedBy, service.serviceId)
    if (!person) return { kind: 'person-not-found' }
    const child = service.aboutChild
      ? childrenOf(person).find((c) => c.personId === input.childPersonId)
      : undefined
    if (service.aboutChild && !child) return { kind: 'not-your-child' }
    const agencyId = await responsibleAgency(service, ruleSet, person)

    // Other applicants' cases for the same child are read inside the transaction; each of them
    // sees the read in their log.
    const othersRead = new Set<string>()
    const key = { applicantPersonId, idempotencyKey, requestHash }
    try {
      return await fileOnce(db, key, () =>
        db.transaction().execute(async (tx) => {
          const about = child ? { childPersonId: child.personId } : { applicantPersonId: applicantPersonId }
          await store.lockApplications(tx, service.serviceId, about)
          // A submit with the same key that got the lock first has filed the case by now.
          const replay = await findReplay(tx, applicantPersonId, idempotencyKey, requestHash)
          if (replay) return replay
          const earlierCases: EarlierCase[] = (
            await store.earlierApplications(tx, service.serviceId, about)
          ).map((r) => {
            if (r.applicant_person_id && r.applicant_person_id !== applicantPersonId)
              othersRead.add(r.applicant_person_id)
            return {
              caseId: r.id,
              mine: r.applicant_person_id === applicantPersonId,
              applicantPersonId: r.applicant_person_id ?? r.person_id,
              status: r.status,
              outcome: r.outcome,
              inputs: ((r.application as { inputs?: Inputs }).inputs ?? {}) as Inputs,
            }
          })
          const conflict = service.conflict(earlierCases, answers)
          if (conflict) return { kind: 'invalid' as const, problems: [conflict] }

          const inputs: Inputs = { ...answers }
          const knownValues: Inputs = {}
          for (const [name, k] of Object.entries(service.known)) {
            const value = k.from({
              person,
              today: today.toString(),
              answers,
              earlier: earlierCases,
              ...(child ? { child } : {}),
            })
            inputs[name] = value
            knownValues[name] = value
          }
          const date = service.decideOn(inputs, today.toString())
          let evaluation: ReturnType<CompiledRuleSet['evaluateWithTrace']>
          try {
            evaluation = ruleSet.evaluateWithTrace(inputs, date)
          } catch {
            // No parameters for the day (before the rules' first date): say which date to change.
            return {
              kind: 'invalid' as const,
              problems: [
                {
                  field: fields.find((f) => f.type === 'date')?.name ?? fields[0]?.name ?? 'form',
                  problem: 'date-not-covered',
                },
              ],
            }
          }
          const rulesOutcome = String(evaluation.outputs.outcome)
          const next = OUTCOMES[rulesOutcome] ?? { status: 'in-queue' as const, outcome: null }
          const decision = decisionOf(
            service,
            ruleSet,
            inputs,
            date,
            rulesOutcome,
            evaluation.trace,
            evaluation.outputs,
          )
          const caseId = await fileCase(tx, {
            applicantPersonId,
            filedBy: input.filedBy,
            serviceId: service.serviceId,
            agencyId,
            idempotencyKey,
            requestHash,
            application: {
              ...(child ? { childPersonId: child.personId, childName: child.givenName } : {}),
              answers,
              prefilled: knownValues,
              inputs,
            },
            ruleSet,
            status: next.status,
            outcome: next.outcome,
            decision,
            queueReason: next.status === 'in-queue' ? 'rules-cannot-decide' : null,
            submitted: { form: service.slug },
            at: new Date(clock.now().epochMilliseconds),
          })
          return {
            kind: 'filed' as const,
            caseId,
            status: next.status,
            outcome: next.outcome,
            replayed: false,
          }
        }),
      )
    } finally {
      for (const personId of othersRead)
        await people.recordRead({
          actor: { kind: 'rule', ruleSet: `${ruleSet.id}@${ruleSet.version}`, agencyId },
          purpose: 'case-decision',
          personId,
        })
    }
  }

  return {
    openBenefitForm,
    submitBenefitApplication,
    /** The services applied for this way, with their questions (the API's schemas are built from them). */
    benefitServices: () =>
      [...services.values()].map(({ service, ruleSet, fields }) => ({
        service,
        fields,
        title: ruleSet.file.title,
      })),
  }
}

function factOf(
  service: BenefitService,
  name: string,
  type: string | undefined,
  value: string | number | boolean,
): { input: string; type: BenefitDecision['facts'][number]['type']; value: string | number | boolean } {
  const kind = service.money.includes(name)
    ? 'money'
    : type === 'integer'
      ? 'number'
      : type === 'text'
        ? 'choice'
        : ((type ?? 'text') as BenefitField['type'])
  return { input: name, type: kind, value }
}

/** The decision as the letter shows it: outcome, amounts, facts, reasons and provisions. */
function decisionOf(
  service: BenefitService,
  ruleSet: CompiledRuleSet,
  inputs: Inputs,
  date: string,
  rulesOutcome: string,
  trace: TraceEntry[],
  outputs: Record<string, unknown>,
): BenefitDecision {
  const wanted = new Set([...service.reasons, ...(rulesOutcome === 'approved' ? service.amountReasons : [])])
  const reasons = trace
    .filter((t) => wanted.has(t.rule))
    .map((t) => ({
      rule: t.rule,
      legalReference: t.legalReference,
      sv: ruleSet.explain(t, 'sv'),
      en: ruleSet.explain(t, 'en'),
    }))
  const outcomeEntry = trace.find((t) => t.rule === 'outcome')
  const rule = (id: string) => ruleSet.file.rules.find((r) => r.id === id)
  return {
    kind: 'benefit',
    ruleSet: ruleSet.id,
    version: ruleSet.version,
    date,
    rulesOutcome,
    summary: {
      sv: outcomeEntry ? ruleSet.explain(outcomeEntry, 'sv') : rulesOutcome,
      en: outcomeEntry ? ruleSet.explain(outcomeEntry, 'en') : rulesOutcome,
      legalReference: outcomeEntry?.legalReference ?? '',
    },
    amounts: service.amounts.map((a) => ({
      output: a.output,
      per: a.per,
      amount: Number(outputs[a.output] ?? 0),
      sv: rule(a.output)?.title.sv ?? a.output,
      en: rule(a.output)?.title.en ?? a.output,
    })),
    facts: service.facts.map((name) => {
      const input = ruleSet.file.inputs[name]
      return {
        ...factOf(service, name, input?.type, inputs[name] ?? ''),
        sv: input?.description.sv ?? name,
        en: input?.description.en ?? name,
      }
    }),
    reasons,
    // "SFB 12 kap.; prop. 2014/15:124" names two provisions: each is listed once.
    provisions: [...new Set(reasons.flatMap((r) => r.legalReference.split(';').map((p) => p.trim())))],
  }
}
