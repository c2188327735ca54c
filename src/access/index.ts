export type { Actor } from './actor.ts';
export { SYSTEM_ACTOR, cliActor, accountActorId } from './actor.ts';
export { ACCOUNT_ROLES, OFFICER_ROLES, isOfficer, requiresSecondFactor, PLATFORM_AUTHORITY, type AccountRole, type Role } from './roles.ts';
export { OPERATIONS, can, assertCan, needsPurpose, type Operation } from './operations.ts';
export {
  jurisdictionOf,
  authorityArea,
  areaContains,
  areaWithin,
  areaPredicate,
  whereInJurisdiction,
  placeInJurisdiction,
  authorityInJurisdiction,
  authorityInJurisdictionSql,
  assertActsFor,
  type Area,
  type Jurisdiction,
  type Place,
} from './jurisdiction.ts';
export {
  personVisibleTo,
  configurePersonVisibility,
  personVisibilityRuleNames,
  type PersonVisibilityRule,
} from './person-visibility.ts';
export { requirePurpose, statedPurpose, parsePurpose, defaultToApplicationPurpose, PURPOSE_HEADER, PURPOSE_PATTERN, type Purpose } from './purpose.ts';
export { PurposeQuery, PurposeHeaders } from './access.schemas.ts';
export { assertPurposeConcerns, UUID_PATTERN, type PurposeResolver } from './purpose-resolvers.ts';
export { maskIdNumber, maskName } from './masking.ts';
export { notAmongVisible, COUNTER_ANYWHERE_HINT, personNotFound } from './refusals.ts';
export { sealPersonHandle, openPersonHandle, HANDLE_TTL_SECONDS } from './handles.ts';
export { installAccess, isPublicRoute, registeredRoutes, actorOf, actorOrNull, type AccessOptions, type AccessRuntime, type RouteAccess, type RouteInfo } from './access.http.ts';
export { loadAccessSettings, type AccessSettings } from './access.config.ts';
export { accessRoutes } from './access.routes.ts';
export { ACCESS_ERRORS } from './access.errors.ts';
export { issueApiToken } from './auth.service.ts';
export { createAccount, sealStoredSecrets, type CreateAccountInput, type CreatedAccount } from './accounts.service.ts';
export { loadSecretKey, useSecretKey, useSecretKeyOf, sealSecret, openSecret, SECRET_KEY_ENV } from './secret-box.ts';
export { seedDemoAccounts, type DemoAccount } from './demo-accounts.ts';
export { registerAccessCommands, formatDemoAccounts } from './access.cli.ts';
export { totpCode } from './totp.ts';
export { configurePersonDirectory, type PersonDirectory } from './person-directory.ts';
export { describeActors, type ActorDescription } from './actors.service.ts';
export { CREDENTIALS_CHANNEL, CREDENTIAL_CACHE_MS, credentialsChanged } from './credential-cache.ts';
