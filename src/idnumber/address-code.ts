/**
 * The address code (digits 1–6): the GB/T 2260 county-level code of the place of permanent
 * registration when the number was assigned (GB 11643-1999 §5.2). It is never re-derived, so a
 * code abolished after the birth stays valid; one abolished before the birth cannot occur.
 *
 * Two number families share the format without a mainland address code:
 * - residence permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证申领发放办法,
 *   国办发〔2018〕81号): 810000, 820000, 830000;
 * - the 2023 Foreign Permanent Resident ID Card (National Immigration Administration, 2023):
 *   9, then the issuing province's two digits, then a three-digit nationality code.
 */
import type { DivisionIndex, DivisionNames } from '../reference/index.ts';
import { isoOfYmd } from './birth-date.ts';
import type { IdWarningCode } from './check-codes.ts';

export const HK_MO_TW_REGIONS: ReadonlyMap<number, string> = new Map([
  [810000, '香港特别行政区'],
  [820000, '澳门特别行政区'],
  [830000, '台湾地区'],
]);

const HK_MO_TW_ENGLISH: ReadonlyMap<number, string> = new Map([
  [810000, 'Hong Kong'],
  [820000, 'Macao'],
  [830000, 'Taiwan'],
]);

export function isForeignPermanentResidentCode(code: number): boolean {
  return code >= 900_000;
}

/** Digits 2–3 of a foreign permanent resident number: a mainland province in force. */
function foreignIssuingProvince(divisions: DivisionIndex, code: number): string | undefined {
  const province = `${String(Math.floor(code / 1_000) % 100).padStart(2, '0')}0000`;
  const record = divisions.get(province);
  const mainland = record?.level === 'province' && province < '710000' && record.periods.some((p) => p.validTo === null);
  return mainland ? record.periods.at(-1)!.name : undefined;
}

/** Fast verdict for the bulk path: may a person born on `birthYmd` carry `code`? */
export function acceptsAddressCode(divisions: DivisionIndex, code: number, birthYmd: number): boolean {
  const validUntil = divisions.addressCodeValidUntil(code);
  if (validUntil !== 0) return validUntil > birthYmd;
  if (HK_MO_TW_REGIONS.has(code)) return true;
  return isForeignPermanentResidentCode(code) && foreignIssuingProvince(divisions, code) !== undefined;
}

export interface AddressFinding {
  /** Set when the code cannot appear in this number. */
  error?: string;
  warning?: { code: Extract<IdWarningCode, 'ID_HK_MO_TW' | 'ID_FOREIGN_PERMANENT_RESIDENT' | 'ID_ADDRESS_CODE_ABOLISHED'>; message: string };
  birthPlace: DivisionNames | null;
}

/** NBS 统计用区划代码: county digits 71–79 are development zones, which GB/T 2260 does not have. */
function isDevelopmentZoneCode(code: string): boolean {
  return code[4] === '7' && code[5] !== '0';
}

function describeDivision(divisions: DivisionIndex, code: string, birthYmd: number | null, todayYmd: number): AddressFinding {
  const record = divisions.get(code) ?? divisions.cityDistrictsCode(code);
  const namesDate = birthYmd ?? todayYmd;
  const birthPlace = record ? divisions.namesAt(code, namesDate)! : null;
  const name = record ? divisions.nameAt(code, namesDate) : undefined;
  const validUntil = divisions.addressCodeValidUntil(Number(code));

  if (!record && isDevelopmentZoneCode(code)) {
    return {
      birthPlace,
      error: `address code ${code} has digits 5–6 between 71 and 79: an NBS statistical code for a development zone, not a GB/T 2260 division; an ID number carries the code of the county-level division`,
    };
  }
  if (!record) {
    return { birthPlace, error: `address code ${code} is not a GB/T 2260 division code in use at any time since 1980; digits 1–6 must be the county-level code of the place of registration` };
  }
  if (validUntil === 0) {
    return {
      birthPlace,
      error: `address code ${code} is the ${record.level}-level code of ${name}; an ID number carries a county-level code (a district, county or county-level city under it)`,
    };
  }
  if (birthYmd !== null && validUntil <= birthYmd) {
    return {
      birthPlace,
      error: `address code ${code} (${name}) was abolished before ${isoOfYmd(validUntil)}, but the birth date is ${isoOfYmd(birthYmd)}; a number assigned after birth cannot carry a code that no longer existed`,
    };
  }
  if (validUntil <= todayYmd) {
    return {
      birthPlace,
      warning: {
        code: 'ID_ADDRESS_CODE_ABOLISHED',
        message: `address code ${code} (${name}) is no longer in force (gone by ${isoOfYmd(validUntil)}); the number stays valid: it is never changed when divisions change`,
      },
    };
  }
  return { birthPlace };
}

/**
 * Full verdict for one address code, with the names for the report.
 * `birthYmd` is null when the birth date is unusable; then only the code itself is judged.
 */
export function describeAddressCode(divisions: DivisionIndex, code: string, birthYmd: number | null, todayYmd: number): AddressFinding {
  const n = Number(code);
  const region = HK_MO_TW_REGIONS.get(n);
  if (region) {
    return {
      birthPlace: { province: region, prefecture: null, county: region },
      warning: {
        code: 'ID_HK_MO_TW',
        message: `address code ${code} marks a residence permit number of a ${HK_MO_TW_ENGLISH.get(n)} resident (港澳台居民居住证); the holder is not a mainland hukou holder`,
      },
    };
  }
  if (isForeignPermanentResidentCode(n)) {
    const province = foreignIssuingProvince(divisions, n);
    if (!province) {
      return {
        birthPlace: null,
        error: `address code ${code} is not a GB/T 2260 division code; read as a Foreign Permanent Resident ID Card number (leading 9), its digits 2–3 (${code.slice(1, 3)}) would have to be a mainland province code`,
      };
    }
    return {
      birthPlace: null,
      warning: {
        code: 'ID_FOREIGN_PERMANENT_RESIDENT',
        message: `number starts with 9: a Foreign Permanent Resident ID Card number issued in ${province} (digits 2–3), nationality code ${code.slice(3, 6)} (digits 4–6); the holder is a foreign national, not a hukou holder`,
      },
    };
  }
  return describeDivision(divisions, code, birthYmd, todayYmd);
}
