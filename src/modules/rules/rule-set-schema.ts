// The shape of a rule-set file (data/rules/<id>/rules.yaml): written for a service owner to read.
// Dated parameters, inputs, and rules that are either a computed value or a decision table, each
// with its legal reference and a plain-language explanation in Swedish and English.
import Type, { type Static } from 'typebox'

const Text = Type.Object(
  { sv: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
)
const Name = Type.String({ pattern: '^[a-z][a-zA-Z0-9]*$', maxLength: 60 })
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const Status = Type.Union([Type.Literal('verified'), Type.Literal('derived'), Type.Literal('unverified')])
const Scalar = Type.Union([Type.Number(), Type.String(), Type.Boolean()])

export const DatedValue = Type.Object(
  {
    from: IsoDate,
    value: Type.Union([Scalar, Type.Record(Type.String(), Type.Number())]),
    status: Status,
    source: Type.Optional(Type.String()),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type DatedValue = Static<typeof DatedValue>

export const Parameter = Type.Object(
  {
    description: Text,
    unit: Type.Optional(Type.String()),
    legalReference: Type.String({ minLength: 1 }),
    /** Values in force from a date on; the last one whose date has come applies. */
    values: Type.Array(DatedValue, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type Parameter = Static<typeof Parameter>

export const Input = Type.Object(
  {
    type: Type.Union([
      Type.Literal('number'),
      Type.Literal('integer'),
      Type.Literal('boolean'),
      Type.Literal('date'),
      Type.Literal('text'),
    ]),
    description: Text,
    /** For text: the values allowed. */
    oneOf: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
    minimum: Type.Optional(Type.Number()),
    maximum: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
)
export type Input = Static<typeof Input>

export const DecisionRow = Type.Object(
  {
    when: Type.String({ minLength: 1 }),
    value: Type.Union([Type.String({ minLength: 1 }), Type.Number(), Type.Boolean()]),
    legalReference: Type.Optional(Type.String()),
    explanation: Text,
  },
  { additionalProperties: false },
)

export const Rule = Type.Object(
  {
    id: Name,
    title: Text,
    legalReference: Type.String({ minLength: 1 }),
    /** In words, for the person the decision is about; {name} shows a value. */
    explanation: Text,
    /** A computed value: an expression over inputs, parameters and other rules. */
    value: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Number(), Type.Boolean()])),
    /** A decision table: the first row whose condition holds gives the value. */
    decision: Type.Optional(Type.Array(DecisionRow, { minItems: 1 })),
    otherwise: Type.Optional(
      Type.Object(
        { value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]), explanation: Text },
        { additionalProperties: false },
      ),
    ),
    /** Part of the result the rule set returns. */
    output: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type Rule = Static<typeof Rule>

export const RuleSetFile = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
    version: Type.String({ minLength: 1 }),
    title: Text,
    agency: Type.String(),
    description: Text,
    inputs: Type.Record(Name, Input),
    parameters: Type.Record(Name, Parameter),
    rules: Type.Array(Rule, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type RuleSetFile = Static<typeof RuleSetFile>

export const RuleTestCase = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    date: IsoDate,
    inputs: Type.Record(Type.String(), Scalar),
    expect: Type.Record(Type.String(), Scalar),
  },
  { additionalProperties: false },
)
export type RuleTestCase = Static<typeof RuleTestCase>
