import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';

/** What the register's route plugins receive from the composition root. */
export interface RegistryRouteOptions {
  db: Db;
  clock: Clock;
}
