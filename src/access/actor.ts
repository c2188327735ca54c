/**
 * Who is acting. Every service receives one; events and (later) the access log record it.
 * Until accounts and roles land (issue #4) the API knows a single administrator, authenticated by
 * the bearer token `HUKOU_ADMIN_TOKEN`, and the CLI acts as the local operator.
 */
export interface Actor {
  /** Stable id recorded in events and logs, e.g. `admin`, `cli:root`, `user:42`. */
  id: string;
  role: 'administrator' | 'operator' | 'system';
  /** The authority the actor works for (`mps` for the national administrator). */
  authorityId: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system', authorityId: 'mps' };

export function cliActor(): Actor {
  return { id: `cli:${process.env.USER ?? 'operator'}`, role: 'operator', authorityId: 'mps' };
}
