// Which agencies need to know of a change, and in what order (DOMAIN: moving). A move reported in
// Samla goes first to Skatteverket's folkbokföring, as the notice of move (flyttanmälan); what
// follows from the population register by itself – Försäkringskassan, CSN and the Pensions Agency
// through Navet, the old and the new municipality – goes once Skatteverket has given its receipt.
// A change that comes from the register itself goes to those at once. A death goes to
// Försäkringskassan, the Pensions Agency and the municipality where the person lived.
import type { ChangeKind, DeathData, MoveData } from './interop-tables.ts'

export interface Recipient {
  agencyId: string
  stage: 1 | 2
}

/** The agencies that follow the population register. */
const FOLLOW_THE_REGISTER = ['forsakringskassan', 'csn', 'pensionsmyndigheten'] as const

export function recipientsOf(
  kind: ChangeKind,
  data: MoveData | DeathData | (Partial<MoveData> & { toMunicipalityId: string }),
  source: 'samla' | 'register',
): Recipient[] {
  const follows = source === 'samla' ? 2 : 1
  const agencies: string[] = [...FOLLOW_THE_REGISTER]
  if (kind === 'move') {
    const move = data as Partial<MoveData>
    for (const m of [move.fromMunicipalityId, move.toMunicipalityId])
      if (m && !agencies.includes(m)) agencies.push(m)
  } else {
    agencies.splice(agencies.indexOf('csn'), 1)
    agencies.push((data as DeathData).municipalityId)
  }
  const recipients: Recipient[] = agencies.map((agencyId) => ({ agencyId, stage: follows }))
  return kind === 'move' && source === 'samla'
    ? [{ agencyId: 'skatteverket', stage: 1 }, ...recipients]
    : recipients
}

/** The CloudEvent type of each kind of change. */
export const EVENT_TYPES: Record<ChangeKind, string> = {
  move: 'se.samla.person.moved',
  death: 'se.samla.person.died',
}
