/** Public surface of settlement (落户) by city size: city classes, policies as data, explained eligibility, facts, rounds, simulation. */
export { settlementRoutes } from './settlement.routes.ts';
export type { SettlementRouteOptions } from './settlement.routes.ts';
export { registerSettlementCommands } from './settlement.cli.ts';
export { SETTLEMENT_ERRORS } from './settlement.errors.ts';
export { classifyPopulation, cityRecord, loadCities, CITY_CLASSES, type CityClass } from './city-class.ts';
export { loadPolicySet, policySet, reloadPolicies, type PolicyIssue, type PolicyVersion } from './policy.loader.ts';
export { checkSettlement, replayDecision, type CheckResult } from './check.service.ts';
export { recordFact, listFacts, type RecordFactInput, type FactView } from './facts.service.ts';
export { requestReview, decideReview, getReview } from './review.service.ts';
export { openRound, applyToRound, scoreRound, publishRound, roundList, lodgeObjection, approveRound, getRound } from './round.service.ts';
export { simulatePolicy } from './simulation.service.ts';
