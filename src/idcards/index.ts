/** Public surface of resident ID cards: applications handled anywhere, cards, loss reports, checks, the identity view. */
export { idCardRoutes } from './idcards.routes.ts';
export type { IdCardRouteOptions } from './idcards.routes.ts';
export { registerIdCardCommands } from './idcards.cli.ts';
export { IDCARD_ERRORS } from './idcards.errors.ts';
export { applyForCard } from './apply.service.ts';
export type { ApplyForCardInput } from './apply.service.ts';
export { confirmApplication, rejectApplication, deliverCard, getApplication, listCardApplicationsOf, cardApplicationQueue } from './decide.service.ts';
export { reportCardLost } from './loss.service.ts';
export { pendingCardApplications } from './queue.service.ts';
export { checkCard } from './check.service.ts';
export type { CardCheckResult } from './check.service.ts';
export { expireCards, cardsInRenewalWindow } from './expiry.service.ts';
export type { CardExpiring } from './expiry.service.ts';
export { getIdentity } from './identity.service.ts';
export type { IdentityView } from './identity.service.ts';
export type { ApplicationView, CardView, CardEventView } from './idcards.views.ts';
export type { HandlingScope, CardStatus } from './idcards.tables.ts';
export { idCardVisibilityRule } from './idcards.visibility.ts';
export { cardCheckTrail, cardEventTrail } from './trail.service.ts';
export { idCardPurposeResolver } from './purpose.ts';
/** For the bulk seed (src/registry/bulk): the card histories of a synthetic population, written by this module. */
export { copySeededCards, cardHistoryOf, CARD_SEED_TABLES } from './seed.ts';
export type { CardSeedPerson, BulkCopier, CardSeedOptions } from './seed.ts';
