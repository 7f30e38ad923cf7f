import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatPersonalNumber, normalisePersonalNumber } from './personal-number.ts'
import { createDemoPopulationRegister } from './population-register.ts'

describe('personal identity numbers', () => {
  it('accepts the published test number in its common forms', () => {
    for (const form of ['201701012393', '20170101-2393', '170101-2393', '1701012393'])
      assert.equal(normalisePersonalNumber(form), '201701012393', form)
  })

  it('refuses a wrong check digit, an impossible date and other text', () => {
    for (const bad of ['201701012394', '201702302393', 'abc', '', '2017010123931', "1'; drop table"])
      assert.equal(normalisePersonalNumber(bad), undefined, bad)
  })

  it('is shown with a hyphen', () => {
    assert.equal(formatPersonalNumber('199705142389'), '19970514-2389')
  })

  it('gives every demo person a valid number in the form of the test set', async () => {
    const register = createDemoPopulationRegister(
      new URL('../../../data/people/persons.yaml', import.meta.url).pathname,
    )
    const persons = await register.listPersons()
    assert.ok(persons.length >= 10)
    for (const p of persons) {
      assert.equal(normalisePersonalNumber(p.personalNumber), p.personalNumber)
      assert.match(p.personalNumber.slice(8, 11), /^23[89]$/, `${p.givenName}: birth number 238 or 239`)
      assert.equal(
        p.personalNumber.slice(0, 8),
        p.birthDate.replaceAll('-', ''),
        `${p.givenName}: date of birth`,
      )
    }
  })
})
