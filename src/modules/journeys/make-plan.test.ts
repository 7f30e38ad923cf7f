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

describe('Johan’s plan for "Flytta" after he reported the move once (journey 4)', () => {
  const delivered = (agencyId: string) => ({
    agencyId,
    status: 'delivered' as const,
    attempts: 1,
    receiptId: `${agencyId}-kvitto`,
    deliveredAt: '2026-11-25T09:01:00.000Z',
  })
  const plan = makePlan(event('flytta'), {
    today,
    anchorDate: Temporal.PlainDate.from('2026-12-15'),
    anchorSource: 'register',
    municipalityId: 'sundsvalls-kommun',
    destinationMunicipalityId: 'goteborgs-stad',
    facts: { 'moving-between-municipalities': true, 'has-children': false },
    agencies,
    tellUsOnce: {
      date: '2026-12-15',
      reportedAt: '2026-11-25T09:00:00.000Z',
      source: 'samla',
      deliveries: [
        delivered('skatteverket'),
        delivered('sundsvalls-kommun'),
        delivered('goteborgs-stad'),
        { agencyId: 'csn', status: 'failed', attempts: 2, lastError: 'the agency answered 503' },
      ],
    },
    tellUsOnceService: 'flyttanmalan',
  })
  const step = (id: string) => {
    const s = plan.steps.find((x) => x.id === id)
    assert.ok(s, `step ${id}`)
    return s
  }

  it('marks the notice of move done once Skatteverket has given its receipt', () => {
    assert.equal(step('flyttanmalan').status, 'done')
    assert.equal(step('flyttanmalan').delivery?.receiptId, 'skatteverket-kvitto')
  })

  it('shows what updated by itself in both municipalities, with the receipt', () => {
    assert.equal(step('gamla-kommunen-far-uppgifterna').delivery?.agencyId, 'sundsvalls-kommun')
    assert.equal(step('nya-kommunen-far-uppgifterna').delivery?.agencyId, 'goteborgs-stad')
    assert.equal(step('csn-far-adressen').delivery?.status, 'failed')
  })

  it('keeps what does not update by itself as things to do, for the right municipality', () => {
    assert.equal(step('avsluta-i-gamla-kommunen').responsible.agency?.id, 'sundsvalls-kommun')
    assert.equal(step('avsluta-i-gamla-kommunen').delivery, undefined)
    assert.equal(step('parkeringstillstand-i-nya-kommunen').status, 'to-do')
    assert.equal(step('vatten-och-avfall').responsible.agency?.id, 'goteborgs-stad')
  })
})

describe('Anna’s plan after the birth is registered (journey 1)', () => {
  const plan = makePlan(event('vi-ska-fa-barn'), {
    today: Temporal.PlainDate.from('2027-03-12'),
    anchorDate: Temporal.PlainDate.from('2027-03-10'),
    anchorSource: 'register',
    anchorCircumstance: 'birth',
    municipalityId: 'linkopings-kommun',
    facts: { married: false, 'not-married': true, employed: true },
    agencies,
    changes: {
      'folkbokforing-av-barnet': {
        status: 'done',
        reason: 'birth-registered',
        params: { date: '2027-03-10' },
        on: '2027-03-10',
      },
      barnbidrag: {
        status: 'granted',
        reason: 'benefit-granted',
        params: { date: '2027-03-12', amount: 625, firstDate: '2027-04-20' },
        on: '2027-03-12',
      },
    },
  })

  it('marks the steps the register did as done, with why', () => {
    const done = plan.steps.filter((s) => s.status === 'done')
    assert.deepEqual(
      done.map((s) => [s.id, s.change?.reason]),
      [
        ['folkbokforing-av-barnet', 'birth-registered'],
        ['barnbidrag', 'benefit-granted'],
      ],
    )
  })

  it('moves what is left up: the steps after the birth come first, the done ones last', () => {
    const ids = plan.steps.map((s) => s.id)
    assert.ok(ids.indexOf('ansok-om-namn') < ids.indexOf('folkbokforing-av-barnet'))
    assert.deepEqual(ids.slice(-2), ['folkbokforing-av-barnet', 'barnbidrag'])
    assert.equal(plan.steps.find((s) => s.id === 'ansok-om-namn')?.due?.date, '2027-06-10')
  })
})
