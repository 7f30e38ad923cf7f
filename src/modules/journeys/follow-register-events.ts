// Life events that start by themselves. A pregnancy registered by maternity care starts "Vi ska få
// barn"; the birth registered in folkbokföringen moves it on for both guardians (the date of birth
// replaces the expected date, and the birth step is done); a registered move starts "Flytta" with
// the report of the move done. What changed in a plan is kept with why and when, and shown on the
// plan ("Födseln registrerades 3 maj"). Running the same event again changes nothing.
import type { Kysely } from 'kysely'
import { withoutRecord } from '../../platform/access-scope.ts'
import type { Catalog } from '../catalog/index.ts'
import type { RegisterEvent } from '../people/index.ts'
import * as store from './journeys-store.ts'
import type { JourneysTables } from './journeys-tables.ts'

/** What a kind of register event does to whose plan. */
interface Follow {
  lifeEventId: string
  /** Whose plans: the person it is about, or (a birth) the guardians. */
  persons: (event: RegisterEvent) => string[]
  /** The life event's date the event gives, and what kind of date it is. */
  anchor: (event: RegisterEvent) => string | undefined
  anchorKind: 'pregnancy' | 'birth' | 'move'
  /** The steps, by their service, that the event has done. */
  doneServices: string[]
  reason: string
}

const FOLLOWS: Partial<Record<RegisterEvent['kind'], Follow>> = {
  pregnancy: {
    lifeEventId: 'vi-ska-fa-barn',
    persons: (e) => [e.personId],
    anchor: (e) => (typeof e.data.expectedDate === 'string' ? e.data.expectedDate : undefined),
    anchorKind: 'pregnancy',
    doneServices: ['modrahalsovard'],
    reason: 'pregnancy-registered',
  },
  birth: {
    lifeEventId: 'vi-ska-fa-barn',
    persons: (e) => (Array.isArray(e.data.guardians) ? e.data.guardians.map(String) : []),
    anchor: (e) => e.occurredOn,
    anchorKind: 'birth',
    doneServices: ['folkbokforing-av-nyfodd'],
    reason: 'birth-registered',
  },
  move: {
    lifeEventId: 'flytta',
    persons: (e) => [e.personId],
    anchor: (e) => e.occurredOn,
    anchorKind: 'move',
    doneServices: ['flyttanmalan'],
    reason: 'move-registered',
  },
}

/** A registered birth outranks the expected date, whichever event is followed last. */
const ANCHOR_RANK: Record<string, number> = { pregnancy: 1, birth: 2, move: 1 }

export function createFollowRegisterEvents(deps: { db: Kysely<JourneysTables>; catalog: Catalog }) {
  const { db, catalog } = deps

  /** The ids of a life event's steps whose service is one of these. */
  async function stepsFor(lifeEventId: string, services: string[]): Promise<string[]> {
    const event = await catalog.getLifeEvent(lifeEventId)
    return (event?.steps ?? []).filter((s) => s.service && services.includes(s.service)).map((s) => s.id)
  }

  /** Starts or moves on the life event a register event calls for, in the plans of those it concerns. */
  async function followRegisterEvent(
    event: RegisterEvent,
  ): Promise<{ persons: string[]; lifeEventId?: string }> {
    const follow = FOLLOWS[event.kind]
    if (!follow) return { persons: [] }
    const persons = follow.persons(event)
    const steps = await stepsFor(follow.lifeEventId, follow.doneServices)
    const anchorDate = follow.anchor(event) ?? null
    await withoutRecord('register-events', () =>
      db.transaction().execute(async (tx) => {
        for (const personId of persons) {
          const started = await store.findStartedLifeEvent(tx, personId, follow.lifeEventId)
          const keepsEarlier =
            started?.anchor_kind !== undefined &&
            started.anchor_kind !== null &&
            (ANCHOR_RANK[started.anchor_kind] ?? 0) > (ANCHOR_RANK[follow.anchorKind] ?? 0)
          await store.startLifeEvent(tx, {
            personId,
            lifeEventId: follow.lifeEventId,
            on: event.occurredOn,
            anchorDate: keepsEarlier ? started.anchor_date : anchorDate,
            anchorKind: keepsEarlier ? started.anchor_kind : follow.anchorKind,
            registerEventId: event.id,
          })
          for (const stepId of steps)
            await store.recordStepChange(tx, {
              personId,
              lifeEventId: follow.lifeEventId,
              stepId,
              status: 'done',
              reason: follow.reason,
              params: { date: event.occurredOn },
              on: event.occurredOn,
              registerEventId: event.id,
            })
        }
      }),
    )
    return { persons, lifeEventId: follow.lifeEventId }
  }

  /**
   * A benefit was decided without an application (barnbidrag at a birth): the step of the
   * person's started life events that the service belongs to shows it, with the amount and the
   * first payment.
   */
  async function recordBenefitGranted(grant: {
    personId: string
    serviceId: string
    caseId: string
    perMonth: number
    firstDate: string
    decidedOn: string
    registerEventId: string
  }): Promise<void> {
    await withoutRecord('register-events', async () => {
      const started = await store.listStartedLifeEvents(db, grant.personId)
      for (const life of started)
        for (const stepId of await stepsFor(life.life_event_id, [grant.serviceId]))
          await store.recordStepChange(db, {
            personId: grant.personId,
            lifeEventId: life.life_event_id,
            stepId,
            status: 'granted',
            reason: 'benefit-granted',
            params: {
              date: grant.decidedOn,
              amount: grant.perMonth,
              firstDate: grant.firstDate,
              caseId: grant.caseId,
            },
            on: grant.decidedOn,
            registerEventId: grant.registerEventId,
          })
    })
  }

  return { followRegisterEvent, recordBenefitGranted }
}
