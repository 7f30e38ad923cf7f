// What the people module holds about a person, for the download of all Samla holds about them:
// their register data (read through the one door, for that purpose) and every access record of
// their chain, with the hashes that let them check it.
import type { AccessRecordView } from './access-records.ts'
import type { PersonData, ReadRequest } from './index.ts'

export function createPeoplePersonalData(deps: {
  readPerson: (request: ReadRequest) => Promise<PersonData | undefined>
  allAccessRecords: (personId: string) => Promise<AccessRecordView[]>
}) {
  const register = {
    id: 'register',
    collect: async (personId: string) =>
      (await deps.readPerson({ actor: { kind: 'person', personId }, purpose: 'data-export', personId })) ??
      null,
  }
  const accessRecords = {
    id: 'access-records',
    collect: (personId: string) => deps.allAccessRecords(personId),
  }
  return { register, accessRecords }
}
