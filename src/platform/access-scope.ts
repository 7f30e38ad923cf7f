// Access scopes: personal data is read only inside a scope that says on whose behalf, so that
// every read can be recorded for the person it concerns. The people module opens recorded scopes
// (an actor and a purpose; the records are written before the result leaves the scope); a person
// reading their own data opens an own scope; a few reviewed operations (the register import, the
// session lookup) run without a record and name their reason. The access guard
// (db/access-guard.ts) refuses queries on personal-data tables outside any scope.
import { AsyncLocalStorage } from 'node:async_hooks'

export type AccessScope =
  | {
      kind: 'recorded'
      /** Who reads and why, for error messages: "caseworker forsakringskassan:karin for case-handling". */
      label: string
      /** Rows of personal-data tables the scope's queries have returned so far. */
      rowsRead: number
    }
  | { kind: 'own'; personId: string }
  | { kind: 'unrecorded'; reason: string }

/** A read of personal data that no scope vouches for, or a scope opened without actor or purpose. */
export class UnrecordedAccessError extends Error {
  override name = 'UnrecordedAccessError'
}

const scopes = new AsyncLocalStorage<AccessScope>()

export function currentAccessScope(): AccessScope | undefined {
  return scopes.getStore()
}

export function runInAccessScope<T>(scope: AccessScope, work: () => Promise<T>): Promise<T> {
  return scopes.run(scope, work)
}

/**
 * The person reads their own data (their cases, their inbox): no record is needed, since no one
 * else reads. Anything about another person read here must still be recorded for that person.
 */
export function ownData<T>(personId: string, work: () => Promise<T>): Promise<T> {
  if (typeof personId !== 'string' || personId.length === 0)
    throw new UnrecordedAccessError('A read of a person’s own data needs the person.')
  // Someone else reading for the person (acting for them, or a download of everything) has
  // opened a recorded scope already: the reads stay in it.
  if (scopes.getStore()?.kind === 'recorded') return work()
  return scopes.run({ kind: 'own', personId }, work)
}

/**
 * Runs work that touches personal data without recording a read. The reason must be on the
 * reviewed list the access guard is given (src/app/unrecorded-access.ts); any other reason fails.
 */
export function withoutRecord<T>(reason: string, work: () => Promise<T>): Promise<T> {
  return scopes.run({ kind: 'unrecorded', reason }, work)
}
