// Acting for someone else. A guardian acts for a child in their custody (the population register
// says so) until the day the child turns 18; an adult acts for another adult who has given them a
// power of attorney in Samla, within its areas and its days, until it is withdrawn. The right is
// answered afresh each time it is asked, from the register and the powers as they are now.
import type { Kysely } from 'kysely'
import { ownData, withoutRecord } from '../../platform/access-scope.ts'
import { type Clock, Temporal } from '../../platform/clock.ts'
import type { RightAnswer, RightBasis } from '../../platform/http/errand.ts'
import { rightCovers, scopeFromKey } from '../../platform/http/errand.ts'
import { type Actor, normalisePersonalNumber, type People, type ReadScope } from '../people/index.ts'
import { ACTING_FOR_AREAS, AREA_IDS, type AreaId, isAreaId, servicesOf } from './acting-for-areas.ts'
import type { AuthTables } from './auth-tables.ts'
import * as store from './powers-of-attorney-store.ts'

/** The longest a power of attorney given in Samla can be valid: Samla's own limit, to catch typing errors. */
export const MAX_POWER_YEARS = 5
const ADULT_AGE = 18

export interface PowerOfAttorneyRequest {
  principalPersonId: string
  holderPersonalNumber: string
  areas: string[]
  validFrom: string
  validTo: string
  idempotencyKey: string
}

export type PowerProblem =
  | 'personal-number-invalid'
  | 'holder-not-found'
  | 'holder-is-principal'
  | 'holder-not-adult'
  | 'principal-not-adult'
  | 'areas-missing'
  | 'area-unknown'
  | 'date-invalid'
  | 'from-in-past'
  | 'to-before-from'
  | 'too-long'

export type GiveResult =
  | { kind: 'given'; id: string; replayed: boolean }
  | { kind: 'invalid'; problems: Array<{ field: string; problem: PowerProblem }> }
  | { kind: 'person-not-found' }

export type PowerStatus = 'valid' | 'not-yet-valid' | 'expired' | 'withdrawn'

export interface PowerOfAttorney {
  id: string
  principal: { personId: string; name: string }
  holder: { personId: string; name: string }
  areas: Array<{ id: string; name: { sv: string; en: string } }>
  validFrom: string
  validTo: string
  grantedAt: string
  withdrawnAt: string | null
  status: PowerStatus
}

/** Someone the person may act for today, and on what right. */
export interface Represented {
  personId: string
  name: string
  basis: RightBasis
  /** The areas covered; a guardian's right covers them all. */
  areas: 'all' | Array<{ id: string; name: { sv: string; en: string } }>
  /** The last day of the right: the day before an 18th birthday, or the power's last day. */
  validTo: string
}

function parseDate(value: string): Temporal.PlainDate | undefined {
  try {
    return /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? Temporal.PlainDate.from(value, { overflow: 'reject' })
      : undefined
  } catch {
    return undefined
  }
}

const isAdult = (birthDate: string, today: Temporal.PlainDate) =>
  Temporal.PlainDate.compare(Temporal.PlainDate.from(birthDate).add({ years: ADULT_AGE }), today) <= 0

const withinDays = (p: { valid_from: string; valid_to: string }, today: string) =>
  p.valid_from <= today && today <= p.valid_to

/** Someone who may act for a person today on a power of attorney. */
export interface Representative {
  personId: string
  /** The person's name as the power gives it. */
  principalName: string
  /** The areas of the holder's valid powers. */
  areas: AreaId[]
}

export type ActingFor = ReturnType<typeof createActingFor>

export function createActingFor(deps: { db: Kysely<AuthTables>; clock: Clock; people: People }) {
  const { db, clock, people } = deps
  const today = () => clock.today()
  const now = () => new Date(clock.now().epochMilliseconds)

  /** What the actor may do for the person today: custody of a minor, or powers of attorney in force. */
  async function rightOf(actorPersonId: string, personId: string): Promise<RightAnswer> {
    if (actorPersonId === personId) return { kind: 'none' }
    if (await people.hasCustodyOfMinor(actorPersonId, personId, today().toString()))
      return { kind: 'right', basis: 'custody', areas: 'all', services: 'all' }
    const powers = await withoutRecord('access-policy', () =>
      store.powersInForce(db, personId, actorPersonId),
    )
    const day = today().toString()
    const valid = powers.filter((p) => withinDays(p, day))
    if (valid.length === 0) return powers.length > 0 ? { kind: 'outside-period' } : { kind: 'none' }
    const areas = [...new Set(valid.flatMap((p) => p.areas))]
    return { kind: 'right', basis: 'power-of-attorney', areas, services: servicesOf(areas) }
  }

  /**
   * For the people module's read policy: the right on which a person reads another's data for an
   * errand in a scope (an area, or service:<id>), or undefined when there is none.
   */
  async function representationFor(
    actor: Actor,
    personId: string,
    scope: string,
  ): Promise<RightBasis | undefined> {
    if (actor.kind !== 'person') return undefined
    const answer = await rightOf(actor.personId, personId)
    return answer.kind === 'right' && rightCovers(answer, scopeFromKey(scope)) ? answer.basis : undefined
  }

  /**
   * The principal gives another adult, named by personal identity number, a power of attorney for
   * some areas between two dates. Each problem is returned with the field it concerns; the same
   * idempotency key gives the same power once more.
   */
  async function givePowerOfAttorney(request: PowerOfAttorneyRequest): Promise<GiveResult> {
    const problems: Array<{ field: string; problem: PowerProblem }> = []
    const day = today()
    const areas = [...new Set(request.areas)]
    if (areas.length === 0) problems.push({ field: 'areas', problem: 'areas-missing' })
    else if (!areas.every(isAreaId)) problems.push({ field: 'areas', problem: 'area-unknown' })
    const from = parseDate(request.validFrom)
    const to = parseDate(request.validTo)
    if (!from) problems.push({ field: 'validFrom', problem: 'date-invalid' })
    else if (Temporal.PlainDate.compare(from, day) < 0)
      problems.push({ field: 'validFrom', problem: 'from-in-past' })
    if (!to) problems.push({ field: 'validTo', problem: 'date-invalid' })
    else if (from && Temporal.PlainDate.compare(to, from) < 0)
      problems.push({ field: 'validTo', problem: 'to-before-from' })
    else if (from && Temporal.PlainDate.compare(to, from.add({ years: MAX_POWER_YEARS })) > 0)
      problems.push({ field: 'validTo', problem: 'too-long' })

    const principal = await people.readPerson({
      actor: { kind: 'person', personId: request.principalPersonId },
      purpose: 'power-of-attorney',
      personId: request.principalPersonId,
    })
    if (!principal?.identity) return { kind: 'person-not-found' }
    if (!isAdult(principal.identity.birthDate, day))
      problems.push({ field: 'holderPersonalNumber', problem: 'principal-not-adult' })

    const number = normalisePersonalNumber(request.holderPersonalNumber)
    let holder: { personId: string; name: string } | undefined
    if (!number) problems.push({ field: 'holderPersonalNumber', problem: 'personal-number-invalid' })
    else if (number === principal.identity.personalNumber)
      problems.push({ field: 'holderPersonalNumber', problem: 'holder-is-principal' })
    else {
      const named = await people.findNamedPerson({
        actor: { kind: 'person', personId: request.principalPersonId },
        purpose: 'power-of-attorney',
        personalNumber: number,
      })
      if (!named?.identity) problems.push({ field: 'holderPersonalNumber', problem: 'holder-not-found' })
      else if (!isAdult(named.identity.birthDate, day))
        problems.push({ field: 'holderPersonalNumber', problem: 'holder-not-adult' })
      else holder = { personId: named.id, name: `${named.identity.givenName} ${named.identity.familyName}` }
    }
    if (problems.length > 0 || !holder || !from || !to) return { kind: 'invalid', problems }

    const principalName = `${principal.identity.givenName} ${principal.identity.familyName}`
    const given = await ownData(request.principalPersonId, () =>
      store.insertPower(db, {
        principalPersonId: request.principalPersonId,
        principalName,
        holderPersonId: holder.personId,
        holderName: holder.name,
        areas: AREA_IDS.filter((a) => areas.includes(a)),
        validFrom: from.toString(),
        validTo: to.toString(),
        idempotencyKey: request.idempotencyKey,
        grantedAt: now(),
      }),
    )
    return { kind: 'given', ...given }
  }

  /** The principal withdraws a power at once; the holder's next request is refused. */
  async function withdrawPowerOfAttorney(
    principalPersonId: string,
    powerId: string,
  ): Promise<{ kind: 'withdrawn' } | { kind: 'not-found' }> {
    return (await ownData(principalPersonId, () =>
      store.withdrawPower(db, principalPersonId, powerId, now()),
    ))
      ? { kind: 'withdrawn' }
      : { kind: 'not-found' }
  }

  function present(row: store.PowerRow): PowerOfAttorney {
    const day = today().toString()
    const status: PowerStatus = row.withdrawn_at
      ? 'withdrawn'
      : day < row.valid_from
        ? 'not-yet-valid'
        : day > row.valid_to
          ? 'expired'
          : 'valid'
    return {
      id: row.id,
      principal: { personId: row.principal_person_id, name: row.principal_name },
      holder: { personId: row.holder_person_id, name: row.holder_name },
      areas: row.areas.filter(isAreaId).map((id) => ({ id, name: ACTING_FOR_AREAS[id].name })),
      validFrom: row.valid_from,
      validTo: row.valid_to,
      grantedAt: row.granted_at.toISOString(),
      withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
      status,
    }
  }

  /**
   * The powers the person has given and those given to them, newest first. Each names the other
   * party, whose name is recorded as read by the person.
   */
  async function listPowersOfAttorney(personId: string) {
    return people.access.read(
      { actor: { kind: 'person', personId }, purpose: 'power-of-attorney' },
      async (scope) => {
        const [given, received] = await Promise.all([
          store.powersGivenBy(db, personId),
          store.powersHeldBy(db, personId),
        ])
        for (const p of given) scope.record(p.holder_person_id, ['identity'])
        for (const p of received) scope.record(p.principal_person_id, ['identity'])
        return { given: given.map(present), received: received.map(present) }
      },
    )
  }

  /** Whom the person may act for today: children in their custody under 18, and valid powers. */
  async function listRepresented(personId: string): Promise<Represented[]> {
    return people.access.read({ actor: { kind: 'person', personId }, purpose: 'acting-for' }, (scope) =>
      representedBy(personId, scope),
    )
  }

  async function representedBy(personId: string, scope: ReadScope): Promise<Represented[]> {
    const day = today()
    const self = await people.readPerson({
      actor: { kind: 'person', personId },
      purpose: 'acting-for',
      personId,
    })
    const children: Represented[] = (self?.family ?? [])
      .filter((f) => f.kind === 'child' && f.custody && !isAdult(f.birthDate, day))
      .map((c) => ({
        personId: c.personId,
        name: `${c.givenName} ${c.familyName}`,
        basis: 'custody' as const,
        areas: 'all' as const,
        validTo: Temporal.PlainDate.from(c.birthDate)
          .add({ years: ADULT_AGE })
          .subtract({ days: 1 })
          .toString(),
      }))
    const byPrincipal = new Map<string, Represented>()
    for (const p of (await store.powersHeldBy(db, personId)).map(present)) {
      if (p.status !== 'valid') continue
      // The principal's name is shown: a read of their identity, recorded for them.
      scope.record(p.principal.personId, ['identity'])
      const earlier = byPrincipal.get(p.principal.personId)
      const areas = [...(earlier && earlier.areas !== 'all' ? earlier.areas : []), ...p.areas].filter(
        (a, i, all) => all.findIndex((b) => b.id === a.id) === i,
      )
      byPrincipal.set(p.principal.personId, {
        personId: p.principal.personId,
        name: p.principal.name,
        basis: 'power-of-attorney',
        areas: AREA_IDS.flatMap((id) => areas.filter((a) => a.id === id)),
        validTo: earlier && earlier.validTo > p.validTo ? earlier.validTo : p.validTo,
      })
    }
    return [...children, ...byPrincipal.values()]
  }

  /**
   * Those who may act for the person today on a power of attorney, each with the areas of their
   * valid powers and the person's name as the power gives it. Telling a holder the name is a read
   * of the person's identity by the holder, recorded for the person.
   */
  async function representativesOf(principalPersonId: string): Promise<Representative[]> {
    const day = today().toString()
    const powers = await withoutRecord('access-policy', () =>
      store.holdersOfPowersGivenBy(db, principalPersonId),
    )
    const holders = [...new Set(powers.filter((p) => withinDays(p, day)).map((p) => p.holder_person_id))]
    const found: Representative[] = []
    for (const holderPersonId of holders) {
      const representative = await people.access.read(
        {
          actor: { kind: 'person', personId: holderPersonId },
          purpose: 'power-of-attorney',
          onBehalfOf: principalPersonId,
        },
        async (scope) => {
          const valid = (await store.powersInForce(db, principalPersonId, holderPersonId)).filter((p) =>
            withinDays(p, day),
          )
          const [first] = valid
          if (!first) return undefined
          scope.record(principalPersonId, ['identity'])
          const areas = valid.flatMap((p) => p.areas)
          return {
            personId: holderPersonId,
            principalName: first.principal_name,
            areas: AREA_IDS.filter((a) => areas.includes(a)),
          }
        },
      )
      if (representative) found.push(representative)
    }
    return found
  }

  return {
    rightOf,
    representationFor,
    representativesOf,
    givePowerOfAttorney,
    withdrawPowerOfAttorney,
    listPowersOfAttorney,
    listRepresented,
  }
}
