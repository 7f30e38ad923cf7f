// Who reads personal data, and why. Every read names an actor and a purpose; the purpose carries
// the legal basis the read relies on, and both are written to the access log the citizen sees.

export type Actor =
  | { kind: 'person'; personId: string }
  | { kind: 'caseworker'; subject: string; agencyId: string }
  | { kind: 'service-owner'; subject: string; agencyId: string }
  | { kind: 'agency-system'; agencyId: string }
  | { kind: 'samla'; process: string }
  /** An automated decision: the rule set (id@version) that read the data. */
  | { kind: 'rule'; ruleSet: string; agencyId: string }

export const DATA_CATEGORIES = [
  'identity',
  'address',
  'civil-status',
  'occupation',
  'family',
  'circumstances',
  /** Cases and what was claimed in them, such as care days for a child. */
  'cases',
] as const
export type DataCategory = (typeof DATA_CATEGORIES)[number]

/** The purposes Samla reads personal data for, each with its legal basis (a message key). */
export const PURPOSES = {
  /** Linking a signed-in person to their record. */
  login: { legalBasis: 'own-request', categories: ['identity'] },
  /** Showing the person their own profile. */
  profile: {
    legalBasis: 'own-request',
    categories: ['identity', 'address', 'civil-status', 'occupation', 'family'],
  },
  /** Making the person's own plan for a life event. */
  'personal-plan': {
    legalBasis: 'own-request',
    categories: ['address', 'civil-status', 'occupation', 'family', 'circumstances'],
  },
  /** Prefilling and deciding the person's own application (their income, occupation and children). */
  application: { legalBasis: 'own-request', categories: ['identity', 'address', 'occupation', 'family'] },
  /** A caseworker handling a case about the person: the parts of the picture the case needs. */
  'case-handling': { legalBasis: 'case-handling', categories: ['identity', 'occupation', 'family'] },
  /** An automated decision reading what others have claimed for the same child (VAB: the year's days, the same day). */
  'case-decision': { legalBasis: 'case-handling', categories: ['cases'] },
  /** Loading register data into Samla. */
  'register-import': {
    legalBasis: 'register-law',
    categories: ['identity', 'address', 'civil-status', 'occupation', 'family', 'circumstances'],
  },
} as const satisfies Record<string, { legalBasis: string; categories: readonly DataCategory[] }>

export type Purpose = keyof typeof PURPOSES

export class AccessDeniedError extends Error {}

/**
 * The policy for reading a person's data: a person reads their own; a caseworker reads, for case
 * handling only, the person a case at their own agency is about (the case module vouches for
 * that). Guardians and holders of a power of attorney are added with the modules that give them a
 * legal basis.
 */
export function mayRead(actor: Actor, personId: string, purpose: Purpose, caseAccess: boolean): boolean {
  switch (actor.kind) {
    case 'person':
      return actor.personId === personId && purpose !== 'register-import' && purpose !== 'case-handling'
    case 'samla':
      return purpose === 'login' || purpose === 'register-import'
    case 'caseworker':
      return purpose === 'case-handling' && caseAccess
    default:
      return false
  }
}

/** Answers whether a case at the actor's agency concerns the person: the legal basis of a caseworker's read. */
export type CaseAccessCheck = (actor: Actor, personId: string, caseId: string) => Promise<boolean>

export function describeActor(actor: Actor): { kind: Actor['kind']; id: string; agencyId: string | null } {
  switch (actor.kind) {
    case 'person':
      return { kind: 'person', id: actor.personId, agencyId: null }
    case 'caseworker':
    case 'service-owner':
      return { kind: actor.kind, id: actor.subject, agencyId: actor.agencyId }
    case 'agency-system':
      return { kind: 'agency-system', id: actor.agencyId, agencyId: actor.agencyId }
    case 'samla':
      return { kind: 'samla', id: actor.process, agencyId: null }
    case 'rule':
      return { kind: 'rule', id: actor.ruleSet, agencyId: actor.agencyId }
  }
}
