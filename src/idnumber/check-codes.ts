/** Codes of the problems checkIdNumber reports; docs/errors.md lists each one (a test keeps them in sync). */
export const ID_ERROR_CODES = ['ID_FORMAT', 'ID_BIRTH_DATE', 'ID_CHECKSUM', 'ID_ADDRESS_CODE'] as const;
export const ID_WARNING_CODES = ['ID_VERY_OLD', 'ID_FOREIGN_PERMANENT_RESIDENT', 'ID_HK_MO_TW', 'ID_ADDRESS_CODE_ABOLISHED'] as const;

export type IdErrorCode = (typeof ID_ERROR_CODES)[number];
export type IdWarningCode = (typeof ID_WARNING_CODES)[number];

export const ID_CHECK_CODES: readonly (IdErrorCode | IdWarningCode)[] = [...ID_ERROR_CODES, ...ID_WARNING_CODES];
