import { CERTIFICATE_ERRORS } from '../certificates/index.ts';
import { APPLICATION_ERRORS } from '../applications/index.ts';
import { SETTLEMENT_ERRORS } from '../settlement/index.ts';
import { PLATFORM_ERRORS, type ErrorCatalogue } from '../platform/errors.ts';
import { ACCESS_ERRORS } from '../access/index.ts';
import { AUDIT_ERRORS } from '../audit/index.ts';
import { IDCARD_ERRORS } from '../idcards/index.ts';
import { REFERENCE_ERRORS } from '../reference/index.ts';
import { REGISTRY_ERRORS } from '../registry/index.ts';
import { BULK_ERRORS } from '../registry/bulk/index.ts';
import { RESIDENCE_ERRORS } from '../residence/index.ts';

/** Each catalogue part, by owner: `error-catalogue.test.ts` checks that no code is claimed twice. */
export const ERROR_CATALOGUE_PARTS = {
  platform: PLATFORM_ERRORS,
  reference: REFERENCE_ERRORS,
  access: ACCESS_ERRORS,
  audit: AUDIT_ERRORS,
  registry: REGISTRY_ERRORS,
  bulk: BULK_ERRORS,
  residence: RESIDENCE_ERRORS,
  idcards: IDCARD_ERRORS,
  certificates: CERTIFICATE_ERRORS,
  applications: APPLICATION_ERRORS,
  settlement: SETTLEMENT_ERRORS,
} as const;

/**
 * Every error code with its HTTP status and exit code, composed from each module's
 * `<module>.errors.ts`. Typed as `ErrorCatalogue`, it fails to compile when a code a module declares
 * (by augmenting `ErrorCodes`) is missing here.
 */
export const ERROR_CATALOGUE: ErrorCatalogue = {
  ...PLATFORM_ERRORS,
  ...REFERENCE_ERRORS,
  ...ACCESS_ERRORS,
  ...AUDIT_ERRORS,
  ...REGISTRY_ERRORS,
  ...BULK_ERRORS,
  ...RESIDENCE_ERRORS,
  ...IDCARD_ERRORS,
  ...CERTIFICATE_ERRORS,
  ...APPLICATION_ERRORS,
  ...SETTLEMENT_ERRORS,
};
