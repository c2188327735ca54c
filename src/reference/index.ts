/** Public surface of the reference module: administrative divisions and national code tables. */
export { DivisionIndex, loadDivisionIndex, OPEN_END, ymdOf } from './division-history.ts';
export type { DivisionLevel, DivisionNames, DivisionPeriod, DivisionRecord, DivisionSource, Township } from './division-history.ts';
export { referenceRoutes } from './reference.routes.ts';
export { REFERENCE_ERRORS } from './reference.errors.ts';
export { loadReferenceData } from './reference.loader.ts';
export { syncAuthorities } from './authorities.ts';
