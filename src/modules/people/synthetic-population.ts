// A synthetic national population drawn from public statistics (population-statistics.ts), one
// household at a time so that any number of persons is made in bounded memory. The same seed,
// number and day give the same persons.
//
// How it is drawn. The age pyramid is turned into exact quotas: how many women and men of each age
// the population gets. Households then take persons from the quotas. A family with children takes
// the eldest child weighted by the children left, siblings a few years younger, the mother at her
// age when the eldest was born and the father a little older, from the nearest age with persons
// left. Parents live together (married or not) or apart, each with their own address, sharing
// custody or not. Other households are an adult alone or a couple. Which kind comes next follows
// the share of children still to place, so that children and adults run out together. Addresses
// are in municipalities weighted by their population; incomes are lognormal around the median of
// the age; pregnancies and announced moves follow the births and moves of a year.
//
// Personal identity numbers are valid (date of birth, a birth number whose last digit is odd for
// men and even for women, and the Luhn check digit), unique, and never use the birth numbers 238
// and 239 of the test persons in data/people/persons.yaml. They may coincide with real persons'
// numbers: a synthetic population belongs only in development and test databases.
import type { Temporal } from '../../platform/clock.ts'
import { type SeededRandom, seededRandom } from '../../platform/seeded-random.ts'
import { luhnCheckDigit } from './personal-number.ts'
import {
  municipalityId,
  OCCUPATIONS,
  officialName,
  type PopulationStatistics,
  valueAtAge,
} from './population-statistics.ts'

export type CivilStatus = 'unmarried' | 'married' | 'registered-partner' | 'divorced' | 'widowed'
export type Occupation = (typeof OCCUPATIONS)[number]

export interface SyntheticPerson {
  id: string
  personalNumber: string
  givenName: string
  familyName: string
  birthDate: string
  municipalityId: string
  address: { street: string; postalCode: string; city: string }
  civilStatus: CivilStatus
  occupation: { kind: Occupation; employer?: string; annualIncomeSek: number } | null
}

export interface SyntheticRelation {
  personId: string
  relatedPersonId: string
  kind: 'child' | 'parent' | 'spouse'
  custody: boolean
}

export interface SyntheticCircumstance {
  personId: string
  kind: 'pregnancy' | 'planned-move'
  data: Record<string, string>
  source: string
  registeredOn: string
}

/** A household, with the parent who lives apart from their children when there is one. */
export interface SyntheticHousehold {
  persons: SyntheticPerson[]
  relations: SyntheticRelation[]
  circumstances: SyntheticCircumstance[]
}

export interface SyntheticPopulationOptions {
  persons: number
  seed: number
  /** The day the population is as of: ages and register events count from it. */
  today: Temporal.PlainDate
}

/** Birth numbers of the test persons (data/people/persons.yaml), never given out here. */
export const TEST_BIRTH_NUMBERS = ['238', '239'] as const
const MAX_AGE = 105
const ADULT = 18
const FEMALE = 0
const MALE = 1
type Sex = typeof FEMALE | typeof MALE

// --- Calendar days as integers: millions of persons need no Temporal object each -------------------

const epochDay = (d: Temporal.PlainDate) => Math.round(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000)

/** YYYY-MM-DD of a day counted from 1970-01-01 (the civil-from-days algorithm). */
export function isoFromEpochDay(days: number): string {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`
}

// --- Drawing from tables ---------------------------------------------------------------------------

/** Draws keys of a weight table in proportion to their weights. */
function weighted<T>(entries: Array<[T, number]>) {
  const keys = entries.map(([k]) => k)
  const cumulative: number[] = []
  let sum = 0
  for (const [, w] of entries) {
    sum += w
    cumulative.push(sum)
  }
  return (random: SeededRandom): T => {
    const x = random.next() * sum
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((cumulative[mid] as number) > x) hi = mid
      else lo = mid + 1
    }
    return keys[lo] as T
  }
}

function normalDraw(random: SeededRandom, n: { mean: number; sd: number; min?: number; max?: number }) {
  const value = n.mean + n.sd * random.normal()
  return Math.min(n.max ?? Number.POSITIVE_INFINITY, Math.max(n.min ?? Number.NEGATIVE_INFINITY, value))
}

/**
 * How many women and men of each age (0–105) the population gets: the age groups' persons spread
 * over single years (under 20 after the births of each year, otherwise evenly), scaled to `total`
 * and rounded so that the sum is exact.
 */
export function ageQuotas(stats: PopulationStatistics, total: number, today: Temporal.PlainDate) {
  const births = stats.birthsByYear.births
  const known = Object.keys(births).map(Number)
  const birthsOf = (year: number) => {
    const nearest = known.reduce((a, b) => (Math.abs(b - year) < Math.abs(a - year) ? b : a))
    return births[String(nearest)] as number
  }
  const exact = new Float64Array((MAX_AGE + 1) * 2)
  for (const group of stats.ageGroups.persons) {
    const ages: number[] = []
    for (let age = group.from; age <= Math.min(group.to, MAX_AGE); age++) ages.push(age)
    const weights = ages.map((age) => (group.to < 20 ? birthsOf(today.year - age) : 1))
    const sum = weights.reduce((a, b) => a + b, 0)
    ages.forEach((age, i) => {
      const persons = (group.persons * (weights[i] as number)) / sum
      const male = valueAtAge(stats.maleShare.byAge, age)
      exact[age * 2 + MALE] = (exact[age * 2 + MALE] ?? 0) + persons * male
      exact[age * 2 + FEMALE] = (exact[age * 2 + FEMALE] ?? 0) + persons * (1 - male)
    })
  }
  const all = exact.reduce((a, b) => a + b, 0)
  const scaled = Array.from(exact, (x) => (x * total) / all)
  const counts = Int32Array.from(scaled, Math.floor)
  let short = total - counts.reduce((a, b) => a + b, 0)
  const byRemainder = scaled.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0])
  for (let i = 0; short > 0; i++, short--) {
    const j = (byRemainder[i] as readonly [number, number])[1]
    counts[j] = (counts[j] ?? 0) + 1
  }
  return counts
}

// --- The generator ---------------------------------------------------------------------------------

export function* generateSyntheticPopulation(
  stats: PopulationStatistics,
  options: SyntheticPopulationOptions,
): Generator<SyntheticHousehold> {
  const { today } = options
  const random = seededRandom(options.seed)
  const h = stats.households

  // Quotas: remaining[age * 2 + sex].
  const remaining = ageQuotas(stats, options.persons, today)
  let left = options.persons
  let childrenLeft = 0
  for (let age = 0; age < ADULT; age++)
    childrenLeft += (remaining[age * 2] ?? 0) + (remaining[age * 2 + 1] ?? 0)

  /** Takes a person of the sex from the nearest age to `target` within [min, max] with persons left. */
  const takeNear = (sex: Sex, target: number, min: number, max: number): number | undefined => {
    const t = Math.round(Math.min(max, Math.max(min, target)))
    for (let d = 0; d <= max - min; d++) {
      for (const age of d === 0 ? [t] : [t + d, t - d]) {
        if (age < min || age > max) continue
        if ((remaining[age * 2 + sex] as number) > 0) {
          remaining[age * 2 + sex] = (remaining[age * 2 + sex] ?? 0) - 1
          left--
          if (age < ADULT) childrenLeft--
          return age
        }
      }
    }
    return undefined
  }
  /** Takes a person of any sex and age within [min, max], weighted by the persons left. */
  const takeAny = (min: number, max: number): { age: number; sex: Sex } | undefined => {
    let sum = 0
    for (let i = min * 2; i <= max * 2 + 1; i++) sum += remaining[i] as number
    if (sum === 0) return undefined
    let x = Math.floor(random.next() * sum)
    for (let i = min * 2; i <= max * 2 + 1; i++) {
      x -= remaining[i] as number
      if (x < 0) {
        remaining[i] = (remaining[i] ?? 0) - 1
        left--
        const age = i >> 1
        if (age < ADULT) childrenLeft--
        return { age, sex: (i & 1) as Sex }
      }
    }
    return undefined
  }

  // Ages become dates of birth: born in (today − (age + 1) years, today − age years].
  const todayDay = epochDay(today)
  const birthRange = Array.from({ length: MAX_AGE + 1 }, (_, age) => {
    const last = epochDay(today.subtract({ years: age }))
    return { first: epochDay(today.subtract({ years: age + 1 })) + 1, last }
  })

  // Birth numbers: per day and sex, taken in a seeded order from those not used by test persons.
  const serials = [FEMALE, MALE].map((sex) => {
    const list: string[] = []
    for (let n = 1; n <= 999; n++) {
      const s = String(n).padStart(3, '0')
      if (n % 2 === (sex === MALE ? 1 : 0) && !(TEST_BIRTH_NUMBERS as readonly string[]).includes(s))
        list.push(s)
    }
    return list
  })
  const serialOffset = random.int(0, 996)
  const used = new Map<number, number>()
  const personalNumber = (birthDay: number, sex: Sex): { personalNumber: string; birthDate: string } => {
    for (let day = birthDay; ; day++) {
      const key = day * 2 + sex
      const taken = used.get(key) ?? 0
      const list = serials[sex] as string[]
      if (taken >= list.length) continue // the day is full: the next day
      used.set(key, taken + 1)
      const serial = list[(taken * 97 + serialOffset) % list.length] as string
      const birthDate = isoFromEpochDay(day)
      const nine = `${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${birthDate.slice(8, 10)}${serial}`
      return { personalNumber: `${birthDate.slice(0, 2)}${nine}${luhnCheckDigit(nine)}`, birthDate }
    }
  }

  // Internal ids: RFC 9562 version 7 layout, the day as the time and a counter in the random bits
  // (its method 1), so that ids are unique, sorted, and the same for the same seed and day.
  const time = (todayDay * 86_400_000).toString(16).padStart(12, '0')
  const idPrefix = `${time.slice(0, 8)}-${time.slice(8, 12)}-7${(options.seed & 0xfff).toString(16).padStart(3, '0')}-8`
  let counter = 0
  const nextId = () => {
    const c = counter++
    return `${idPrefix}${Math.floor(c / 2 ** 48)
      .toString(16)
      .padStart(3, '0')}-${(c % 2 ** 48).toString(16).padStart(12, '0')}`
  }

  const municipalities = stats.municipalities.map((m) => ({
    id: municipalityId(m),
    official: officialName(m),
    city: m.name,
    county: stats.counties[m.code.slice(0, 2)] as PopulationStatistics['counties'][string],
  }))
  const pickMunicipality = weighted(municipalities.map((m, i) => [m, stats.municipalities[i]?.persons ?? 0]))
  const pickFamilyName = weighted(Object.entries(stats.names.familyNames))
  const pickChildren = weighted(Object.entries(h.childrenPerFamily).map(([k, v]) => [Number(k), v]))
  const givenNames = [...stats.names.givenNames].sort((a, b) => b.from - a.from)
  const givenName = (sex: Sex, birthYear: number) => {
    const lists =
      givenNames.find((g) => g.from <= birthYear) ??
      (givenNames[givenNames.length - 1] as (typeof givenNames)[number])
    return random.pick(sex === MALE ? lists.male : lists.female)
  }
  const occupationPickers = new Map<number, (r: SeededRandom) => Occupation>()
  const pickOccupation = (age: number) => {
    const from = Math.max(
      ...Object.keys(stats.occupation.byAge)
        .map(Number)
        .filter((f) => f <= age),
    )
    let picker = occupationPickers.get(from)
    if (!picker) {
      const table = stats.occupation.byAge[String(from)] as Record<string, number | undefined>
      picker = weighted(OCCUPATIONS.filter((o) => (table[o] ?? 0) > 0).map((o) => [o, table[o] as number]))
      occupationPickers.set(from, picker)
    }
    return picker(random)
  }

  // Register events: a pregnancy for a share of women 18–45, an announced move for a share of households.
  const latestBirths = Math.max(...Object.keys(stats.birthsByYear.births).map(Number))
  let womenOfAge = 0
  for (let age = ADULT; age <= 45; age++) womenOfAge += remaining[age * 2 + FEMALE] as number
  const pregnancyShare = Math.min(
    1,
    ((stats.birthsByYear.births[String(latestBirths)] as number) / stats.totalPersons.value) *
      (stats.events.pregnancyRegisteredWeeksAhead / 52) *
      (options.persons / Math.max(1, womenOfAge)),
  )
  const moveShare =
    (stats.events.movesPerYear / stats.totalPersons.value) * (stats.events.moveNoticeDays / 365)

  const person = (
    age: number,
    sex: Sex,
    home: { municipality: (typeof municipalities)[number]; address: SyntheticPerson['address'] },
    familyName: string,
    civilStatus: CivilStatus,
  ): SyntheticPerson => {
    const range = birthRange[age] as { first: number; last: number }
    const born = personalNumber(random.int(range.first, range.last), sex)
    let occupation: SyntheticPerson['occupation'] = null
    if (age >= 16) {
      const kind = pickOccupation(age)
      const young = age < 20 && kind === 'student'
      const median = valueAtAge(stats.income.medianByAge, age) * (stats.income.occupationFactor[kind] ?? 1)
      const earns = !young || random.chance(stats.income.incomeShareOfYoungStudents)
      const income = earns
        ? Math.round((median * Math.exp(stats.income.sigma * random.normal())) / 100) * 100
        : 0
      occupation = { kind, annualIncomeSek: Math.max(0, income) }
      if (kind === 'employed')
        occupation.employer = random.chance(0.3) ? home.municipality.official : random.pick(EMPLOYERS)
    }
    return {
      id: nextId(),
      ...born,
      givenName: givenName(sex, Number(born.birthDate.slice(0, 4))),
      familyName,
      municipalityId: home.municipality.id,
      address: home.address,
      civilStatus,
      occupation,
    }
  }

  const newHome = (near?: (typeof municipalities)[number]) => {
    const municipality = near ?? pickMunicipality(random)
    const [from, to] = municipality.county.postalCodes
    const postal = `${random.int(from, to)}${random.int(0, 9)} ${String(random.int(0, 99)).padStart(2, '0')}`
    return {
      municipality,
      address: {
        street: `${random.pick(stats.names.streets)} ${random.int(1, 120)}`,
        postalCode: postal,
        city: municipality.city,
      },
    }
  }

  const singleStatus = (age: number): CivilStatus => {
    const s = valueAtAge(h.singlesCivilStatusByAge, age)
    const x = random.next() * (s.unmarried + s.divorced + s.widowed)
    return x < s.unmarried ? 'unmarried' : x < s.unmarried + s.divorced ? 'divorced' : 'widowed'
  }

  const household = (): SyntheticHousehold => ({ persons: [], relations: [], circumstances: [] })
  const parentOf = (
    out: SyntheticHousehold,
    parent: SyntheticPerson,
    child: SyntheticPerson,
    custody: boolean,
  ) => {
    out.relations.push({ personId: parent.id, relatedPersonId: child.id, kind: 'child', custody })
    out.relations.push({ personId: child.id, relatedPersonId: parent.id, kind: 'parent', custody })
  }
  const spouses = (out: SyntheticHousehold, a: SyntheticPerson, b: SyntheticPerson) => {
    out.relations.push({ personId: a.id, relatedPersonId: b.id, kind: 'spouse', custody: false })
    out.relations.push({ personId: b.id, relatedPersonId: a.id, kind: 'spouse', custody: false })
  }
  const events = (out: SyntheticHousehold, members: SyntheticPerson[], ages: Map<string, number>) => {
    for (const p of members) {
      const age = ages.get(p.id) ?? 0
      if (age >= ADULT && age <= 45 && isFemale(p) && random.chance(pregnancyShare)) {
        // Registered in week 12 at the earliest, 28 weeks before the expected date, and by today.
        const window = stats.events.pregnancyRegisteredWeeksAhead * 7
        const ahead = random.int(1, window)
        out.circumstances.push({
          personId: p.id,
          kind: 'pregnancy',
          source: home(p).county.region,
          registeredOn: isoFromEpochDay(todayDay - random.int(0, window - ahead)),
          data: { expectedDate: isoFromEpochDay(todayDay + ahead) },
        })
      }
    }
    if (random.chance(moveShare)) {
      const from = members[0]
      if (!from) return
      const destination = random.chance(stats.events.betweenMunicipalitiesShare)
        ? pickMunicipality(random).id
        : from.municipalityId
      const moveDate = isoFromEpochDay(todayDay + random.int(1, stats.events.moveNoticeDays))
      const registeredOn = isoFromEpochDay(todayDay - random.int(0, 7))
      for (const p of members)
        if ((ages.get(p.id) ?? 0) >= ADULT)
          out.circumstances.push({
            personId: p.id,
            kind: 'planned-move',
            source: 'samla',
            registeredOn,
            data: { moveDate, destination },
          })
    }
  }
  const byId = new Map(municipalities.map((m) => [m.id, m]))
  const home = (p: SyntheticPerson) => byId.get(p.municipalityId) as (typeof municipalities)[number]
  const sexes = new Map<string, Sex>()
  const isFemale = (p: SyntheticPerson) => sexes.get(p.id) === FEMALE
  const make = (
    out: SyntheticHousehold,
    ages: Map<string, number>,
    age: number,
    sex: Sex,
    home: ReturnType<typeof newHome>,
    familyName: string,
    civilStatus: CivilStatus,
  ) => {
    const p = person(age, sex, home, familyName, civilStatus)
    out.persons.push(p)
    ages.set(p.id, age)
    sexes.set(p.id, sex)
    return p
  }

  const family = (): SyntheticHousehold => {
    const out = household()
    const ages = new Map<string, number>()
    const eldest = takeAny(0, ADULT - 1)
    if (!eldest) return adults()
    const childAges: Array<{ age: number; sex: Sex }> = [eldest]
    const wanted = pickChildren(random)
    for (let i = 1; i < wanted; i++) {
      const prev = childAges[childAges.length - 1] as { age: number }
      const target = prev.age - Math.round(normalDraw(random, h.siblingGapYears))
      if (target < 0) break
      const sex: Sex = random.chance(valueAtAge(stats.maleShare.byAge, target)) ? MALE : FEMALE
      const age = takeNear(sex, target, 0, Math.min(ADULT - 1, prev.age))
      if (age === undefined) break
      childAges.push({ age, sex })
    }
    const motherAge = takeNear(FEMALE, eldest.age + normalDraw(random, h.motherAgeAtBirth), ADULT, MAX_AGE)
    const fatherAge =
      motherAge === undefined
        ? undefined
        : takeNear(MALE, motherAge + normalDraw(random, h.partnerAgeGap), ADULT, MAX_AGE)
    const familyName = pickFamilyName(random)
    const home = newHome()
    const together = random.chance(h.bothParentsShare)
    const withMother = !together && random.chance(h.registeredWithMotherShare)
    const married = together && random.chance(h.marriedParentsShare)
    const joint = together || random.chance(h.jointCustodyShare)
    const elsewhere = together ? home : newHome(random.chance(0.7) ? home.municipality : undefined)
    const parents: Array<{ p: SyntheticPerson; resident: boolean }> = []
    if (motherAge !== undefined) {
      const resident = together || withMother
      const status = married ? 'married' : singleStatus(motherAge)
      parents.push({
        p: make(out, ages, motherAge, FEMALE, resident ? home : elsewhere, familyName, status),
        resident,
      })
    }
    if (fatherAge !== undefined) {
      const resident = together || !withMother
      const status = married ? 'married' : singleStatus(fatherAge)
      const name = married || random.chance(0.5) ? familyName : pickFamilyName(random)
      parents.push({
        p: make(out, ages, fatherAge, MALE, resident ? home : elsewhere, name, status),
        resident,
      })
    }
    if (married && parents.length === 2)
      spouses(out, (parents[0] as { p: SyntheticPerson }).p, (parents[1] as { p: SyntheticPerson }).p)
    for (const c of childAges) {
      const child = make(out, ages, c.age, c.sex, home, familyName, 'unmarried')
      for (const { p, resident } of parents) parentOf(out, p, child, joint || resident)
    }
    const residents = out.persons.filter((p) => p.address === home.address)
    events(out, residents, ages)
    return out
  }

  const adults = (): SyntheticHousehold => {
    const out = household()
    const ages = new Map<string, number>()
    const first = takeAny(ADULT, MAX_AGE) ?? takeAny(0, MAX_AGE)
    if (!first) return out
    const home = newHome()
    const familyName = pickFamilyName(random)
    const couple = first.age >= ADULT && random.chance(valueAtAge(h.coupleShareByAge, first.age))
    if (!couple) {
      make(
        out,
        ages,
        first.age,
        first.sex,
        home,
        familyName,
        first.age < ADULT ? 'unmarried' : singleStatus(first.age),
      )
      events(out, out.persons, ages)
      return out
    }
    const sameSex = random.chance(h.sameSexShare)
    const otherSex: Sex = sameSex ? first.sex : first.sex === MALE ? FEMALE : MALE
    const gap = normalDraw(random, h.partnerAgeGap)
    const target = sameSex
      ? first.age + Math.abs(gap) * (random.chance(0.5) ? 1 : -1)
      : otherSex === MALE
        ? first.age + gap
        : first.age - gap
    const partnerAge = takeNear(otherSex, target, ADULT, MAX_AGE)
    if (partnerAge === undefined) {
      make(out, ages, first.age, first.sex, home, familyName, singleStatus(first.age))
      return out
    }
    const married = random.chance(valueAtAge(h.marriedShareByAge, Math.min(first.age, partnerAge)))
    const status: CivilStatus = !married
      ? 'unmarried'
      : sameSex && Math.min(first.age, partnerAge) >= 40 && random.chance(0.5)
        ? 'registered-partner'
        : 'married'
    const a = make(
      out,
      ages,
      first.age,
      first.sex,
      home,
      familyName,
      married ? status : singleStatus(first.age),
    )
    const b = make(
      out,
      ages,
      partnerAge,
      otherSex,
      home,
      married && random.chance(0.6) ? familyName : pickFamilyName(random),
      married ? status : singleStatus(partnerAge),
    )
    if (married) spouses(out, a, b)
    events(out, out.persons, ages)
    return out
  }

  while (left > 0) {
    const c = childrenLeft / left
    const familyShare = childrenLeft > 0 ? Math.min(1, (1.5 * c) / Math.max(0.01, 1.75 - 2.15 * c)) : 0
    const next =
      childrenLeft > 0 && (left === childrenLeft || random.chance(familyShare)) ? family() : adults()
    for (const p of next.persons) sexes.delete(p.id)
    if (next.persons.length > 0) yield next
  }
}

const EMPLOYERS = [
  'Exempelbolaget AB',
  'Nordisk Verkstad AB',
  'Handelshuset i Sverige AB',
  'Vård och Omsorg Norden AB',
  'Bygg och Anläggning AB',
  'Logistikpartner AB',
  'Konsultgruppen AB',
  'Livsmedelsbutiken AB',
]
