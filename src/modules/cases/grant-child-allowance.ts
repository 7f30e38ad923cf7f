// Barnbidrag without an application. When folkbokföringen registers a birth, Försäkringskassan's
// rules decide at once for each guardian: the allowance for the children in their care under 16,
// the large-family supplement counted over the household's children, the share of each guardian
// (half each with joint custody), and the first payment month. Each guardian gets a decided case
// with the letter's reasons and provisions, and a message in the inbox (which notify passes on).
// The register event's id is the case's idempotency key: a birth sent again grants nothing twice.
import type { Kysely } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { Temporal } from '../../platform/clock.ts'
import type { Actor, People, PersonData } from '../people/index.ts'
import type { CompiledRuleSet, Inputs } from '../rules/index.ts'
import * as store from './cases-store.ts'
import type { CasesTables } from './cases-tables.ts'
import { fileCase, fileOnce, findReplay, requestHashOf } from './file-case.ts'
import type { BenefitDecision } from './submit-benefit-application.ts'

export const CHILD_ALLOWANCE_SERVICE = 'barnbidrag'
const AGENCY = 'forsakringskassan'

/** What a guardian was granted, for their plan. */
export interface ChildAllowanceGrant {
  personId: string
  caseId: string
  perMonth: number
  firstMonth: string
  firstDate: string
  /** The birth had come before: nothing new was decided. */
  replayed: boolean
}

export interface BirthRegistered {
  /** The register event: the grant's idempotency key. */
  registerEventId: string
  childPersonId: string
  birthDate: string
}

const SUMMARY = {
  sv: 'Du får barnbidrag utan att ansöka. Försäkringskassan beslutade det när barnets födelse registrerades i folkbokföringen.',
  en: 'You receive child allowance without applying. Försäkringskassan decided it when the child’s birth was registered in the population register.',
  legalReference: 'SFB 15 kap.',
}

const under16 = (birthDate: string, on: string) =>
  Temporal.PlainDate.compare(
    Temporal.PlainDate.from(birthDate).add({ years: 16 }),
    Temporal.PlainDate.from(on),
  ) > 0

export function createGrantChildAllowance(deps: {
  db: Kysely<CasesTables>
  people: People
  rules: Map<string, CompiledRuleSet>
  clock: Clock
}) {
  const { db, people, clock } = deps
  const found = deps.rules.get('barnbidrag')
  if (!found) throw new Error('data/rules has no barnbidrag rule set')
  const ruleSet: CompiledRuleSet = found
  const actor: Actor = { kind: 'rule', ruleSet: `${ruleSet.id}@${ruleSet.version}`, agencyId: AGENCY }

  /** Decides barnbidrag for each guardian of a child whose birth was registered. */
  async function grantChildAllowance(birth: BirthRegistered): Promise<ChildAllowanceGrant[]> {
    return people.access.read({ actor, purpose: 'automatic-benefit' }, async () => {
      const read = (personId: string) => people.readPerson({ actor, purpose: 'automatic-benefit', personId })
      const child = await read(birth.childPersonId)
      if (!child) return []
      const guardianIds = (child.family ?? [])
        .filter((f) => f.kind === 'parent' && f.custody)
        .map((f) => f.personId)
      const guardians = (await Promise.all(guardianIds.map(read))).filter(
        (g): g is PersonData => g !== undefined,
      )
      if (guardians.length === 0) return []
      // The household's children: every child under 16 in the care of either guardian, the newborn included.
      const children = new Set([birth.childPersonId])
      for (const g of guardians)
        for (const f of g.family ?? [])
          if (f.kind === 'child' && f.custody && under16(f.birthDate, birth.birthDate))
            children.add(f.personId)
      const inputs: Inputs = {
        children: children.size,
        jointCustody: guardians.length === 2,
        birthDate: birth.birthDate,
      }
      let evaluation: ReturnType<CompiledRuleSet['evaluateWithTrace']>
      try {
        evaluation = ruleSet.evaluateWithTrace(inputs, birth.birthDate)
      } catch {
        // A birth before the rules' first parameters: not Samla's to decide.
        return []
      }
      const decision = decisionOf(inputs, birth.birthDate, evaluation.trace, evaluation.outputs)
      const childName = child.identity?.givenName ?? ''
      const grants: ChildAllowanceGrant[] = []
      for (const g of guardians) grants.push(await grantTo(g.id, birth, decision, childName))
      return grants
    })
  }

  async function grantTo(
    personId: string,
    birth: BirthRegistered,
    decision: BenefitDecision,
    childName: string,
  ): Promise<ChildAllowanceGrant> {
    const idempotencyKey = `register-event:${birth.registerEventId}`
    const requestHash = requestHashOf({
      registerEventId: birth.registerEventId,
      childPersonId: birth.childPersonId,
    })
    const key = { applicantPersonId: personId, idempotencyKey, requestHash }
    const filed = await fileOnce(db, key, () =>
      db.transaction().execute(async (tx) => {
        const replay = await findReplay(tx, personId, idempotencyKey, requestHash)
        if (replay) return replay
        const caseId = await fileCase(tx, {
          applicantPersonId: personId,
          serviceId: CHILD_ALLOWANCE_SERVICE,
          agencyId: AGENCY,
          idempotencyKey,
          requestHash,
          application: {
            childPersonId: birth.childPersonId,
            childName,
            registerEventId: birth.registerEventId,
            inputs: decision.facts.reduce<Inputs>((all, f) => Object.assign(all, { [f.input]: f.value }), {}),
          },
          ruleSet,
          status: 'decided',
          outcome: 'approved',
          decision,
          queueReason: null,
          submitted: {},
          opened: { kind: 'opened-by-birth', data: { birthDate: birth.birthDate } },
          at: new Date(clock.now().epochMilliseconds),
        })
        return {
          kind: 'filed' as const,
          caseId,
          status: 'decided' as const,
          outcome: 'approved' as const,
          replayed: false,
        }
      }),
    )
    if (filed.kind !== 'filed')
      throw new Error('a birth’s register event was decided with other facts before')
    // A birth sent again: the first decision stands, as it was.
    const stored = filed.replayed
      ? ((await store.findCase(db, filed.caseId))?.decision as BenefitDecision | null)
      : decision
    const payment = stored?.payment ?? decision.payment
    if (!payment) throw new Error('a child allowance decision without its payment')
    return { personId, caseId: filed.caseId, ...payment, replayed: filed.replayed }
  }

  function decisionOf(
    inputs: Inputs,
    date: string,
    trace: ReturnType<CompiledRuleSet['evaluateWithTrace']>['trace'],
    outputs: Record<string, unknown>,
  ): BenefitDecision {
    const rule = (id: string) => ruleSet.file.rules.find((r) => r.id === id)
    const input = (id: string) => ruleSet.file.inputs[id]?.description
    const explained = trace.filter((t) =>
      ['allowance', 'supplement', 'perGuardian', 'firstPaymentMonth', 'firstPaymentDate'].includes(t.rule),
    )
    const reasons = explained.map((t) => ({
      rule: t.rule,
      legalReference: t.legalReference,
      sv: ruleSet.explain(t, 'sv'),
      en: ruleSet.explain(t, 'en'),
    }))
    const amount = (output: string, per: 'month') => ({
      output,
      per,
      amount: Number(outputs[output] ?? 0),
      sv: rule(output)?.title.sv ?? output,
      en: rule(output)?.title.en ?? output,
    })
    const firstDate = String(outputs.firstPaymentDate)
    return {
      kind: 'benefit',
      ruleSet: ruleSet.id,
      version: ruleSet.version,
      date,
      rulesOutcome: 'approved',
      summary: SUMMARY,
      amounts: [
        amount('perGuardian', 'month'),
        amount('allowance', 'month'),
        amount('supplement', 'month'),
        amount('total', 'month'),
      ],
      facts: [
        {
          input: 'birthDate',
          type: 'date',
          value: String(inputs.birthDate),
          sv: input('birthDate')?.sv ?? '',
          en: input('birthDate')?.en ?? '',
        },
        {
          input: 'children',
          type: 'number',
          value: Number(inputs.children),
          sv: input('children')?.sv ?? '',
          en: input('children')?.en ?? '',
        },
        {
          input: 'jointCustody',
          type: 'boolean',
          value: inputs.jointCustody === true,
          sv: input('jointCustody')?.sv ?? '',
          en: input('jointCustody')?.en ?? '',
        },
        {
          input: 'firstPaymentDate',
          type: 'date',
          value: firstDate,
          sv: rule('firstPaymentDate')?.title.sv ?? '',
          en: rule('firstPaymentDate')?.title.en ?? '',
        },
      ],
      reasons,
      provisions: [...new Set(reasons.flatMap((r) => r.legalReference.split(';').map((p) => p.trim())))],
      payment: {
        perMonth: Number(outputs.perGuardian ?? 0),
        firstMonth: String(outputs.firstPaymentMonth),
        firstDate,
      },
    }
  }

  return { grantChildAllowance }
}
