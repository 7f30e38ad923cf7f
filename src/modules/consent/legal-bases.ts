// What agencies may read without consent, by law: a data file in the repository, checked against
// its schema when loaded, shown beside the consents so the person sees the whole picture.
import { readFile } from 'node:fs/promises'
import Type, { type Static } from 'typebox'
import Value from 'typebox/value'
import { parse } from 'yaml'

const Text = Type.Object({ sv: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) })

export const LegalBasis = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]+$' }),
    /** The agency that reads: an agency id, "$municipality" for the person's own, or null for all. */
    recipient: Type.Union([Type.String(), Type.Null()]),
    /** The agency whose register is read, or null. */
    source: Type.Union([Type.String(), Type.Null()]),
    data: Text,
    purpose: Text,
    legalReferences: Type.Array(
      Type.Object(
        {
          reference: Type.String({ minLength: 1 }),
          status: Type.Union([Type.Literal('verified'), Type.Literal('unverified')]),
          source: Type.String({ minLength: 1 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
)
export type LegalBasis = Static<typeof LegalBasis>

export class LegalBasesFileError extends Error {}

export async function loadLegalBases(file: string): Promise<LegalBasis[]> {
  const raw: unknown = parse(await readFile(file, 'utf8'))
  if (!Array.isArray(raw)) throw new LegalBasesFileError(`${file}: expected a list`)
  return raw.map((entry, i) => {
    if (!Value.Check(LegalBasis, entry)) {
      const first = Value.Errors(LegalBasis, entry)[0]
      throw new LegalBasesFileError(
        `${file}[${i}]${first?.instancePath ?? ''}: ${first?.message ?? 'invalid'}`,
      )
    }
    return entry
  })
}
