import { checkIdNumber, ID_NUMBER_SHAPE, isValidIdNumber, normalizeIdNumber } from '../../idnumber/index.ts';
import { isIsoDate } from '../../platform/calendar.ts';
import type { HouseholdKind, PersonStatus } from '../registry.tables.ts';
import { MARITAL_STATUS_CODES } from './codes.ts';
import type { ImportReference } from './import-reference.ts';
import type { RawRow, RowIssue } from './import-format.ts';
import { PinyinCache } from './name-generator.ts';

export interface HouseholdSpec {
  number: string;
  /** The row describes the household (kind, place, address): it may be created. */
  described: null | { kind: HouseholdKind; county: string; township: string | null; address: string; authorityId: string };
}

/** A row that passed every check not needing the register. */
export interface ImportRow {
  rowNumber: number;
  idNumber: string;
  name: string;
  pinyin: string;
  formerNames: string[];
  formerIdNumbers: string[];
  sex: '1' | '2';
  birthDate: string;
  ethnicity: string;
  birthplace: string | null;
  nativePlace: string | null;
  education: string | null;
  marital: string | null;
  occupation: string | null;
  employer: string | null;
  status: PersonStatus;
  deathDate: string | null;
  household: HouseholdSpec | null;
  relationship: string | null;
  since: string;
  until: string | null;
  residence: null | { authorityId: string; city: string; address: string; since: string };
}

const STATUSES: ReadonlySet<string> = new Set(['active', 'deceased', 'cancelled', 'emigrated']);
const KINDS: ReadonlySet<string> = new Set(['family', 'collective', 'public_collective']);
const HOUSEHOLD_NUMBER = /^[0-9A-Za-z-]{1,40}$/;
const PINYIN = /^[a-z0-9]{0,200}$/;
const CONTROL = new RegExp('[\\u0000-\\u001f\\u007f]');

function text(row: RawRow, field: keyof RawRow): string | null {
  const v = row[field];
  return typeof v === 'string' ? v : null;
}

function list(row: RawRow, field: keyof RawRow): string[] {
  const v = row[field];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/**
 * Checks one row against the format, GB 11643 (the ID number, and that sex and birth date agree
 * with it), the divisions, townships, authorities and code tables — everything except what needs
 * the register (who is already registered, which households exist), which the batch checks.
 */
export class RowValidator {
  private readonly pinyin = new PinyinCache();

  constructor(private readonly ref: ImportReference) {}

  validate(rowNumber: number, row: RawRow): { row: ImportRow | null; issues: RowIssue[] } {
    const issues: RowIssue[] = [];
    const add = (field: string, code: string, message: string) => issues.push({ field, code, message });
    const ref = this.ref;
    const required = (field: keyof RawRow): string | null => {
      const v = text(row, field);
      if (v === null) add(field, 'FIELD_REQUIRED', `${field} is required`);
      return v;
    };
    const date = (field: keyof RawRow, v: string | null): string | null => {
      if (v === null) return null;
      if (!isIsoDate(v)) {
        add(field, 'FIELD_INVALID', `${field} must be a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
        return null;
      }
      if (v > ref.today) {
        add(field, 'FIELD_INVALID', `${field} ${v} is after today (${ref.today})`);
        return null;
      }
      return v;
    };
    const division = (field: keyof RawRow): string | null => {
      const v = text(row, field);
      if (v !== null && !ref.divisionCodes.has(v)) add(field, 'UNKNOWN_DIVISION', `"${v}" is not a GB/T 2260 administrative division code`);
      return v;
    };
    const freeText = (field: keyof RawRow, max: number): string | null => {
      const v = text(row, field);
      if (v !== null && ([...v].length > max || CONTROL.test(v))) add(field, 'FIELD_INVALID', `${field} must be at most ${max} characters without control characters`);
      return v;
    };

    // --- the person --------------------------------------------------------------------------
    const rawId = required('id_number');
    const idNumber = rawId === null ? '' : normalizeIdNumber(rawId);
    let idOk = false;
    if (rawId !== null) {
      if (isValidIdNumber(idNumber, ref.divisions, ref.todayYmd)) {
        idOk = true;
      } else {
        for (const e of checkIdNumber(idNumber, { divisions: ref.divisions, today: ref.today }).errors) add('id_number', e.code, e.message);
        if (issues.length === 0) add('id_number', 'ID_FORMAT', `${idNumber} is not a valid resident ID number`);
      }
      // GB 11643 numbers of HK/MO/TW residence permits (81–83) and foreign permanent residents (9…) hold no hukou
      if (idOk && (/^8[123]/.test(idNumber) || idNumber.startsWith('9'))) {
        add('id_number', 'ID_NOT_MAINLAND', `${idNumber} is a residence-permit or foreign permanent resident number: the holder has no hukou to import`);
        idOk = false;
      }
    }
    const name = required('name');
    if (name !== null && ([...name].length > 60 || CONTROL.test(name))) add('name', 'FIELD_INVALID', 'name must be 1–60 characters without control characters');
    const pinyinGiven = text(row, 'name_pinyin');
    if (pinyinGiven !== null && !PINYIN.test(pinyinGiven)) add('name_pinyin', 'FIELD_INVALID', 'name_pinyin must be lowercase letters and digits, no tones or spaces (e.g. zhangxiaoming)');
    const sex = required('sex');
    if (sex !== null && sex !== '1' && sex !== '2') add('sex', 'FIELD_INVALID', `sex must be 1 (male) or 2 (female) (GB/T 2261.1), got ${JSON.stringify(sex)}`);
    else if (sex !== null && idOk && (Number(idNumber[16]) % 2 === 1 ? '1' : '2') !== sex) {
      add('sex', 'SEX_MISMATCH', `sex ${sex} disagrees with the ID number, whose 17th digit ${idNumber[16]} is ${Number(idNumber[16]) % 2 === 1 ? 'odd (male)' : 'even (female)'} (GB 11643 §5.4)`);
    }
    const birthDate = date('birth_date', required('birth_date'));
    if (birthDate !== null && idOk && birthDate.replaceAll('-', '') !== idNumber.slice(6, 14)) {
      add('birth_date', 'BIRTH_DATE_MISMATCH', `birth date ${birthDate} disagrees with digits 7–14 of the ID number (${idNumber.slice(6, 14)})`);
    }
    const ethnicity = required('ethnicity');
    if (ethnicity !== null && !ref.ethnicity.has(ethnicity)) add('ethnicity', 'UNKNOWN_ETHNICITY', `"${ethnicity}" is not a GB/T 3304 ethnicity code`);
    const birthplace = division('birthplace_code');
    const nativePlace = division('native_place_code');
    const marital = text(row, 'marital_status');
    if (marital !== null && !MARITAL_STATUS_CODES.has(marital)) add('marital_status', 'UNKNOWN_MARITAL_STATUS', `"${marital}" is not a GB/T 2261.2 marital status code`);
    const education = freeText('education', 100);
    const occupation = freeText('occupation', 100);
    const employer = freeText('employer', 200);
    const formerNames = list(row, 'former_names');
    for (const n of formerNames) if ([...n].length > 60 || CONTROL.test(n)) add('former_names', 'FIELD_INVALID', `former name "${n}" must be 1–60 characters`);
    const formerIdNumbers = list(row, 'former_id_numbers').map(normalizeIdNumber);
    for (const f of formerIdNumbers) {
      if (!ID_NUMBER_SHAPE.test(f)) add('former_id_numbers', 'FIELD_INVALID', `former ID number ${f} is not 17 digits and a check character`);
      else if (f === idNumber) add('former_id_numbers', 'FIELD_INVALID', 'a former ID number cannot be the current one');
    }
    const statusText = text(row, 'status') ?? 'active';
    if (!STATUSES.has(statusText)) add('status', 'FIELD_INVALID', `status must be active, deceased, cancelled or emigrated, got ${JSON.stringify(statusText)}`);
    const status = statusText as PersonStatus;
    const deathDate = date('death_date', text(row, 'death_date'));
    if (status === 'deceased' && text(row, 'death_date') === null) add('death_date', 'FIELD_REQUIRED', 'a deceased person needs death_date');
    if (status !== 'deceased' && text(row, 'death_date') !== null) add('death_date', 'FIELD_INVALID', 'death_date is only for status deceased');
    if (deathDate !== null && birthDate !== null && deathDate < birthDate) add('death_date', 'FIELD_INVALID', `death_date ${deathDate} is before the birth date ${birthDate}`);

    // --- the hukou -----------------------------------------------------------------------------
    const household = this.household(row, add);
    const relationship = text(row, 'relationship');
    if (household && relationship === null) add('relationship', 'FIELD_REQUIRED', 'relationship (GB/T 4761, to the head; 02 for the head) is required with a household');
    if (relationship !== null && !ref.relationship.has(relationship)) add('relationship', 'UNKNOWN_RELATIONSHIP', `"${relationship}" is not a GB/T 4761 relationship code`);
    if (!household && status === 'active') add('household_number', 'FIELD_REQUIRED', 'an active person needs a household: one place of permanent registration (户口登记条例 Art. 6)');
    // without a date, the hukou counts from the import day
    const since = text(row, 'since') === null ? ref.today : date('since', text(row, 'since'));
    if (since !== null && birthDate !== null && since < birthDate) add('since', 'FIELD_INVALID', `since ${since} is before the birth date ${birthDate}`);
    let until = date('until', text(row, 'until'));
    if (until !== null && status === 'active') add('until', 'FIELD_INVALID', 'an active person\'s hukou has no end date (until)');
    if (household && status !== 'active' && until === null) until = deathDate ?? ref.today;
    if (until !== null && since !== null && until < since) add('until', 'FIELD_INVALID', `until ${until} is before since ${since}`);

    // --- residence -------------------------------------------------------------------------------
    const residence = this.residence(row, status, birthDate, add, date);

    if (issues.length > 0) return { row: null, issues };
    return {
      row: {
        rowNumber,
        idNumber,
        name: name!,
        pinyin: pinyinGiven ?? this.pinyin.of(name!),
        formerNames,
        formerIdNumbers,
        sex: sex as '1' | '2',
        birthDate: birthDate!,
        ethnicity: ethnicity!,
        birthplace,
        nativePlace,
        education,
        marital,
        occupation,
        employer,
        status,
        deathDate,
        household,
        relationship: household ? relationship : null,
        since: since!,
        until: household ? until : null,
        residence,
      },
      issues,
    };
  }

  private household(row: RawRow, add: (field: string, code: string, message: string) => void): HouseholdSpec | null {
    const ref = this.ref;
    const number = text(row, 'household_number');
    const kind = text(row, 'household_kind');
    const county = text(row, 'household_county_code');
    const township = text(row, 'household_township_code');
    const address = text(row, 'household_address');
    const authority = text(row, 'household_authority_id');
    const describing = kind !== null || county !== null || township !== null || address !== null || authority !== null;
    if (number === null) {
      if (describing) add('household_number', 'FIELD_REQUIRED', 'household details need a household_number');
      return null;
    }
    if (!HOUSEHOLD_NUMBER.test(number)) add('household_number', 'FIELD_INVALID', 'household_number must be 1–40 letters, digits or hyphens');
    if (!describing) return { number, described: null };

    if (kind === null) add('household_kind', 'FIELD_REQUIRED', 'a new household needs household_kind (family, collective or public_collective)');
    else if (!KINDS.has(kind)) add('household_kind', 'FIELD_INVALID', `household_kind must be family, collective or public_collective, got ${JSON.stringify(kind)}`);
    if (address === null) add('household_address', 'FIELD_REQUIRED', 'a new household needs household_address');
    else if ([...address].length > 200 || CONTROL.test(address)) add('household_address', 'FIELD_INVALID', 'household_address must be 1–200 characters');
    let countyCode = county;
    if (township !== null) {
      const of = ref.townshipCounty.get(township);
      if (of === undefined) {
        add('household_township_code', 'UNKNOWN_TOWNSHIP', `"${township}" is not an NBS township code`);
        return { number, described: null };
      }
      if (county !== null && county !== of) {
        add('household_township_code', 'TOWNSHIP_NOT_IN_COUNTY', `township ${township} lies in county ${of}, not ${county}`);
        return { number, described: null };
      }
      countyCode = of;
    }
    if (countyCode === null) add('household_county_code', 'FIELD_REQUIRED', 'a new household needs household_township_code or household_county_code');
    else if (!ref.countiesInForce.has(countyCode)) add('household_county_code', 'UNKNOWN_DIVISION', `"${countyCode}" is not a county-level division in force`);
    const authorityId = authority ?? (township !== null ? `station-${township}` : `county-${countyCode}`);
    const place = ref.authorities.get(authorityId);
    if (!place) add('household_authority_id', 'UNKNOWN_AUTHORITY', `no registration authority has id "${authorityId}"`);
    else if (countyCode !== null && (place.county !== countyCode || (place.kind !== 'police_station' && place.kind !== 'county_bureau'))) {
      add('household_authority_id', 'AUTHORITY_NOT_COMPETENT', `"${authorityId}" does not register households in county ${countyCode}; use a police station or the bureau of that county`);
    }
    if (kind === null || address === null || countyCode === null) return { number, described: null };
    return { number, described: { kind: kind as HouseholdKind, county: countyCode, township, address, authorityId } };
  }

  private residence(
    row: RawRow,
    status: PersonStatus,
    birthDate: string | null,
    add: (field: string, code: string, message: string) => void,
    date: (field: keyof RawRow, v: string | null) => string | null,
  ): ImportRow['residence'] {
    const authorityId = text(row, 'residence_authority_id');
    const address = text(row, 'residence_address');
    const sinceText = text(row, 'residence_since');
    if (authorityId === null && address === null && sinceText === null) return null;
    if (authorityId === null) add('residence_authority_id', 'FIELD_REQUIRED', 'a residence needs residence_authority_id (the residence-place police station)');
    if (address === null) add('residence_address', 'FIELD_REQUIRED', 'a residence needs residence_address');
    else if ([...address].length > 200 || CONTROL.test(address)) add('residence_address', 'FIELD_INVALID', 'residence_address must be 1–200 characters');
    if (sinceText === null) add('residence_since', 'FIELD_REQUIRED', 'a residence needs residence_since (the registration date)');
    const since = date('residence_since', sinceText);
    if (since !== null && birthDate !== null && since < birthDate) add('residence_since', 'FIELD_INVALID', `residence_since ${since} is before the birth date`);
    if (status !== 'active') add('residence_authority_id', 'FIELD_INVALID', 'only an active person can hold an open residence registration');
    const place = authorityId === null ? undefined : this.ref.authorities.get(authorityId);
    if (authorityId !== null && (!place || place.city === null)) {
      add('residence_authority_id', place ? 'AUTHORITY_NOT_COMPETENT' : 'UNKNOWN_AUTHORITY', `"${authorityId}" is not a police station or bureau that registers residence`);
    }
    if (!place?.city || address === null || since === null) return null;
    return { authorityId: authorityId!, city: place.city, address, since };
  }
}
