/** What one module holds about a person, as plain JSON values. */
export interface PersonalDataSource {
  /** The section's key in the file, such as "cases". */
  id: string
  collect(personId: string): Promise<unknown>
}

/** The file's format and version. */
export const PERSONAL_DATA_FORMAT = 'samla-personal-data/1'

export interface PersonalData {
  format: typeof PERSONAL_DATA_FORMAT
  generatedAt: string
  personId: string
  sections: Record<string, unknown>
}
