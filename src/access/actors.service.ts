import type { Db } from '../platform/db/database.ts';
import { accountActorId } from './actor.ts';
import * as q from './access.queries.ts';

export interface ActorDescription {
  role: string;
  authorityId: string;
  authorityName: string | null;
}

/** Who the actors recorded in other modules' events are: role and authority of each account actor. */
export async function describeActors(db: Db, actorIds: readonly string[]): Promise<Map<string, ActorDescription>> {
  const rows = await q.accountsOfActors(db, actorIds);
  return new Map(rows.map((r) => [accountActorId(r.id), { role: r.role, authorityId: r.authority_id, authorityName: r.authority_name }]));
}
