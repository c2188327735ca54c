/** Public surface of the idnumber module: resident ID numbers per GB 11643-1999. */
export { checkIdNumber } from './validate.ts';
export type { CheckIdNumberOptions, IdCheckResult, IdIssue } from './validate.ts';
export { ID_CHECK_CODES, ID_ERROR_CODES, ID_WARNING_CODES } from './check-codes.ts';
export type { IdErrorCode, IdWarningCode } from './check-codes.ts';
export { isValidIdNumber } from './is-valid.ts';
export { ID_NUMBER_SHAPE, normalizeIdNumber } from './parse.ts';
export type { Sex } from './parse.ts';
export { upgradeIdNumber15 } from './upgrade.ts';
export type { UpgradeResult } from './upgrade.ts';
export { composeIdNumber, sequenceFitsSex } from './generate.ts';
export { checkCharOf } from './checksum.ts';
export { chinaTodayYmd } from './birth-date.ts';
export { idNumberRoutes } from './idnumber.routes.ts';
export { registerIdNumberCommands } from './idnumber.cli.ts';
