// Whose errand a request handles, and who handles it. A signed-in person handles their own errands,
// or those of someone they may act for: a child in their custody, or an adult who has given them a
// power of attorney. Routes that act on "my" data ask errandOf for the person, with the scope they
// touch; the right is checked at that very request, so a withdrawn power of attorney or a child's
// 18th birthday stops the next request, not the next login. The rights themselves are kept by the
// auth module, which plugs its check in with provideRightCheck.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../errors.ts'
import { signedInViewer } from './guards.ts'

/** What a right to act for someone rests on. */
export type RightBasis = 'custody' | 'power-of-attorney'

/** What the actor may do for the person today. */
export type RightAnswer =
  | {
      kind: 'right'
      basis: RightBasis
      /** The areas of errands it covers, and the services in them; a guardian's covers everything. */
      areas: 'all' | readonly string[]
      services: 'all' | readonly string[]
    }
  /** A power of attorney exists, but today is before or after the days it is valid. */
  | { kind: 'outside-period' }
  | { kind: 'none' }

export type RightCheck = (actorPersonId: string, personId: string) => Promise<RightAnswer>

/**
 * What a route touches: an area of errands (elderly-care, parental-benefits, personal-details …),
 * the cases of one service, or any area (a list the route filters afterwards with covers()).
 */
export type Scope = { area: string } | { service: string } | 'any'

/** A scope as one string, as the people module's read takes it: elderly-care, service:hemtjanst, any. */
export function scopeKey(scope: Scope): string {
  if (scope === 'any') return 'any'
  return 'area' in scope ? scope.area : `service:${scope.service}`
}

export function scopeFromKey(key: string): Scope {
  if (key === 'any') return 'any'
  return key.startsWith('service:') ? { service: key.slice('service:'.length) } : { area: key }
}

export interface Errand {
  /** Whose errand it is: the person whose data and cases are handled. */
  personId: string
  /** Who handles it: the signed-in person. */
  actorPersonId: string
  /** The actor's name as their sign-in gave it, for the records of what they did. */
  actorName: string
  /** Set when the actor acts for someone else: the right it rests on. */
  representation: { basis: RightBasis } | undefined
  /** What the route touches. */
  scope: Scope
  /** Whether the errand reaches this scope (one's own errands reach everything). */
  covers(scope: Scope): boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Who may act for whom, provided by the module that keeps the rights. */
    rightCheck: RightCheck | undefined
  }
}

/** The auth module's check of who may act for whom; until it is provided, no one may. */
export function provideRightCheck(app: FastifyInstance, check: RightCheck): void {
  app.decorate('rightCheck', check)
}

async function checkRight(request: FastifyRequest, actorPersonId: string, personId: string) {
  const check = request.server.rightCheck
  return check ? check(actorPersonId, personId) : ({ kind: 'none' } as const)
}

/** Whether a right reaches a scope. */
export function rightCovers(answer: RightAnswer, scope: Scope): boolean {
  if (answer.kind !== 'right') return false
  if (scope === 'any') return true
  if ('area' in scope) return answer.areas === 'all' || answer.areas.includes(scope.area)
  return answer.services === 'all' || answer.services.includes(scope.service)
}

/** The right behind the session's choice of whose errands to handle, checked at this request. */
export async function resolveActingFor(request: FastifyRequest): Promise<void> {
  const viewer = request.viewer
  if (!viewer?.actingFor || !viewer.personId) return
  viewer.actingFor.right = await checkRight(request, viewer.personId, viewer.actingFor.personId)
}

/**
 * The errand of this request, for a route that touches `scope`. The person is the one in the
 * path (`personId`, the API), or else the one chosen in the session (the pages), or else the
 * signed-in person. Without a right: 404 for a person in the path, so that no one learns who
 * exists; 403 with a message for the session's choice. A right that does not reach the scope, or
 * a power of attorney outside its days, is refused with 403 and a message.
 */
export async function errandOf(
  request: FastifyRequest,
  scope: Scope,
  options: { personId?: string } = {},
): Promise<Errand> {
  const viewer = signedInViewer(request)
  const actorPersonId = viewer.personId
  if (!actorPersonId) throw new AppError('PERSON_NOT_FOUND')
  const chosen = viewer.actingFor
  const personId = options.personId ?? chosen?.personId ?? actorPersonId
  // A form says whose errand it was filled in for; another tab may have switched person since.
  const filledInFor = (request.body as Record<string, unknown> | undefined)?._for
  if (typeof filledInFor === 'string' && filledInFor !== personId) throw new AppError('ERRAND_CHANGED')
  const base = { personId, actorPersonId, actorName: viewer.name, scope }
  if (personId === actorPersonId) return { ...base, representation: undefined, covers: () => true }

  const fromSession = chosen?.personId === personId && options.personId === undefined
  const answer =
    chosen?.personId === personId && chosen.right
      ? chosen.right
      : await checkRight(request, actorPersonId, personId)
  if (answer.kind === 'none') {
    if (fromSession) throw new AppError('ACTING_FOR_ENDED', { params: { name: chosen?.name ?? '' } })
    throw new AppError('PERSON_NOT_FOUND')
  }
  if (answer.kind === 'outside-period') throw new AppError('ACTING_FOR_NOT_VALID')
  if (!rightCovers(answer, scope)) throw new AppError('ACTING_FOR_OUT_OF_SCOPE')
  return {
    ...base,
    representation: { basis: answer.basis },
    covers: (s) => rightCovers(answer, s),
  }
}

/** 403 unless the errand reaches the scope: for a case whose service is known only once it is read. */
export function requireScope(errand: Errand, scope: Scope): void {
  if (!errand.covers(scope)) throw new AppError('ACTING_FOR_OUT_OF_SCOPE')
}

/**
 * Who reads for this errand, in the form the people module's door takes: the actor, whose data,
 * and when acting for someone, on whose behalf and in what scope (so that the right is checked
 * again at the read and written to the person's access log).
 */
export function readerOf(errand: Errand, scope: Scope = errand.scope) {
  return {
    actor: { kind: 'person' as const, personId: errand.actorPersonId },
    personId: errand.personId,
    ...(errand.representation ? { onBehalfOf: errand.personId, scope: scopeKey(scope) } : {}),
  }
}

/** Who filed something for the errand, when it was not the person themself: for the case's record. */
export function filedByOf(errand: Errand) {
  return errand.representation
    ? { personId: errand.actorPersonId, name: errand.actorName, basis: errand.representation.basis }
    : undefined
}
