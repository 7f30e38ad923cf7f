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
  /** Documents sent to a case, such as a certificate from a nurse or doctor. */
  'documents',
  /** Income as taxed by Skatteverket (the latest final taxation). */
  'income',
  /** Pensions paid each month, with the tax withheld. */
  'pension',
  /** When the person is busy, from a calendar they share: start and end only. */
  'calendar',
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
  /** The person sees exactly what a consent they are asked for would share: their own figures. */
  'consent-preview': { legalBasis: 'own-request', categories: ['income', 'pension'] },
  /** An agency's system fetching income and pension to work out a fee (elderly care under the maximum fee). */
  'fee-calculation': { legalBasis: 'consent', categories: ['income', 'pension'] },
  /** An agency proposing a time from a calendar the person shares with it. */
  scheduling: { legalBasis: 'consent', categories: ['calendar'] },
  /**
   * Giving someone a power of attorney (the giver's own name, and the name of the person they
   * name), and seeing the powers given and received (the other party's name).
   */
  'power-of-attorney': { legalBasis: 'own-request', categories: ['identity'] },
  /** Showing whom the person may act for: their children in custody, and who gave them a power (the name). */
  'acting-for': { legalBasis: 'own-request', categories: ['family'] },
  /** Showing the person's cases, decisions and messages to someone acting for them. */
  'case-overview': { legalBasis: 'own-request', categories: ['cases'] },
  /** Everything Samla holds about the person, fetched at their own request (GDPR art. 15 and 20). */
  'data-export': {
    legalBasis: 'own-request',
    categories: [
      'identity',
      'address',
      'civil-status',
      'occupation',
      'family',
      'circumstances',
      'cases',
      'documents',
    ],
  },
  /** Telling the agencies that need it of a move or a death (tell us once): who, and the new address. */
  'tell-us-once': { legalBasis: 'register-law', categories: ['identity', 'address'] },
  /**
   * A benefit decided without an application when a register event calls for it (barnbidrag at a
   * birth): the rules read the child's guardians and the children in their care.
   */
  'automatic-benefit': { legalBasis: 'case-handling', categories: ['identity', 'family'] },
  /** Loading register data into Samla. */
  'register-import': {
    legalBasis: 'register-law',
    categories: ['identity', 'address', 'civil-status', 'occupation', 'family', 'circumstances'],
  },
} as const satisfies Record<string, { legalBasis: string; categories: readonly DataCategory[] }>

export type Purpose = keyof typeof PURPOSES

export class AccessDeniedError extends Error {}

/** The right on which a person acts for another: custody of a child, or a power of attorney. */
export type Representation = 'custody' | 'power-of-attorney'

/** The purposes someone acting for the person may read for, within the areas of their right. */
const REPRESENTABLE: readonly Purpose[] = [
  'profile',
  'personal-plan',
  'application',
  'consent-preview',
  'case-overview',
]

/**
 * The policy for reading a person's data: a person reads their own; a caseworker reads, for case
 * handling only, the person a case at their own agency is about (the case module vouches for
 * that). An agency's system reads, for a purpose that rests on consent, only while a valid consent
 * of the person covers that agency, purpose and data (the consent module vouches for that).
 * A guardian or the holder of a power of attorney reads, for the person's own errands, within the
 * areas of their right (the auth module vouches for the right, read by read). A person who names
 * another by personal identity number to give them a power of attorney reads that one's name.
 */
export function mayRead(
  actor: Actor,
  personId: string,
  purpose: Purpose,
  caseAccess: boolean,
  consentGiven = false,
  acting: { representation?: Representation | undefined; namedByPersonalNumber?: boolean } = {},
): boolean {
  const restsOnConsent = PURPOSES[purpose].legalBasis === 'consent'
  switch (actor.kind) {
    case 'person':
      if (purpose === 'register-import' || purpose === 'case-handling' || restsOnConsent) return false
      if (actor.personId === personId) return true
      if (acting.representation) return REPRESENTABLE.includes(purpose)
      return purpose === 'power-of-attorney' && acting.namedByPersonalNumber === true
    case 'samla':
      return purpose === 'login' || purpose === 'register-import' || purpose === 'tell-us-once'
    case 'caseworker':
      return purpose === 'case-handling' && caseAccess
    case 'agency-system':
      return restsOnConsent && consentGiven
    case 'rule':
      return purpose === 'automatic-benefit'
    default:
      return false
  }
}

/** Answers whether a case at the actor's agency concerns the person: the legal basis of a caseworker's read. */
export type CaseAccessCheck = (actor: Actor, personId: string, caseId: string) => Promise<boolean>

/**
 * Answers on what right a person acts for another in a scope of errands (an area such as
 * elderly-care, or a service's case as service:hemtjanst), or undefined when they have none: the
 * legal basis of a guardian's or a proxy's read, given by the auth module.
 */
export type RepresentationCheck = (
  actor: Actor,
  personId: string,
  scope: string,
) => Promise<Representation | undefined>

/**
 * Finds the consent that lets the actor read these categories of the person's data for the purpose
 * now: its id, or undefined when no valid consent covers them. The legal basis of a read that rests
 * on consent; the id goes into the access record.
 */
export type ConsentCheck = (request: {
  actor: Actor
  personId: string
  purpose: Purpose
  categories: readonly DataCategory[]
}) => Promise<string | undefined>

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
