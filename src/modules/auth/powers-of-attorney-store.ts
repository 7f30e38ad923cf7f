import type { Kysely } from 'kysely'
import type { AuthTables } from './auth-tables.ts'

type Db = Kysely<AuthTables>

export type PowerRow = Awaited<ReturnType<typeof findPower>> & object

export interface NewPower {
  principalPersonId: string
  principalName: string
  holderPersonId: string
  holderName: string
  areas: string[]
  validFrom: string
  validTo: string
  idempotencyKey: string
  grantedAt: Date
}

/** Writes a power of attorney once per key: a second submit with the same key gets the first one. */
export async function insertPower(db: Db, p: NewPower): Promise<{ id: string; replayed: boolean }> {
  const row = await db
    .insertInto('auth.powers_of_attorney')
    .values({
      principal_person_id: p.principalPersonId,
      principal_name: p.principalName,
      holder_person_id: p.holderPersonId,
      holder_name: p.holderName,
      areas: p.areas,
      valid_from: p.validFrom,
      valid_to: p.validTo,
      idempotency_key: p.idempotencyKey,
      granted_at: p.grantedAt,
    })
    .onConflict((oc) => oc.columns(['principal_person_id', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (row) return { id: row.id, replayed: false }
  const earlier = await db
    .selectFrom('auth.powers_of_attorney')
    .select('id')
    .where('principal_person_id', '=', p.principalPersonId)
    .where('idempotency_key', '=', p.idempotencyKey)
    .executeTakeFirstOrThrow()
  return { id: earlier.id, replayed: true }
}

export async function findPower(db: Db, id: string) {
  return db.selectFrom('auth.powers_of_attorney').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Powers the person has given, newest first, withdrawn ones included. */
export async function powersGivenBy(db: Db, principalPersonId: string) {
  return db
    .selectFrom('auth.powers_of_attorney')
    .selectAll()
    .where('principal_person_id', '=', principalPersonId)
    .orderBy('granted_at', 'desc')
    .execute()
}

/** Powers the person holds, newest first, withdrawn ones included. */
export async function powersHeldBy(db: Db, holderPersonId: string) {
  return db
    .selectFrom('auth.powers_of_attorney')
    .selectAll()
    .where('holder_person_id', '=', holderPersonId)
    .orderBy('granted_at', 'desc')
    .execute()
}

/** Who holds a power the person has given that is not withdrawn, whatever its days: no names. */
export async function holdersOfPowersGivenBy(db: Db, principalPersonId: string) {
  return db
    .selectFrom('auth.powers_of_attorney')
    .select(['holder_person_id', 'areas', 'valid_from', 'valid_to'])
    .where('principal_person_id', '=', principalPersonId)
    .where('withdrawn_at', 'is', null)
    .execute()
}

/** The powers one person has given another that are not withdrawn, whatever their days. */
export async function powersInForce(db: Db, principalPersonId: string, holderPersonId: string) {
  return db
    .selectFrom('auth.powers_of_attorney')
    .select(['areas', 'valid_from', 'valid_to', 'principal_name'])
    .where('holder_person_id', '=', holderPersonId)
    .where('principal_person_id', '=', principalPersonId)
    .where('withdrawn_at', 'is', null)
    .execute()
}

/** Withdraws a power the principal has given; false when there is no such power in force. */
export async function withdrawPower(
  db: Db,
  principalPersonId: string,
  id: string,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('auth.powers_of_attorney')
    .set({ withdrawn_at: at })
    .where('id', '=', id)
    .where('principal_person_id', '=', principalPersonId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
