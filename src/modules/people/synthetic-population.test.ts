import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { Temporal } from '../../platform/clock.ts'
import { normalisePersonalNumber } from './personal-number.ts'
import { createDemoPopulationRegister } from './population-register.ts'
import {
  loadPopulationStatistics,
  municipalityId,
  type PopulationStatistics,
} from './population-statistics.ts'
import {
  ageQuotas,
  generateSyntheticPopulation,
  isoFromEpochDay,
  type SyntheticHousehold,
} from './synthetic-population.ts'

const file = (relative: string) => new URL(relative, import.meta.url).pathname
const TODAY = Temporal.PlainDate.from('2026-11-25')

describe('a synthetic population', () => {
  let stats: PopulationStatistics
  let households: SyntheticHousehold[]
  const persons = () => households.flatMap((h) => h.persons)
  before(async () => {
    stats = await loadPopulationStatistics(file('../../../data/population/sweden.yaml'))
    households = [...generateSyntheticPopulation(stats, { persons: 20_000, seed: 42, today: TODAY })]
  })

  it('has exactly the number asked for, and the same persons for the same seed', () => {
    assert.equal(persons().length, 20_000)
    const again = [...generateSyntheticPopulation(stats, { persons: 20_000, seed: 42, today: TODAY })]
    assert.deepEqual(again, households)
    const other = [...generateSyntheticPopulation(stats, { persons: 20_000, seed: 43, today: TODAY })]
    assert.notDeepEqual(other[0], households[0])
  })

  it('gives everyone a valid, unique personal identity number that no test person has', async () => {
    const demo = await createDemoPopulationRegister(file('../../../data/people/persons.yaml')).listPersons()
    const taken = new Set(demo.map((p) => p.personalNumber))
    const seen = new Set<string>()
    for (const p of persons()) {
      assert.equal(normalisePersonalNumber(p.personalNumber), p.personalNumber)
      assert.equal(p.personalNumber.slice(0, 8), p.birthDate.replaceAll('-', ''))
      assert.doesNotMatch(p.personalNumber.slice(8, 11), /^23[89]$/)
      assert.ok(!taken.has(p.personalNumber) && !seen.has(p.personalNumber), p.personalNumber)
      seen.add(p.personalNumber)
    }
    assert.equal(new Set(persons().map((p) => p.id)).size, 20_000)
  })

  it('follows the age pyramid', () => {
    const quotas = ageQuotas(stats, 20_000, TODAY)
    const byAge = new Map<number, number>()
    for (const p of persons()) {
      const age = Temporal.PlainDate.from(p.birthDate).until(TODAY, { largestUnit: 'years' }).years
      byAge.set(age, (byAge.get(age) ?? 0) + 1)
    }
    for (let age = 0; age <= 105; age++)
      assert.equal(byAge.get(age) ?? 0, (quotas[age * 2] ?? 0) + (quotas[age * 2 + 1] ?? 0), `age ${age}`)
    const children = [...byAge].filter(([age]) => age < 18).reduce((sum, [, n]) => sum + n, 0)
    assert.ok(children / 20_000 > 0.18 && children / 20_000 < 0.23, `children: ${children}`)
  })

  it('places children with parents who have custody, and married couples as spouses', () => {
    const byId = new Map(persons().map((p) => [p.id, p]))
    let custodians = 0
    for (const h of households)
      for (const r of h.relations) {
        const from = byId.get(r.personId)
        const to = byId.get(r.relatedPersonId)
        assert.ok(from && to, 'both ends are in the population')
        if (r.kind === 'child') {
          assert.ok(from.birthDate < to.birthDate, 'a parent is older than the child')
          assert.ok(
            h.relations.some(
              (back) => back.kind === 'parent' && back.personId === to.id && back.relatedPersonId === from.id,
            ),
          )
          if (r.custody) custodians++
        }
        if (r.kind === 'spouse') assert.ok(['married', 'registered-partner'].includes(from.civilStatus))
      }
    assert.ok(custodians > 3000, `custody relations: ${custodians}`)
  })

  it('lives in the municipalities the catalogue knows among all 290, with incomes by age and register events', () => {
    assert.equal(stats.municipalities.length, 290)
    const ids = new Set(persons().map((p) => p.municipalityId))
    for (const id of ['nacka-kommun', 'linkopings-kommun', 'sundsvalls-kommun', 'goteborgs-stad'])
      assert.ok(
        stats.municipalities.some((m) => municipalityId(m) === id),
        id,
      )
    assert.ok(ids.has('goteborgs-stad') && ids.size > 200)
    const adults = persons().filter((p) => p.birthDate < '1990-01-01' && p.birthDate > '1975-01-01')
    const earning = adults.filter((p) => (p.occupation?.annualIncomeSek ?? 0) > 0).length
    assert.ok(earning / adults.length > 0.9)
    assert.ok(
      persons()
        .filter((p) => p.birthDate > '2011-01-01')
        .every((p) => p.occupation === null),
    )
    const events = households.flatMap((h) => h.circumstances)
    assert.ok(
      events.some((e) => e.kind === 'pregnancy' && e.data.expectedDate && e.data.expectedDate > '2026-11-25'),
    )
    assert.ok(events.some((e) => e.kind === 'planned-move' && e.registeredOn <= '2026-11-25'))
  })

  it('counts days without a calendar object', () => {
    assert.equal(isoFromEpochDay(0), '1970-01-01')
    assert.equal(isoFromEpochDay(20_417), '2025-11-25')
    assert.equal(isoFromEpochDay(-25_567), '1900-01-01')
    assert.equal(isoFromEpochDay(11_016), '2000-02-29')
  })
})
