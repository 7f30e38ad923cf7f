// The access guard: a Kysely plugin that sees every query and refuses those that touch a table
// holding personal data outside an access scope (../access-scope.ts). It makes an unrecorded read
// fail loudly where it is written, instead of going unnoticed. Samla installs it through the
// composition root when ACCESS_GUARD is on, and the tests always do.
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely'
import { type AccessScope, currentAccessScope, UnrecordedAccessError } from '../access-scope.ts'

export interface AccessGuardOptions {
  /** Schema-qualified tables that hold a person's data, such as people.persons. */
  tables: readonly string[]
  /** The reviewed reasons for touching them without a record, each with why that is right. */
  unrecordedReasons: Readonly<Record<string, string>>
}

/** The guarded tables a query names: in its syntax tree, or in the text of raw SQL. */
export function tablesOf(node: RootOperationNode, guarded: ReadonlySet<string>): Set<string> {
  const found = new Set<string>()
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return
    if (Array.isArray(value)) {
      for (const item of value) visit(item)
      return
    }
    const n = value as {
      kind?: string
      schema?: { name: string }
      identifier?: { name: string }
      sqlFragments?: readonly string[]
    }
    if (n.kind === 'SchemableIdentifierNode' && n.identifier) {
      const name = n.schema ? `${n.schema.name}.${n.identifier.name}` : n.identifier.name
      if (guarded.has(name)) found.add(name)
      return
    }
    if (n.kind === 'RawNode' && n.sqlFragments)
      for (const fragment of n.sqlFragments)
        for (const table of guarded) if (fragment.includes(table)) found.add(table)
    for (const child of Object.values(n)) visit(child)
  }
  visit(node)
  return found
}

const HOW_TO =
  'Read personal data inside people.readPerson or people.access.read (which record the read), ' +
  'ownData(personId, …) for a person’s own data, or withoutRecord(reason, …) with a reason from ' +
  'src/app/unrecorded-access.ts; see docs/architecture.md, "Access records".'

export function createAccessGuard(options: AccessGuardOptions): KyselyPlugin {
  const guarded = new Set(options.tables)
  const counted = new WeakMap<object, Extract<AccessScope, { kind: 'recorded' }>>()
  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      const tables = tablesOf(node, guarded)
      if (tables.size === 0) return node
      const scope = currentAccessScope()
      const what = [...tables].join(', ')
      if (!scope)
        throw new UnrecordedAccessError(`A ${node.kind} on ${what} ran outside any access scope. ${HOW_TO}`)
      if (scope.kind === 'unrecorded' && !Object.hasOwn(options.unrecordedReasons, scope.reason))
        throw new UnrecordedAccessError(
          `A ${node.kind} on ${what} ran without a record for "${scope.reason}", which is not on the reviewed list. ${HOW_TO}`,
        )
      if (scope.kind === 'recorded') counted.set(queryId, scope)
      return node
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const scope = counted.get(queryId)
      if (scope) scope.rowsRead += result.rows.length
      return result
    },
  }
}
