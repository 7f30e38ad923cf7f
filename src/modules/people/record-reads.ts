// Recorded reads: work that reads personal data runs in a scope that names who reads (the actor)
// and why (the purpose). The work says whose data it read, and which categories; when it is done,
// those records are appended to the persons' chains in one statement, before its result is
// returned. A read nested in a scope of the same actor and purpose joins it, so that a use case
// that reads a person several ways leaves one record per person.
import type { Kysely } from 'kysely'
import {
  type AccessScope,
  currentAccessScope,
  runInAccessScope,
  UnrecordedAccessError,
} from '../../platform/access-scope.ts'
import type { Clock } from '../../platform/clock.ts'
import { type Actor, describeActor, PURPOSES, type Purpose } from './access.ts'
import * as store from './people-store.ts'
import type { PeopleTables } from './people-tables.ts'

export interface AccessRequest {
  actor: Actor
  purpose: Purpose
  /** When someone acts for another person: whose errand it is. */
  onBehalfOf?: string | undefined
}

export interface ReadScope {
  /**
   * Says that the work read the person's data: the purpose's categories unless others are named.
   * A legal basis or consent other than the purpose's own goes with the record.
   */
  record(
    personId: string,
    categories?: readonly string[],
    basis?: { legalBasis?: string | undefined; consentId?: string | undefined },
  ): void
}

type RecordedScope = Extract<AccessScope, { kind: 'recorded' }>

interface PeopleScope extends RecordedScope {
  key: string
  api: ReadScope
  records: Map<
    string,
    { personId: string; legalBasis: string; consentId: string | null; categories: Set<string> }
  >
}

const ours = new WeakSet<object>()

/** A read of personal data must say who reads and why; anything less fails loudly. */
export function assertAccessRequest(request: unknown): asserts request is AccessRequest {
  const r = request as Partial<AccessRequest> | null | undefined
  const actor = r?.actor as Actor | undefined
  if (!actor || typeof actor !== 'object' || describeActor(actor) === undefined)
    throw new UnrecordedAccessError('A read of personal data needs an actor: who reads.')
  if (typeof r?.purpose !== 'string' || !Object.hasOwn(PURPOSES, r.purpose))
    throw new UnrecordedAccessError(
      `A read of personal data needs a purpose Samla knows, not ${JSON.stringify(r?.purpose)}.`,
    )
}

export type RecordedReads = ReturnType<typeof createRecordedReads>

export function createRecordedReads(deps: {
  db: Kysely<PeopleTables>
  clock?: Clock | undefined
  /** Where the records go: the persons' chains. Only the benchmark's baseline passes another. */
  append?: ((records: store.AccessRecord[]) => Promise<void>) | undefined
}) {
  const { db, clock } = deps
  const append = deps.append ?? inBatches((records) => store.insertAccessRecords(db, records))

  async function read<T>(request: AccessRequest, work: (scope: ReadScope) => Promise<T>): Promise<T> {
    assertAccessRequest(request)
    const who = describeActor(request.actor)
    const onBehalfOf = request.onBehalfOf ?? null
    const key = `${who.kind}\n${who.id}\n${who.agencyId}\n${request.purpose}\n${onBehalfOf}`
    const outer = currentAccessScope()
    if (outer && ours.has(outer) && (outer as PeopleScope).key === key) {
      const joined = outer as PeopleScope
      return work(joined.api)
    }
    const records: PeopleScope['records'] = new Map()
    const api: ReadScope = {
      record(personId, categories = PURPOSES[request.purpose].categories, basis = {}) {
        const legalBasis = basis.legalBasis ?? PURPOSES[request.purpose].legalBasis
        const consentId = basis.consentId ?? null
        const id = `${personId}\n${legalBasis}\n${consentId}`
        const found = records.get(id)
        if (found) for (const c of categories) found.categories.add(c)
        else records.set(id, { personId, legalBasis, consentId, categories: new Set(categories) })
      },
    }
    const scope: PeopleScope = {
      kind: 'recorded',
      label: `${who.kind} ${who.id} for ${request.purpose}`,
      rowsRead: 0,
      key,
      api,
      records,
    }
    ours.add(scope)
    const result = await runInAccessScope(scope, () => work(api))
    if (scope.rowsRead > 0 && records.size === 0 && result !== undefined && result !== null)
      throw new UnrecordedAccessError(
        `${scope.label} read ${scope.rowsRead} rows of personal data and returned them, but recorded no one’s read.`,
      )
    const readAt = clock ? new Date(clock.now().epochMilliseconds) : undefined
    await append(
      [...records.values()].map((r) => ({
        personId: r.personId,
        actorKind: who.kind,
        actorId: who.id,
        actorAgencyId: who.agencyId,
        onBehalfOf,
        consentId: r.consentId,
        purpose: request.purpose,
        legalBasis: r.legalBasis,
        categories: [...r.categories],
        ...(readAt ? { readAt } : {}),
      })),
    )
    return result
  }

  /** The scope the running work records its reads in. */
  function current(): ReadScope {
    const scope = currentAccessScope()
    if (!scope || !ours.has(scope))
      throw new UnrecordedAccessError('This read must run inside people.access.read, which records it.')
    return (scope as PeopleScope).api
  }

  return { read, current }
}

/**
 * Group commit for access records: while an INSERT is on its way, the records of the reads that end
 * meanwhile wait together and go in the next one, so that many reads share one statement and one
 * commit. One statement at a time by default: measured (npm run bench:tracker), fewer and larger
 * batches cost less than more statements at once. Each read's promise settles when the statement
 * holding its records has committed; should a batch fail, each read's records are tried alone, so
 * that one bad record fails only its own read.
 */
export function inBatches(
  write: (records: store.AccessRecord[]) => Promise<void>,
  options: { maxRecords?: number; inFlight?: number } = {},
): (records: store.AccessRecord[]) => Promise<void> {
  const maxRecords = options.maxRecords ?? 1000
  const inFlight = options.inFlight ?? 1
  let waiting: Array<{ records: store.AccessRecord[]; done: (error?: unknown) => void }> = []
  let writers = 0

  async function writeBatch(batch: typeof waiting): Promise<void> {
    try {
      await write(batch.flatMap((b) => b.records))
      for (const b of batch) b.done()
    } catch (error) {
      if (batch.length === 1) batch[0]?.done(error)
      else
        for (const b of batch)
          await write(b.records).then(
            () => b.done(),
            (alone: unknown) => b.done(alone),
          )
    }
  }

  async function drain(): Promise<void> {
    writers++
    while (waiting.length > 0) {
      let count = 0
      let take = 0
      while (
        take < waiting.length &&
        (take === 0 || count + (waiting[take]?.records.length ?? 0) <= maxRecords)
      )
        count += waiting[take++]?.records.length ?? 0
      const batch = waiting.slice(0, take)
      waiting = waiting.slice(take)
      await writeBatch(batch)
    }
    writers--
  }

  return (records) => {
    if (records.length === 0) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      waiting.push({ records, done: (error) => (error === undefined ? resolve() : reject(error)) })
      if (writers < inFlight) void drain()
    })
  }
}
