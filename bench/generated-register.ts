// A population register made up for load tests: parents, each with one child under 12 in their
// custody, with valid personal identity numbers, catalogue municipalities and an income. The same
// seed gives the same people. It implements Samla's PopulationRegister, as a real register client would.
import Value from 'typebox/value'
import { luhnCheckDigit, normalisePersonalNumber } from '../src/modules/people/personal-number.ts'
import { type PopulationRegister, RegisterPerson } from '../src/modules/people/population-register.ts'
import { seededRandom } from './seeded-random.ts'

export { luhnCheckDigit }

/** Municipalities of the catalogue (data/catalog/agencies.yaml), with a street, postcode and city. */
const MUNICIPALITIES = [
  { id: 'nacka-kommun', street: 'Björkstigen', postalCode: '131 40', city: 'Nacka' },
  { id: 'linkopings-kommun', street: 'Ågatan', postalCode: '582 22', city: 'Linköping' },
  { id: 'sundsvalls-kommun', street: 'Storgatan', postalCode: '852 30', city: 'Sundsvall' },
  { id: 'goteborgs-stad', street: 'Linnégatan', postalCode: '413 04', city: 'Göteborg' },
] as const
const GIVEN_NAMES = ['Anna', 'Erik', 'Lina', 'Johan', 'Sara', 'Karin', 'Ali', 'Maja', 'Omar', 'Elin']
const CHILD_NAMES = ['Elsa', 'Vilgot', 'Alice', 'Noah', 'Ebba', 'Liam', 'Saga', 'Hugo', 'Leia', 'Nils']
const FAMILY_NAMES = ['Lindqvist', 'Berg', 'Karlsson', 'Nilsson', 'Hassan', 'Andersson', 'Eklund']

const DAY_MS = 86_400_000
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export interface GeneratedFamily {
  parent: string
  child: string
}

/**
 * `parents` parents born 1975–1995 with one child born between mid-2015 and 2024 (so under 12 on
 * 2026-11-25, and older than the 240 days under which VAB needs special grounds). Numbers follow
 * the form of Skatteverket's test numbers, as data/people/persons.yaml does: a real date of birth,
 * the birth number 238 or 239 and a valid check digit; `taken` numbers are avoided.
 */
export function generatePopulation(
  parents: number,
  options: { seed?: number; taken?: Iterable<string> } = {},
): { persons: RegisterPerson[]; families: GeneratedFamily[] } {
  const { int, pick } = seededRandom(options.seed ?? 20_261_125)
  const used = new Set(options.taken ?? [])
  const numberBorn = (fromMs: number, toMs: number): { personalNumber: string; birthDate: string } => {
    for (;;) {
      const birthDate = isoDay(fromMs + int(0, Math.floor((toMs - fromMs) / DAY_MS)) * DAY_MS)
      const nine = `${birthDate.slice(2).replaceAll('-', '')}${pick(['238', '239'])}`
      const personalNumber = `${birthDate.slice(0, 2)}${nine}${luhnCheckDigit(nine)}`
      if (used.has(personalNumber)) continue
      if (normalisePersonalNumber(personalNumber) !== personalNumber)
        throw new Error(`generated an invalid personal number ${personalNumber}`)
      used.add(personalNumber)
      return { personalNumber, birthDate }
    }
  }
  const persons: RegisterPerson[] = []
  const families: GeneratedFamily[] = []
  for (let i = 0; i < parents; i++) {
    const home = pick(MUNICIPALITIES)
    const familyName = pick(FAMILY_NAMES)
    const address = { street: `${home.street} ${int(1, 80)}`, postalCode: home.postalCode, city: home.city }
    const child = numberBorn(Date.UTC(2015, 5, 1), Date.UTC(2024, 11, 31))
    const parent = numberBorn(Date.UTC(1975, 0, 1), Date.UTC(1995, 11, 31))
    persons.push(
      {
        ...parent,
        givenName: pick(GIVEN_NAMES),
        familyName,
        municipality: home.id,
        address,
        civilStatus: pick(['married', 'unmarried'] as const),
        occupation: {
          kind: 'employed',
          employer: 'Exempelbolaget AB',
          annualIncomeSek: int(250, 700) * 1000,
        },
        relations: [{ kind: 'child', personalNumber: child.personalNumber, custody: true }],
      },
      {
        ...child,
        givenName: pick(CHILD_NAMES),
        familyName,
        municipality: home.id,
        address,
        civilStatus: 'unmarried',
      },
    )
    families.push({ parent: parent.personalNumber, child: child.personalNumber })
  }
  for (const [i, p] of persons.entries())
    if (!Value.Check(RegisterPerson, p))
      throw new Error(`generated person ${i} does not fit the register's schema: ${JSON.stringify(p)}`)
  return { persons, families }
}

/** A PopulationRegister over a list held in memory. */
export function createInMemoryPopulationRegister(persons: RegisterPerson[]): PopulationRegister {
  const byNumber = new Map(persons.map((p) => [p.personalNumber, p]))
  return {
    listPersons: async () => persons,
    findPerson: async (personalNumber) => byNumber.get(personalNumber),
  }
}
