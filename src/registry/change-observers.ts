import type { Db } from '../platform/db/database.ts';

/**
 * Called inside a register write's transaction with the persons whose status or place of hukou the
 * write changed, so modules that depend on the register (and that the register cannot import)
 * react atomically — residence ends the registrations the change overtook (居住证暂行条例 Art. 2).
 * Composed in `app/compose.ts`.
 */
export type RegisterChangeObserver = (trx: Db, personIds: readonly number[], by: { actorId: string; on: string }) => Promise<unknown>;

let observers: readonly RegisterChangeObserver[] = [];

export function configureRegisterChangeObservers(list: readonly RegisterChangeObserver[]): void {
  observers = [...list];
}

export async function notifyRegisterChange(trx: Db, personIds: readonly number[], by: { actorId: string; on: string }): Promise<void> {
  for (const observe of observers) await observe(trx, personIds, by);
}
