// The population register as Samla sees it. A real client (Skatteverket's Navet, or a regional
// copy) implements this interface; the demo reads data/people/persons.yaml.
import { readFile } from 'node:fs/promises'
import Type, { type Static } from 'typebox'
import Value from 'typebox/value'
import { parse } from 'yaml'

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const RegisterPerson = Type.Object(
  {
    personalNumber: Type.String({ pattern: '^\\d{12}$' }),
    givenName: Type.String({ minLength: 1 }),
    familyName: Type.String({ minLength: 1 }),
    birthDate: IsoDate,
    /** The municipality of registration (folkbokföringskommun), as a catalogue agency id. */
    municipality: Type.String(),
    address: Type.Object({ street: Type.String(), postalCode: Type.String(), city: Type.String() }),
    civilStatus: Type.Union([
      Type.Literal('unmarried'),
      Type.Literal('married'),
      Type.Literal('registered-partner'),
      Type.Literal('divorced'),
      Type.Literal('widowed'),
    ]),
    occupation: Type.Optional(
      Type.Object({
        kind: Type.Union([
          Type.Literal('employed'),
          Type.Literal('self-employed'),
          Type.Literal('unemployed'),
          Type.Literal('student'),
          Type.Literal('pensioner'),
        ]),
        employer: Type.Optional(Type.String()),
        annualIncomeSek: Type.Optional(Type.Integer({ minimum: 0 })),
      }),
    ),
    /**
     * What the tax and pension registers hold (Skatteverket's final taxation; pensions paid each
     * month). Not copied into Samla: read from the source at each read that may see it.
     */
    income: Type.Optional(
      Type.Object(
        {
          taxed: Type.Optional(
            Type.Object({
              year: Type.Integer({ minimum: 2000, maximum: 2100 }),
              earnedIncomeSek: Type.Integer({ minimum: 0 }),
              source: Type.String(),
            }),
          ),
          pensions: Type.Optional(
            Type.Array(
              Type.Object({
                kind: Type.Union([
                  Type.Literal('income-pension'),
                  Type.Literal('guarantee-pension'),
                  Type.Literal('occupational-pension'),
                  Type.Literal('private-pension'),
                ]),
                payer: Type.String(),
                grossPerMonthSek: Type.Integer({ minimum: 0 }),
                taxPerMonthSek: Type.Integer({ minimum: 0 }),
              }),
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    relations: Type.Optional(
      Type.Array(
        Type.Object({
          kind: Type.Union([Type.Literal('child'), Type.Literal('spouse')]),
          personalNumber: Type.String({ pattern: '^\\d{12}$' }),
          custody: Type.Optional(Type.Boolean()),
        }),
      ),
    ),
    circumstances: Type.Optional(
      Type.Array(
        Type.Object({
          kind: Type.Union([
            Type.Literal('pregnancy'),
            Type.Literal('planned-move'),
            Type.Literal('planned-business'),
          ]),
          source: Type.String(),
          registeredOn: IsoDate,
          data: Type.Record(Type.String(), Type.Unknown()),
        }),
      ),
    ),
  },
  { additionalProperties: false },
)
export type RegisterPerson = Static<typeof RegisterPerson>

export interface PopulationRegister {
  /** Everyone the register offers to Samla (the demo: all test persons). */
  listPersons(): Promise<RegisterPerson[]>
  findPerson(personalNumber: string): Promise<RegisterPerson | undefined>
}

export class RegisterFileError extends Error {}

export function createDemoPopulationRegister(file: string): PopulationRegister {
  let loaded: Promise<RegisterPerson[]> | undefined
  const load = async () => {
    const raw: unknown = parse(await readFile(file, 'utf8'))
    if (!Array.isArray(raw)) throw new RegisterFileError(`${file}: expected a list of persons`)
    return raw.map((entry, i) => {
      if (!Value.Check(RegisterPerson, entry)) {
        const first = Value.Errors(RegisterPerson, entry)[0]
        throw new RegisterFileError(
          `${file}[${i}]${first?.instancePath ?? ''}: ${first?.message ?? 'invalid'}`,
        )
      }
      return entry
    })
  }
  const persons = () => {
    loaded ??= load()
    return loaded
  }
  return {
    listPersons: persons,
    findPerson: async (personalNumber) => (await persons()).find((p) => p.personalNumber === personalNumber),
  }
}
