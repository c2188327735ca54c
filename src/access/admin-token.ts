import { randomBytes } from 'node:crypto';
import type { Actor } from './actor.ts';

/**
 * The stopgap root credential (`HUKOU_ADMIN_TOKEN`). Every route now answers to accounts (issue #4
 * phase 2); the token is still accepted by `installAccess` as the local operator (the whole nation,
 * like the CLI) for scripts and break-glass use, and every use is recorded under the actor id `admin`.
 */
export const STOPGAP_ADMIN_ACTOR: Readonly<Actor> = { id: 'admin', role: 'operator', authorityId: 'mps' };

/** The configured admin token, or a fresh random one (printed once at start) when unset. */
export function resolveAdminToken(env: NodeJS.ProcessEnv = process.env): { token: string; generated: boolean } {
  const given = env.HUKOU_ADMIN_TOKEN;
  if (given && given.length >= 16) return { token: given, generated: false };
  if (given) throw new Error('HUKOU_ADMIN_TOKEN must be at least 16 characters');
  return { token: randomBytes(24).toString('base64url'), generated: true };
}
