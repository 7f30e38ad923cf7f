// my-data ("Mina uppgifter"): everything Samla holds about a person, gathered from every module
// that holds some, as a readable page and as a machine-readable file (GDPR art. 15 and 20). Each
// module offers a source; the composition root lists them, so a new module joins with one line.
// The download is itself a read of personal data: it is recorded in the person's chain.
import type { Clock } from '../../platform/clock.ts'
import type { People } from '../people/index.ts'

import { PERSONAL_DATA_FORMAT, type PersonalData, type PersonalDataSource } from './personal-data.ts'

export { myDataHttp } from './my-data-http.ts'
export { PERSONAL_DATA_FORMAT, type PersonalData, type PersonalDataSource } from './personal-data.ts'

export type MyData = ReturnType<typeof createMyData>

export function createMyData(deps: { people: People; clock: Clock; sources: PersonalDataSource[] }) {
  const ids = deps.sources.map((s) => s.id)
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i)
  if (twice.length > 0) throw new Error(`two personal-data sources are called ${twice.join(', ')}`)

  /** Everything Samla holds about the person, read as one recorded read of all their data. */
  async function downloadPersonalData(personId: string): Promise<PersonalData> {
    return deps.people.access.read(
      { actor: { kind: 'person', personId }, purpose: 'data-export' },
      async (scope) => {
        scope.record(personId)
        const sections: Record<string, unknown> = {}
        for (const source of deps.sources) sections[source.id] = await source.collect(personId)
        return {
          format: PERSONAL_DATA_FORMAT,
          generatedAt: new Date(deps.clock.now().epochMilliseconds).toISOString(),
          personId,
          sections,
        }
      },
    )
  }

  return { downloadPersonalData }
}
