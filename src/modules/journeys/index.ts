// journeys: a person's life events and their personal plan across agencies.

import type { Kysely } from 'kysely'
import { type Clock, Temporal } from '../../platform/clock.ts'
import type { Catalog } from '../catalog/index.ts'
import type { Actor, People, PersonData } from '../people/index.ts'
import { createFollowRegisterEvents } from './follow-register-events.ts'
import * as store from './journeys-store.ts'
import type { JourneysTables } from './journeys-tables.ts'
import { type ConditionName, makePlan, type Plan, type PlanContext, type TellUsOnce } from './make-plan.ts'

export { journeysApi, journeysPages } from './journeys-http.ts'
export type { JourneysTables } from './journeys-tables.ts'
/** The tables that hold a person's data: read only inside an access scope (see people's record-reads.ts). */
export const JOURNEYS_PERSONAL_TABLES = ['journeys.started_life_events', 'journeys.step_changes'] as const
export type { Delivery, Plan, PlanStep, TellUsOnce } from './make-plan.ts'
export { taxReturnDeadline, taxReturnOpens } from './tax-calendar.ts'

/** Where a life event's date can be found in what other registers hold about the person. */
const ANCHOR_SOURCES: Record<string, { circumstance: string; field: string }> = {
  expectedBirthDate: { circumstance: 'pregnancy', field: 'expectedDate' },
  moveDate: { circumstance: 'planned-move', field: 'moveDate' },
  startDate: { circumstance: 'planned-business', field: 'startDate' },
}

export interface PlanRequest {
  lifeEventId: string
  /** The signed-in person whose plan it is; absent for a general plan. */
  viewer?: {
    actor: Actor
    personId: string
    /** When the actor acts for the person: on whose behalf, and the scope the right must reach. */
    onBehalfOf?: string
    scope?: string
  }
  /** The life event's date as the person gave it (YYYY-MM-DD). */
  date?: string
  /** The other municipality: where the person moves, or where the relative lives. */
  municipality?: string
}

export type PlanResult =
  | { kind: 'plan'; plan: Plan }
  | { kind: 'life-event-not-found' }
  | { kind: 'person-not-found' }
  | { kind: 'invalid-date' }
  | { kind: 'unknown-municipality' }

export type Journeys = ReturnType<typeof createJourneys>

function parseDate(value: string): Temporal.PlainDate | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' })
  } catch {
    return undefined
  }
}

function ageOn(birthDate: string, today: Temporal.PlainDate): number {
  return Temporal.PlainDate.from(birthDate).until(today, { largestUnit: 'years' }).years
}

function factsOf(person: PersonData, today: Temporal.PlainDate, destination?: string): PlanContext['facts'] {
  const facts: Partial<Record<ConditionName, boolean>> = {}
  if (person.civilStatus) {
    facts.married = person.civilStatus === 'married' || person.civilStatus === 'registered-partner'
    facts['not-married'] = !facts.married
  }
  if (person.occupation !== undefined)
    facts.employed = person.occupation?.kind === 'employed' || person.occupation?.kind === 'self-employed'
  if (person.family) {
    const children = person.family.filter((r) => r.kind === 'child')
    facts['has-children'] = children.length > 0
    facts['has-children-under-12'] = children.some((c) => ageOn(c.birthDate, today) < 12)
  }
  if (destination && person.address)
    facts['moving-between-municipalities'] = destination !== person.address.municipalityId
  return facts
}

/** A move the person reported once (interop), with each agency's delivery. */
export type LatestMove = (
  reader: NonNullable<PlanRequest['viewer']>,
) => Promise<
  | (Omit<TellUsOnce, 'date'> & { moveDate: string; fromMunicipalityId?: string; toMunicipalityId: string })
  | undefined
>

export function createJourneys(deps: {
  /** The life events that started by themselves, and the steps register events changed. */
  db: Kysely<JourneysTables>
  catalog: Catalog
  people: People
  clock: Clock
  /** The person's reported move and its receipts (the interop module), for the plan of a move. */
  latestMove?: LatestMove
}) {
  const { catalog, people, clock } = deps

  /** Makes the plan for a life event: personal when someone is signed in, general otherwise. */
  async function makePersonalPlan(request: PlanRequest): Promise<PlanResult> {
    const event = await catalog.getLifeEvent(request.lifeEventId)
    if (!event) return { kind: 'life-event-not-found' }
    const today = clock.today()
    const agencies = await catalog.agenciesById()

    let entered: Temporal.PlainDate | undefined
    if (request.date) {
      entered = parseDate(request.date)
      if (!entered || Math.abs(entered.year - today.year) > 100) return { kind: 'invalid-date' }
    }
    if (request.municipality && agencies.get(request.municipality)?.level !== 'municipality')
      return { kind: 'unknown-municipality' }

    const ctx: PlanContext = { today, facts: {}, agencies }
    if (entered) {
      ctx.anchorDate = entered
      ctx.anchorSource = 'entered'
    }
    let otherMunicipality = request.municipality
    if (request.viewer) {
      const viewer = request.viewer
      // The person's register data, and what register events have done in this plan: one read.
      const found = await people.access.read(
        { actor: viewer.actor, purpose: 'personal-plan', onBehalfOf: viewer.onBehalfOf },
        async () => {
          const person = await people.readPerson({ ...viewer, purpose: 'personal-plan' })
          if (!person) return undefined
          const started = await store.findStartedLifeEvent(deps.db, viewer.personId, event.id)
          const changes = await store.listStepChanges(deps.db, viewer.personId, event.id)
          return { person, started, changes }
        },
      )
      if (!found) return { kind: 'person-not-found' }
      const { person, started } = found
      ctx.changes = Object.fromEntries(
        found.changes.map((c) => [
          c.step_id,
          { status: c.status, reason: c.reason, params: c.params, on: c.changed_on },
        ]),
      )
      ctx.municipalityId = person.address?.municipalityId
      const source = ANCHOR_SOURCES[event.anchor.key]
      const circumstance = source && person.circumstances?.find((c) => c.kind === source.circumstance)
      const registered =
        source && circumstance ? parseDate(String(circumstance.data[source.field] ?? '')) : undefined
      // A life event a register event started or moved on: its date wins (the date of birth).
      const startedAnchor = started?.anchor_date ? parseDate(started.anchor_date) : undefined
      if (!ctx.anchorDate && startedAnchor) {
        ctx.anchorDate = startedAnchor
        ctx.anchorSource = 'register'
        ctx.anchorCircumstance = started?.anchor_kind ?? undefined
      }
      if (!ctx.anchorDate && source && registered) {
        ctx.anchorDate = registered
        ctx.anchorSource = 'register'
        ctx.anchorCircumstance = source.circumstance
      }
      const move = person.circumstances?.find((c) => c.kind === 'planned-move')
      const movesSomewhere = event.steps.some((s) => s.responsible.startsWith('$destination'))
      if (!otherMunicipality && movesSomewhere && typeof move?.data.destination === 'string')
        otherMunicipality = move.data.destination
      ctx.facts = factsOf(person, today, otherMunicipality)
      // A move reported in Samla: its date, both municipalities and what each agency was told.
      const reported =
        event.anchor.key === 'moveDate' && deps.latestMove ? await deps.latestMove(request.viewer) : undefined
      if (reported) {
        if (!entered) {
          ctx.anchorDate = Temporal.PlainDate.from(reported.moveDate)
          ctx.anchorSource = 'register'
          ctx.anchorCircumstance = 'reported-move'
        }
        if (reported.fromMunicipalityId) ctx.municipalityId = reported.fromMunicipalityId
        otherMunicipality = request.municipality ?? reported.toMunicipalityId
        if (ctx.municipalityId && otherMunicipality)
          ctx.facts['moving-between-municipalities'] = ctx.municipalityId !== otherMunicipality
        ctx.tellUsOnce = {
          date: reported.moveDate,
          reportedAt: reported.reportedAt,
          source: reported.source,
          deliveries: reported.deliveries,
        }
        ctx.tellUsOnceService = 'flyttanmalan'
      }
    }
    if (!ctx.anchorDate && event.anchor.defaultsToToday) {
      ctx.anchorDate = today
      ctx.anchorSource = 'today'
    }
    ctx.destinationMunicipalityId = otherMunicipality
    ctx.relativeMunicipalityId = otherMunicipality
    return { kind: 'plan', plan: makePlan(event, ctx) }
  }

  return {
    makePersonalPlan,
    /** Register events start and move on life events (app/jobs.ts hears of them). */
    ...createFollowRegisterEvents({ db: deps.db, catalog }),
  }
}
