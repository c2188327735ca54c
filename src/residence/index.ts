/** Public surface of residence: registration (居住登记), permits (居住证), endorsements (签注), computed facts. */
export { residenceRoutes } from './residence.routes.ts';
export type { ResidenceRouteOptions } from './residence.routes.ts';
export { registerResidenceCommands } from './residence.cli.ts';
export { RESIDENCE_ERRORS } from './residence.errors.ts';
export { registerResidence, endResidenceRegistration, endOvertakenRegistrations } from './registration.service.ts';
export { applyForPermit, issuePermit, closePermit } from './permit.service.ts';
export { endorsePermit } from './endorsement.service.ts';
export { readRegistration, readPermit, pendingPermits } from './lookup.service.ts';
/** For settlement and the identity view: residence years, continuous residence, endorsement status. */
export { residenceFacts, residenceFactsOfPerson } from './facts.service.ts';
export type { ResidenceFacts } from './facts.service.ts';
export { residenceRecordOfPerson, findPermitInForce, permitsWithEndorsementWindowOpen } from './read.service.ts';
export type { ResidenceRecord, EndorsementDue } from './read.service.ts';
export type { RegistrationView, PermitView, EndorsementView } from './residence.views.ts';
export { RegistrationSchema, PermitSchema, EndorsementSchema, ResidenceFactsSchema } from './residence.schemas.ts';
/** Where people and authorities are: shared with the ID-card module (hukou place, accepting place, scope). */
export { authorityPlace, findActivePerson, findOwnPerson, findServicePerson, findServicePersonById, findVisiblePerson, hukouPlaceOf, personNotFound } from './places.ts';
export type { AuthorityPlace, ServicePerson } from './places.ts';
export { lockPersonFor } from './places.queries.ts';
export { residenceVisibilityRule } from './residence.visibility.ts';
export { residencePurposeResolver } from './purpose.ts';
export { residenceEventTrail } from './trail.service.ts';
/** For the bulk seed (src/registry/bulk): permits and endorsements of seeded residence registrations, written by this module. */
export { copySeededPermits, PERMIT_SEED_TABLES } from './seed.ts';
export type { PermitSeedRegistration, PermitSeedOptions, PermitBulkCopier } from './seed.ts';
/** Residents of a city as a subquery, for set-wise work (settlement simulations). */
export { cityResidentsSubquery } from './facts.sql.ts';
