export type { Actor } from './actor.ts';
export { SYSTEM_ACTOR, cliActor } from './actor.ts';
export { resolveAdminToken, authenticateAdmin } from './admin-token.ts';
