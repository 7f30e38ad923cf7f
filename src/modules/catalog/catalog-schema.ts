// The shape of the catalogue files in data/catalog. The public services follow the Core Public
// Service Vocabulary Application Profile (CPSV-AP 3): name, description, competent authority,
// legal resources, requirements and evidence, output, cost, processing time and channels.
import Type, { type Static } from 'typebox'

export const Text = Type.Object(
  { sv: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false, description: 'A text in Swedish and English' },
)
export type Text = Static<typeof Text>

const Id = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 })

/** How sure a fact is, as in DOMAIN.md: read in a source, computed from such, or still to check. */
export const Verification = Type.Union([
  Type.Literal('verified'),
  Type.Literal('derived'),
  Type.Literal('unverified'),
])

export const AgencyLevel = Type.Union([
  Type.Literal('state'),
  Type.Literal('region'),
  Type.Literal('municipality'),
])
export type AgencyLevel = Static<typeof AgencyLevel>

export const Agency = Type.Object(
  {
    id: Id,
    level: AgencyLevel,
    name: Text,
    description: Text,
    /** Kommunkod (4 digits) for a municipality, länskod (2 digits) for a region. */
    code: Type.Optional(Type.String({ pattern: '^[0-9]{2}([0-9]{2})?$' })),
    /** The region a municipality lies in. */
    region: Type.Optional(Id),
    website: Type.String({ format: 'uri' }),
    phone: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type Agency = Static<typeof Agency>

export const LegalResource = Type.Object(
  {
    /** e.g. "Socialförsäkringsbalken (2010:110) 15 kap." */
    reference: Type.String({ minLength: 1 }),
    title: Text,
    url: Type.Optional(Type.String({ format: 'uri' })),
    status: Verification,
  },
  { additionalProperties: false },
)
export type LegalResource = Static<typeof LegalResource>

export const ChannelType = Type.Union([
  Type.Literal('e-service'),
  Type.Literal('automatic'),
  Type.Literal('phone'),
  Type.Literal('office'),
  Type.Literal('post'),
  Type.Literal('samla'),
])

export const Channel = Type.Object(
  {
    type: ChannelType,
    description: Text,
    url: Type.Optional(Type.String({ format: 'uri' })),
  },
  { additionalProperties: false },
)

/**
 * Who is responsible. Either a fixed agency id, or a role resolved from the person's data when the
 * plan is made: the municipality or region where the person lives, where they move from or to,
 * or where the relative they help lives.
 */
export const Responsible = Type.Union([
  Id,
  Type.Literal('$municipality'),
  Type.Literal('$region'),
  Type.Literal('$origin-municipality'),
  Type.Literal('$destination-municipality'),
  Type.Literal('$destination-region'),
  Type.Literal('$relative-municipality'),
  Type.Literal('$relative-region'),
])
export type Responsible = Static<typeof Responsible>

export const Cost = Type.Object(
  {
    /** Amount in kronor; 0 when free; absent when it varies (described in the text). */
    amountSek: Type.Optional(Type.Number({ minimum: 0 })),
    description: Text,
    status: Verification,
  },
  { additionalProperties: false },
)

export const ProcessingTime = Type.Object(
  {
    /** Usual maximum in calendar days, when known. */
    days: Type.Optional(Type.Integer({ minimum: 0 })),
    description: Text,
    status: Verification,
  },
  { additionalProperties: false },
)

export const Service = Type.Object(
  {
    id: Id,
    name: Text,
    description: Text,
    competentAuthority: Responsible,
    /** True when the service is given without an application (a "no-stop" service). */
    automatic: Type.Boolean(),
    legalResources: Type.Array(LegalResource, { minItems: 1 }),
    requirements: Type.Array(Text),
    evidence: Type.Array(Text),
    output: Text,
    cost: Cost,
    processingTime: ProcessingTime,
    channels: Type.Array(Channel, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type Service = Static<typeof Service>

export const TemplateParameter = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-zA-Z0-9]*$' }),
    label: Text,
    type: Type.Union([
      Type.Literal('text'),
      Type.Literal('money'),
      Type.Literal('integer'),
      Type.Literal('url'),
    ]),
    required: Type.Boolean(),
    /** For money: the national ceiling a local value may not exceed (e.g. maxtaxa). */
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
)

/**
 * A national service template: one description that every municipality (or region) can adopt,
 * filling in local parameters. Texts may use {parameterKey} and {agency} placeholders.
 */
export const ServiceTemplate = Type.Object(
  {
    ...Service.properties,
    competentAuthority: Type.Union([Type.Literal('$municipality'), Type.Literal('$region')]),
    parameters: Type.Array(TemplateParameter, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type ServiceTemplate = Static<typeof ServiceTemplate>

export const Adoption = Type.Object(
  {
    template: Id,
    agency: Id,
    /** Values for the template's parameters; money in kronor. */
    parameters: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
    adoptedOn: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
)
export type Adoption = Static<typeof Adoption>

/** A named date a plan is computed from. */
export const Anchor = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-zA-Z0-9]*$' }),
    label: Text,
    hint: Text,
    /** When the person has not given the date, the plan starts today (e.g. the first day of care). */
    defaultsToToday: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

/**
 * A deadline: the anchor date plus an offset. Anchors are the life event's own anchor or one the
 * plan computes itself: `today`, `nextTaxReturnOpens`, `nextTaxReturnDeadline`.
 */
export const DueRule = Type.Object(
  {
    anchor: Type.String(),
    add: Type.Optional(
      Type.Object(
        {
          years: Type.Optional(Type.Integer()),
          months: Type.Optional(Type.Integer()),
          weeks: Type.Optional(Type.Integer()),
          days: Type.Optional(Type.Integer()),
        },
        { additionalProperties: false },
      ),
    ),
    /** Move a deadline that falls on a Saturday or Sunday to the Monday after. */
    nextWeekday: Type.Optional(Type.Boolean()),
    /** The rule in words, e.g. "inom en vecka efter flytten". */
    explanation: Text,
    legalReference: Type.Optional(Type.String()),
    status: Verification,
  },
  { additionalProperties: false },
)
export type DueRule = Static<typeof DueRule>

/** Conditions the plan knows how to evaluate from the person's data. */
export const Condition = Type.Union([
  Type.Literal('married'),
  Type.Literal('not-married'),
  Type.Literal('employed'),
  Type.Literal('has-children'),
  Type.Literal('has-children-under-12'),
  Type.Literal('moving-between-municipalities'),
  Type.Literal('relative-is-pensioner'),
])

export const Step = Type.Object(
  {
    id: Id,
    title: Text,
    /** The service in the catalogue, or the template a municipality adopts. */
    service: Type.Optional(Id),
    template: Type.Optional(Id),
    responsible: Responsible,
    automatic: Type.Boolean(),
    /** What the person must do; for an automatic step, what happens and what they need not do. */
    action: Text,
    due: Type.Optional(DueRule),
    /** Steps that must come first. */
    after: Type.Optional(Type.Array(Id)),
    /** Shown only when all of these hold. */
    when: Type.Optional(Type.Array(Condition)),
  },
  { additionalProperties: false },
)
export type Step = Static<typeof Step>

export const LifeEvent = Type.Object(
  {
    id: Id,
    title: Text,
    summary: Text,
    /** The EU Single Digital Gateway life event, where one matches. */
    sdgLifeEvent: Type.Optional(Type.String()),
    anchor: Anchor,
    steps: Type.Array(Step, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type LifeEvent = Static<typeof LifeEvent>

export const CatalogFiles = Type.Object({
  version: Type.String(),
  agencies: Type.Array(Agency),
  services: Type.Array(Service),
  templates: Type.Array(ServiceTemplate),
  adoptions: Type.Array(Adoption),
  lifeEvents: Type.Array(LifeEvent),
})
export type CatalogFiles = Static<typeof CatalogFiles>
