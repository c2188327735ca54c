import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';

/**
 * What every service receives: the database (or a transaction), who acts, and the time. `actor` is
 * declared by the access module, which owns actors (`access/actor.ts` augments this interface), so
 * the ground floor imports no domain module.
 */
export interface ServiceContext {
  db: Db;
  clock: Clock;
}
