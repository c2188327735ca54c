import type { Db } from '../platform/db/database.ts';

/**
 * The register's id of the person who holds or held `idNumber` (曾用身份号码 included), or null: for
 * modules that keep rows about a person (certificates) and must not read the register's tables.
 * Not scoped: the caller decides who may see what it then keeps.
 */
export async function personIdOf(db: Db, idNumber: string): Promise<number | null> {
  const row = await db.selectFrom('person_id_number').select('person_id').where('id_number', '=', idNumber).executeTakeFirst();
  return row?.person_id ?? null;
}
