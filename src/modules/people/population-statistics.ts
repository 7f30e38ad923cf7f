// The public statistics a synthetic population is drawn from (data/population/sweden.yaml): the age
// pyramid, households, municipalities, incomes, occupations and the register events of a year,
// each figure with its source and how sure it is. Read once and checked against this schema.
import { readFile } from 'node:fs/promises'
import Type, { type Static } from 'typebox'
import Value from 'typebox/value'
import { parse } from 'yaml'

const Status = Type.Union([Type.Literal('VERIFIED'), Type.Literal('UNVERIFIED')])
const Share = Type.Number({ minimum: 0, maximum: 1 })
/** A value by age: each key is the first age it holds for ({ 0: …, 20: … }). */
const ByAge = <T extends Type.TSchema>(value: T) => Type.Record(Type.String({ pattern: '^\\d+$' }), value)
const Normal = Type.Object({
  mean: Type.Number(),
  sd: Type.Number({ minimum: 0 }),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
})
export const OCCUPATIONS = ['employed', 'self-employed', 'unemployed', 'student', 'pensioner'] as const
const Occupations = Type.Object(
  Object.fromEntries(OCCUPATIONS.map((o) => [o, Type.Optional(Share)])) as Record<
    (typeof OCCUPATIONS)[number],
    Type.TOptional<typeof Share>
  >,
  { additionalProperties: false },
)

export const PopulationStatistics = Type.Object({
  referenceDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  sources: Type.Record(Type.String(), Type.String()),
  totalPersons: Type.Object({ value: Type.Integer({ minimum: 1 }), status: Status, source: Type.String() }),
  ageGroups: Type.Object({
    status: Status,
    source: Type.String(),
    persons: Type.Array(
      Type.Object({
        from: Type.Integer({ minimum: 0 }),
        to: Type.Integer({ minimum: 0 }),
        persons: Type.Integer({ minimum: 0 }),
      }),
      { minItems: 1 },
    ),
  }),
  birthsByYear: Type.Object({
    status: Status,
    source: Type.String(),
    births: Type.Record(Type.String({ pattern: '^\\d{4}$' }), Type.Integer({ minimum: 1 })),
  }),
  maleShare: Type.Object({ status: Status, source: Type.String(), byAge: ByAge(Share) }),
  households: Type.Object({
    status: Status,
    source: Type.String(),
    childrenPerFamily: Type.Record(Type.String({ pattern: '^\\d+$' }), Share),
    bothParentsShare: Share,
    marriedParentsShare: Share,
    registeredWithMotherShare: Share,
    jointCustodyShare: Share,
    motherAgeAtBirth: Normal,
    siblingGapYears: Normal,
    partnerAgeGap: Normal,
    sameSexShare: Share,
    coupleShareByAge: ByAge(Share),
    marriedShareByAge: ByAge(Share),
    singlesCivilStatusByAge: ByAge(Type.Object({ unmarried: Share, divorced: Share, widowed: Share })),
  }),
  occupation: Type.Object({ status: Status, source: Type.String(), byAge: ByAge(Occupations) }),
  income: Type.Object({
    status: Status,
    source: Type.String(),
    sigma: Type.Number({ minimum: 0 }),
    medianByAge: ByAge(Type.Integer({ minimum: 0 })),
    occupationFactor: Type.Record(Type.String(), Type.Number({ minimum: 0 })),
    incomeShareOfYoungStudents: Share,
  }),
  events: Type.Object({
    status: Status,
    source: Type.String(),
    movesPerYear: Type.Integer({ minimum: 0 }),
    betweenMunicipalitiesShare: Share,
    moveNoticeDays: Type.Integer({ minimum: 1 }),
    pregnancyRegisteredWeeksAhead: Type.Integer({ minimum: 1, maximum: 40 }),
  }),
  counties: Type.Record(
    Type.String({ pattern: '^\\d{2}$' }),
    Type.Object({
      name: Type.String(),
      region: Type.String(),
      postalCodes: Type.Tuple([Type.Integer({ minimum: 10 }), Type.Integer({ maximum: 99 })]),
    }),
  ),
  municipalities: Type.Array(
    Type.Object(
      {
        code: Type.String({ pattern: '^\\d{4}$' }),
        name: Type.String({ minLength: 1 }),
        official: Type.Optional(Type.String()),
        persons: Type.Integer({ minimum: 1 }),
        verified: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    { minItems: 1 },
  ),
  names: Type.Object({
    givenNames: Type.Array(
      Type.Object({
        from: Type.Integer(),
        female: Type.Array(Type.String(), { minItems: 1 }),
        male: Type.Array(Type.String(), { minItems: 1 }),
      }),
      { minItems: 1 },
    ),
    familyNames: Type.Record(Type.String(), Type.Number({ minimum: 0 })),
    streets: Type.Array(Type.String(), { minItems: 1 }),
  }),
})
export type PopulationStatistics = Static<typeof PopulationStatistics>

export class PopulationStatisticsError extends Error {}

export async function loadPopulationStatistics(file: string): Promise<PopulationStatistics> {
  const raw: unknown = parse(await readFile(file, 'utf8'))
  if (!Value.Check(PopulationStatistics, raw)) {
    const first = Value.Errors(PopulationStatistics, raw)[0]
    throw new PopulationStatisticsError(`${file}${first?.instancePath ?? ''}: ${first?.message ?? 'invalid'}`)
  }
  for (const m of raw.municipalities)
    if (!raw.counties[m.code.slice(0, 2)])
      throw new PopulationStatisticsError(`${file}: municipality ${m.code} is in no county of the file`)
  return raw
}

/** The value for an age from a table keyed by the first age each value holds for. */
export function valueAtAge<T>(table: Record<string, T>, age: number): T {
  let found: T | undefined
  let foundFrom = -1
  for (const [from, value] of Object.entries(table)) {
    const f = Number(from)
    if (f <= age && f > foundFrom) {
      found = value
      foundFrom = f
    }
  }
  if (found === undefined) throw new PopulationStatisticsError(`no value for age ${age}`)
  return found
}

/** Samla's id of a municipality: its own name in lower case without diacritics (goteborgs-stad). */
export function municipalityId(m: { name: string; official?: string }): string {
  return officialName(m)
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** "Linköping" -> "Linköpings kommun", "Nacka" -> "Nacka kommun", unless the file names it. */
export function officialName(m: { name: string; official?: string }): string {
  if (m.official) return m.official
  return /[aeiouyåäösxz]$/i.test(m.name) ? `${m.name} kommun` : `${m.name}s kommun`
}
