import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Temporal } from '../../platform/clock.ts'
import { loadCatalogFiles } from '../catalog/load-catalog-files.ts'
import { makePlan, type PlanContext } from './make-plan.ts'

const catalog = await loadCatalogFiles(new URL('../../../data/catalog/', import.meta.url).pathname)
const agencies = new Map(catalog.agencies.map((a) => [a.id, a]))
const event = (id: string) => {
  const e = catalog.lifeEvents.find((x) => x.id === id)
  if (!e) throw new Error(id)
  return e
}
const today = Temporal.PlainDate.from('2026-11-25')

describe('Anna’s plan for "Vi ska få barn" (journey 1)', () => {
  const ctx: PlanContext = {
    today,
    anchorDate: Temporal.PlainDate.from('2027-03-12'),
    anchorSource: 'register',
    municipalityId: 'linkopings-kommun',
    facts: { married: false, 'not-married': true, employed: true },
    agencies,
  }
  const plan = makePlan(event('vi-ska-fa-barn'), ctx)
  const step = (id: string) => {
    const s = plan.steps.find((x) => x.id === id)
    assert.ok(s, `step ${id}`)
    return s
  }

  it('dates the name application three months after the expected birth', () => {
    assert.equal(step('ansok-om-namn').due?.date, '2027-06-12')
    assert.equal(step('ansok-om-namn').due?.daysLeft, 199)
  })

  it('puts the preschool application with Linköping, eight months after the birth', () => {
    const preschool = step('ansok-om-forskoleplats')
    assert.equal(preschool.responsible.agency?.id, 'linkopings-kommun')
    assert.equal(preschool.responsible.level, 'municipality')
    assert.equal(preschool.due?.date, '2027-11-12')
  })

  it('resolves the region from where she lives, and says the birth registration happens by itself', () => {
    assert.equal(step('kontakta-barnmorskemottagningen').responsible.agency?.id, 'region-ostergotland')
    assert.equal(step('folkbokforing-av-barnet').status, 'automatic')
    assert.equal(step('barnbidrag').status, 'automatic')
  })

  it('includes confirming parenthood because she is not married', () => {
    assert.ok(plan.steps.some((s) => s.id === 'bekrafta-foraldraskapet'))
    assert.equal(plan.omittedSteps, 0)
  })

  it('orders every step after the steps it depends on', () => {
    const position = new Map(plan.steps.map((s, i) => [s.id, i]))
    for (const s of plan.steps)
      for (const a of s.after)
        assert.ok((position.get(a) ?? -1) < (position.get(s.id) ?? 0), `${a} before ${s.id}`)
  })
})

describe('plans for other people and no one in particular', () => {
  it('leaves out confirming parenthood for a married couple', () => {
    const plan = makePlan(event('vi-ska-fa-barn'), {
      today,
      anchorDate: Temporal.PlainDate.from('2027-03-12'),
      facts: { married: true, 'not-married': false, employed: true },
      agencies,
    })
    assert.ok(!plan.steps.some((s) => s.id === 'bekrafta-foraldraskapet'))
    assert.equal(plan.omittedSteps, 1)
  })

  it('shows a general plan without dates and with conditions still open', () => {
    const plan = makePlan(event('vi-ska-fa-barn'), { today, facts: {}, agencies })
    assert.ok(plan.steps.every((s) => s.due === undefined))
    const parenthood = plan.steps.find((s) => s.id === 'bekrafta-foraldraskapet')
    assert.deepEqual(parenthood?.unknownConditions, ['not-married'])
    assert.equal(parenthood?.responsible.agency, undefined)
    assert.equal(parenthood?.responsible.level, 'municipality')
  })

  it('gives Johan’s move a deadline one week after the move day, Tuesday to Tuesday', () => {
    const plan = makePlan(event('flytta'), {
      today,
      anchorDate: Temporal.PlainDate.from('2026-03-10'),
      municipalityId: 'sundsvalls-kommun',
      destinationMunicipalityId: 'goteborgs-stad',
      facts: {},
      agencies,
    })
    const notice = plan.steps.find((s) => s.id.includes('flyttanmal') || s.service?.id === 'flyttanmalan')
    assert.equal(notice?.due?.date, '2026-03-17')
    assert.equal(notice?.status, 'overdue')
    const responsible = new Set(plan.steps.map((s) => s.responsible.agency?.id))
    assert.ok(
      responsible.has('sundsvalls-kommun') && responsible.has('goteborgs-stad'),
      'both municipalities',
    )
  })

  it('dates the tax return from the calendar: Monday 3 May 2027', () => {
    const plan = makePlan(event('deklarera'), { today, facts: {}, agencies })
    const dates = plan.steps.flatMap((s) => (s.due ? [s.due.date] : []))
    assert.ok(dates.includes('2027-05-03'), dates.join(', '))
  })
})
