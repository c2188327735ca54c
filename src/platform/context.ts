import type { Actor } from '../access/index.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';

/** What every service receives: the database (or a transaction), who acts, and the time. */
export interface ServiceContext {
  db: Db;
  actor: Actor;
  clock: Clock;
}
