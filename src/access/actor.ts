import type { Role } from './roles.ts';

/**
 * Who is acting. Every service receives one; registration events and the access log record it.
 * API callers are accounts (issue #4); the CLI acts as the local operator; jobs act as `system`.
 */
export interface Actor {
  /** Stable id recorded in events and logs: `user:42` for accounts, `cli:root`, `admin`, `system`. */
  id: string;
  role: Role;
  /** The authority the actor works for (`mps` for the Ministry and for citizens, who use its online platform). */
  authorityId: string;
  /** The account behind the actor; absent for the CLI operator and `system`. */
  accountId?: number;
  /** Citizens only: their own person record (absent until the account is linked to one). */
  personId?: number;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system', authorityId: 'mps' };

export function cliActor(): Actor {
  return { id: `cli:${process.env.USER ?? 'operator'}`, role: 'operator', authorityId: 'mps' };
}

export function accountActorId(accountId: number): string {
  return `user:${accountId}`;
}

declare module '../platform/context.ts' {
  interface ServiceContext {
    /** Who acts: an account, the CLI's local operator, or the system itself. */
    actor: Actor;
  }
}
