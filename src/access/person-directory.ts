import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/**
 * What accounts need from the register (which owns persons and depends on this module, so cannot be
 * imported from here): composed in `app/compose.ts` from the register's published lookups.
 */
export interface PersonDirectory {
  /** The id of the person holding (or having held) an ID number, or null. */
  findPersonIdByIdNumber(db: Db, idNumber: string): Promise<number | null>;
  /** The first living person (by id) for whom `excluded` does not hold. */
  firstActivePersonIdWhere(db: Db, excluded: (personId: Expression<number>) => Expression<SqlBool>): Promise<number | null>;
}

let directory: PersonDirectory | null = null;

export function configurePersonDirectory(d: PersonDirectory): void {
  directory = d;
}

export function personDirectory(): PersonDirectory {
  if (!directory) throw new Error('the person directory is not configured: call composeModules() (src/app/compose.ts) first');
  return directory;
}
