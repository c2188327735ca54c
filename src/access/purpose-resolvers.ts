import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import type { Purpose } from './purpose.ts';

/**
 * Knows one kind of application (ID card applications, transfers, residence registrations and
 * permits, the general applications module…): given the id in `application:<id>`, the persons it
 * concerns, or null when it is not an application of this kind. Each module exports its own; the
 * list is composed in app/build-app.ts, so a new kind of application is one more entry there.
 */
export interface PurposeResolver {
  kind: string;
  personsConcerned(db: Db, applicationId: string): Promise<number[] | null>;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A purpose naming an application must name an existing application concerning the person whose
 * data is read (PIPL Art. 6: processing directly related to the stated purpose): `application:foo`
 * is refused. `personIds` empty (a search, or nothing returned): the application must exist.
 */
export async function assertPurposeConcerns(db: Db, resolvers: readonly PurposeResolver[], purpose: Purpose | null, personIds: readonly number[]): Promise<void> {
  if (!purpose || purpose.kind !== 'application') return;
  let known = false;
  for (const resolver of resolvers) {
    const concerned = await resolver.personsConcerned(db, purpose.ref);
    if (concerned === null) continue;
    known = true;
    if (personIds.length === 0 || personIds.some((id) => concerned.includes(id))) return;
  }
  throw new AppError(
    'PURPOSE_UNKNOWN_APPLICATION',
    known
      ? `Application ${purpose.ref} does not concern the person whose record you asked for; state the application you are handling for them, or a case (\`X-Purpose: case:<reference>\`).`
      : `No application ${purpose.ref} exists (kinds: ${resolvers.map((r) => r.kind).join(', ')}); state the id of the application you are handling, or a case (\`X-Purpose: case:<reference>\`).`,
    { details: [{ field: 'header.x-purpose', code: known ? 'NOT_CONCERNING' : 'UNKNOWN_APPLICATION', message: `application ${purpose.ref}` }] },
  );
}
