/** Public surface of the population register: persons, households, registration events, transfers. */
export { registryRoutes } from './registry.routes.ts';
export { registerRegistryCommands } from './registry.cli.ts';
export { REGISTRY_ERRORS } from './registry.errors.ts';
export { createHousehold, formatHouseholdNumber } from './household.service.ts';
export type { CreateHouseholdInput } from './household.service.ts';
export { registerBirth } from './birth.service.ts';
export type { RegisterBirthInput, RegisterBirthResult } from './birth.service.ts';
export { addMember, removeMember } from './members.service.ts';
export type { AddMemberInput, RemoveMemberInput } from './members.service.ts';
export { moveMember } from './move.service.ts';
export type { MoveMemberInput } from './move.service.ts';
export { changeHead } from './head.service.ts';
export { splitHousehold } from './split.service.ts';
export { registerDeath, correctParticulars } from './person.service.ts';
export { getPerson, getHousehold, searchPersons, readOwnHousehold, ownIdNumber } from './read.service.ts';
export type { PersonView, HouseholdBooklet, SearchResult } from './read.service.ts';
export {
  applyTransfer,
  approveTransfer,
  rejectTransfer,
  moveOutAtOrigin,
  rejectAtOrigin,
  moveInAtDestination,
  advanceTransfer,
  runPendingSteps,
  expireTransfers,
  getTransfer,
  pendingTransfers,
} from './transfer.service.ts';
export type { TransferView } from './transfer.service.ts';
export { namePinyin } from './names.ts';
export { personIdOf } from './person-ref.ts';
export { LEGAL_BASIS } from './registry.law.ts';
export { transferVisibilityRule } from './transfer.visibility.ts';
export { hukouVisibilityRule, personHukouIn } from './hukou.visibility.ts';
export type { HouseholdKind } from './registry.tables.ts';
export {
  findPersonWithHukou,
  findPersonWithHukouById,
  findPersonIdByIdNumber,
  idNumbersHeldBy,
  lockPersonKeyShare,
  firstActivePersonIdWhere,
  personIsActive,
  personIsActiveUnder,
  personStatusOf,
  currentIdNumberOf,
  personNameOf,
  registrationEventsAbout,
  type PersonWithHukouRow,
} from './published.queries.ts';
export { configureRegisterChangeObservers, type RegisterChangeObserver } from './change-observers.ts';
export { registrationEventTrail } from './trail.service.ts';
export { transferPurposeResolver } from './purpose.ts';
export { closeHousehold } from './household.service.ts';
/** The current population as a subquery, for set-wise work (settlement simulations). */
export { currentHukouSubquery } from './population.sql.ts';
