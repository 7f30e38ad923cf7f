// The schemas of what the cases API answers, shared by its route files.
import { Type } from 'typebox'

export const PersonId = Type.String({ format: 'uuid' })
export const tags = ['Ärenden / Cases']

export const CaseSummary = Type.Object({
  id: Type.String(),
  serviceId: Type.String(),
  agencyId: Type.String(),
  status: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  submittedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  filedBy: Type.Union(
    [
      Type.Object({
        name: Type.String(),
        basis: Type.Union([Type.Literal('custody'), Type.Literal('power-of-attorney')]),
      }),
      Type.Null(),
    ],
    {
      description:
        'Who filed the case for the person (a guardian or the holder of a power of attorney); null when the person did',
    },
  ),
  payment: Type.Optional(
    Type.Object(
      {
        perMonth: Type.Number(),
        firstMonth: Type.String({ format: 'date' }),
        firstDate: Type.String({ format: 'date' }),
      },
      {
        description:
          'A benefit granted and paid each month (barnbidrag): to the person, from the first payment',
      },
    ),
  ),
})

export const Reason = Type.Object({
  rule: Type.String(),
  legalReference: Type.String(),
  sv: Type.String(),
  en: Type.String(),
})
export const Decision = Type.Object({
  ruleSet: Type.String(),
  version: Type.String(),
  days: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      fraction: Type.Number(),
      reason: Type.String(),
      outcome: Type.String(),
      amount: Type.Number(),
      daysCounted: Type.Number(),
      reasons: Type.Array(Reason),
    }),
  ),
  totalAmount: Type.Number(),
  daysCounted: Type.Number(),
  provisions: Type.Array(Type.String()),
})

export const AssessmentDecision = Type.Object({
  kind: Type.Literal('assessment'),
  ruleSet: Type.String(),
  version: Type.String(),
  rulesOutcome: Type.String(),
  reasons: Type.Array(Reason),
  provisions: Type.Array(Type.String()),
  caseworker: Type.Optional(Type.Object({ note: Type.String() })),
})

const Words = { sv: Type.String(), en: Type.String() }
/** A benefit decided by the rule set whose inputs the form asked (föräldrapenning, bostadstillägg). */
export const BenefitDecision = Type.Object({
  kind: Type.Literal('benefit'),
  ruleSet: Type.String(),
  version: Type.String(),
  date: Type.String({ format: 'date' }),
  rulesOutcome: Type.String(),
  summary: Type.Object({ ...Words, legalReference: Type.String() }),
  amounts: Type.Array(
    Type.Object({ ...Words, output: Type.String(), per: Type.String(), amount: Type.Number() }),
  ),
  facts: Type.Array(
    Type.Object({
      ...Words,
      input: Type.String(),
      type: Type.String(),
      value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
    }),
  ),
  reasons: Type.Array(Reason),
  provisions: Type.Array(Type.String()),
  caseworker: Type.Optional(Type.Object({ note: Type.String(), amount: Type.Optional(Type.Number()) })),
})

export const ReviewDecision = Type.Object({
  review: Type.Object({ of: Type.String(), changed: Type.Boolean(), note: Type.String() }),
})

export const CaseDetail = Type.Object({
  ...CaseSummary.properties,
  decision: Type.Union([BenefitDecision, AssessmentDecision, Decision, ReviewDecision, Type.Null()]),
  ruleSet: Type.Union([Type.String(), Type.Null()]),
  ruleSetVersion: Type.Union([Type.String(), Type.Null()]),
  queueReason: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  events: Type.Array(
    Type.Object({ at: Type.String({ format: 'date-time' }), kind: Type.String(), actorKind: Type.String() }),
  ),
})

/** An application may be sent twice with the same key: the second answers with the first's case. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
})

const Filed = Type.Object({
  caseId: Type.String(),
  status: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
})

/** 201 for a new case, 200 for the same application sent again. */
export const FiledResponses = { 201: Filed, 200: Filed }
