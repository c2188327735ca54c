import { maskIdNumber, maskName, notAmongVisible, openPersonHandle, sealPersonHandle, type Purpose } from '../access/index.ts';
import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { invalid } from './codes.ts';
import { householdNotFound, personNotFound } from './guards.ts';
import { ID_NUMBER_SHAPE, normalizeIdNumber } from '../idnumber/index.ts';
import { isPinyinQuery } from './names.ts';
import * as rq from './read.queries.ts';
import { dueDateOf } from './transfer.service.ts';
import type { EventView, PersonRecord } from './views.ts';

/** How many events a person's or household's view shows (newest first). */
export const TIMELINE_LIMIT = 200;

export interface MemberPage {
  idNumber: string;
  name: string;
  formerNames: string[];
  relationship: string;
  relationshipName: string | null;
  sex: string;
  sexName: string | null;
  birthDate: string;
  ethnicity: string;
  ethnicityName: string | null;
  birthplaceCode: string | null;
  nativePlaceCode: string | null;
  education: string | null;
  maritalStatus: string | null;
  occupation: string | null;
  employer: string | null;
  status: string;
  since: string;
  version: number;
  /** Certificate number and parents, for a member registered by birth (added by the service, not the SQL view). */
  birth?: BirthRecordView | null;
}

/** A birth's record as shown: parents' ID numbers in full only beside the household holding them. */
export interface BirthRecordView {
  certificateNumber: string | null;
  mother: ParentView | null;
  father: ParentView | null;
}

export interface ParentView {
  name: string;
  idNumber: string | null;
  linked: boolean;
}

function parentView(name: string | null, idNumber: string | null, shown: ReadonlySet<string>): ParentView | null {
  if (name === null) return null;
  return { name, idNumber: idNumber === null ? null : shown.has(idNumber) ? idNumber : maskIdNumber(idNumber), linked: idNumber !== null };
}

function birthView(row: rq.BirthRecordRow, shown: ReadonlySet<string>): BirthRecordView {
  return {
    certificateNumber: row.certificate_number,
    mother: parentView(row.mother_name, row.mother_id_number, shown),
    father: parentView(row.father_name, row.father_id_number, shown),
  };
}

/**
 * Adds each member's birth record to the 户口簿 pages (户口登记条例 Art. 7: a birth names its
 * parents). A parent's ID number is shown in full when the parent is a member of the same
 * household (their page is in the booklet anyway), masked otherwise.
 */
async function withBirthRecords(ctx: ServiceContext, booklet: HouseholdBooklet, memberIds: number[]): Promise<HouseholdBooklet> {
  const rows = await rq.findBirthRecords(ctx.db, memberIds);
  const byNumber = new Map(rows.map((r) => [r.id_number, r]));
  const shown = new Set(booklet.members.map((m) => m.idNumber));
  return { ...booklet, members: booklet.members.map((m) => ({ ...m, birth: byNumber.has(m.idNumber) ? birthView(byNumber.get(m.idNumber)!, shown) : null })) };
}

export interface HouseholdBooklet {
  householdNumber: string;
  kind: string;
  countyCode: string;
  township: { code: string; name: string } | null;
  address: string;
  authority: { id: string; name: string };
  head: { idNumber: string; name: string } | null;
  status: string;
  version: number;
  members: MemberPage[];
}

/** What a read returned and whose data it holds (internal ids, for the access log). */
export interface Returned<T> {
  value: T;
  returned: rq.ReturnedIds;
}

/**
 * The 户口簿 view: the household page and one page per current member, head first. A household
 * outside the actor's jurisdiction is HOUSEHOLD_NOT_FOUND, exactly like a number nobody holds.
 */
export async function readHousehold(ctx: ServiceContext, householdNumber: string): Promise<Returned<HouseholdBooklet>> {
  const found = await rq.findHouseholdBooklet(ctx.db, ctx.actor, householdNumber);
  if (!found) throw householdNotFound(householdNumber);
  return { value: await withBirthRecords(ctx, found.booklet as HouseholdBooklet, found.returned.personIds), returned: found.returned };
}

/**
 * A citizen's own 户口簿: the household they are registered in now, every member's page included, as
 * on the paper booklet any member of the household may hold (户口登记条例 Art. 4: the booklet is
 * issued to the household). Reads of the other members' pages are in the access log, so they see
 * who looked. HOUSEHOLD_NOT_FOUND without a current household (deceased, emigrated, in transit) or
 * an account not linked to a person.
 */
export async function readOwnHousehold(ctx: ServiceContext): Promise<Returned<HouseholdBooklet>> {
  const personId = ctx.actor.role === 'citizen' ? ctx.actor.personId : undefined;
  const found = personId === undefined ? undefined : await rq.findOwnHouseholdBooklet(ctx.db, personId);
  if (!found) {
    throw new AppError('HOUSEHOLD_NOT_FOUND', 'You are not registered in a household now (or your account is not linked to your record); ask your police station.', {
      details: { own: true },
    });
  }
  return { value: await withBirthRecords(ctx, found.booklet as HouseholdBooklet, found.returned.personIds), returned: found.returned };
}

export async function getHousehold(ctx: ServiceContext, householdNumber: string): Promise<HouseholdBooklet> {
  return (await readHousehold(ctx, householdNumber)).value;
}

export interface PersonView {
  person: PersonRecord;
  /** The number asked for, and whether it is the person's current number or a former one. */
  matched: { idNumber: string; current: boolean };
  /**
   * Current household (null when deceased, emigrated, cancelled or in transit, or withheld), with
   * the person's relationship.
   */
  household: (HouseholdBooklet & { relationship: string; since: string }) | null;
  /**
   * True when the person has a current household the caller may not see (outside their
   * jurisdiction: they see the person through their residence or an application, or it is the
   * citizen's own record, whose household pages hold other people's data).
   */
  householdWithheld: boolean;
  idNumbers: { idNumber: string; validFrom: string; validTo: string | null; reason: string }[];
  transfers: { id: string; state: string; category: string; appliedOn: string; dueOn: string; closedAt: string | null }[];
  /** Registration events, newest first (at most TIMELINE_LIMIT). */
  timeline: EventView[];
  /** For a person registered by birth: the certificate number and the parents (户口登记条例 Art. 7). */
  birth: BirthRecordView | null;
}

/**
 * The full record of a person found by their current or a former ID number, when the actor may see
 * them for `purpose` (`personVisibleTo`); anyone else is PERSON_NOT_FOUND, exactly like a number
 * nobody holds.
 */
export async function readPerson(ctx: ServiceContext, rawIdNumber: string, purpose: Purpose | null = null): Promise<Returned<PersonView>> {
  const idNumber = normalizeIdNumber(rawIdNumber);
  const found = await rq.findPersonView(ctx.db, ctx.actor, purpose, idNumber, TIMELINE_LIMIT);
  if (!found) throw personNotFound(idNumber);
  const raw = found.view as Omit<PersonView, 'transfers'> & { transfers: (Omit<PersonView['transfers'][number], 'dueOn'> & { deadline: string })[] };
  // The view function (db/migrations/0010) gives each transfer's deadline instant; the API shows its last day.
  const view = { ...raw, transfers: raw.transfers.map(({ deadline, ...t }) => ({ ...t, dueOn: dueDateOf(deadline) })) } as PersonView;
  // the SQL view (registry_person_record) predates birth records: they are added here
  const records = await rq.findBirthRecords(ctx.db, found.returned.personIds);
  const byNumber = new Map(records.map((r) => [r.id_number, r]));
  const shown = new Set([...view.idNumbers.map((n) => n.idNumber), ...(view.household?.members.map((m) => m.idNumber) ?? [])]);
  const own = byNumber.get(view.person.idNumber);
  const household = view.household
    ? { ...view.household, members: view.household.members.map((m) => ({ ...m, birth: byNumber.has(m.idNumber) ? birthView(byNumber.get(m.idNumber)!, shown) : null })) }
    : null;
  return { value: maskOthersInTimeline({ ...view, household, birth: own ? birthView(own, shown) : null }), returned: found.returned };
}

/**
 * Events name other persons too (a head change its former head, a relationship change the new
 * head). Their ID numbers leave in full only with the household shown, whose members the access log
 * records; otherwise (a household withheld, a citizen's own unlogged read, a person no longer in it)
 * they are masked like search results.
 */
// Only top-level string values of event data are looked at: an event kind that nests ID numbers
// deeper must be added here (and to the test "a person's timeline shows other persons' ID numbers …").
function maskOthersInTimeline(view: PersonView): PersonView {
  const shown = new Set([...view.idNumbers.map((n) => n.idNumber), ...(view.household?.members.map((m) => m.idNumber) ?? [])]);
  const mask = (value: unknown) => (typeof value === 'string' && ID_NUMBER_SHAPE.test(value) && !shown.has(value) ? maskIdNumber(value) : value);
  return {
    ...view,
    timeline: view.timeline.map((e) => ({ ...e, data: Object.fromEntries(Object.entries(e.data).map(([k, v]) => [k, mask(v)])) })),
  };
}

/**
 * The full record behind a search hit's handle: only for the officer the handle was issued to and
 * before it expires, and still only if they may see the person for `purpose` (the same read as by
 * ID number). Otherwise PERSON_NOT_FOUND, saying to search again.
 */
export async function readPersonByHandle(ctx: ServiceContext, handle: string, purpose: Purpose | null): Promise<Returned<PersonView>> {
  const personId = openPersonHandle(ctx.actor.id, handle, ctx.clock.now());
  const idNumber = personId === null ? undefined : await rq.currentIdNumberOf(ctx.db, personId);
  if (idNumber === undefined) {
    throw new AppError('PERSON_NOT_FOUND', `${notAmongVisible('The handle:')} Handles open only for the officer who searched, for 15 minutes: search again (GET /api/v1/persons).`, {
      details: { handle: 'expired, not yours, or altered' },
    });
  }
  return readPerson(ctx, idNumber, purpose);
}

/** The signed-in citizen's current ID number (ACCOUNT_NOT_LINKED when the account has no person record). */
export async function ownIdNumber(ctx: ServiceContext): Promise<string> {
  const personId = ctx.actor.role === 'citizen' ? ctx.actor.personId : undefined;
  const idNumber = personId === undefined ? undefined : await rq.currentIdNumberOf(ctx.db, personId);
  if (idNumber === undefined) throw new AppError('ACCOUNT_NOT_LINKED', 'Your account is not linked to a person record yet; ask an administrator to link it.');
  return idNumber;
}

export async function getPerson(ctx: ServiceContext, rawIdNumber: string, purpose: Purpose | null = null): Promise<PersonView> {
  return (await readPerson(ctx, rawIdNumber, purpose)).value;
}

export interface SearchInput {
  /** Chinese characters or pinyin (letters, spaces ignored). */
  name?: string | undefined;
  birthDateFrom?: string | undefined;
  birthDateTo?: string | undefined;
  /** Province (2 or 6 digits ending 0000), prefecture (4 or 6 ending 00) or county (6) code. */
  division?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface SearchResult {
  maskedIdNumber: string;
  maskedName: string;
  sex: string;
  birthDate: string;
  status: string;
  /** County of the current household (null without one). */
  countyCode: string | null;
  /** Opens the full record for the officer who searched, for a short while: GET /api/v1/persons/by-handle/{handle} with a purpose. */
  handle: string;
}

/** `110000` → `11`, `110100` → `1101`, `110105` → `110105`: the prefix of the counties inside. */
export function divisionPrefix(code: string): string {
  if (/^\d{2}(0000)?$/.test(code)) return code.slice(0, 2);
  if (/^\d{4}(00)?$/.test(code)) return code.slice(0, 4);
  return code;
}

function decodeCursor(cursor: string): number | null {
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * Search by name (Chinese or pinyin), birth-date range and division, a page at a time, among the
 * persons the actor may see (hukou or residence in their area). Results are masked
 * (`110105********002X`, `张*明`, issue #4 §5): the full record is read by ID number only.
 */
export async function searchPersons(ctx: ServiceContext, input: SearchInput): Promise<{ results: SearchResult[]; nextCursor: string | null }> {
  return (await searchPersonsReturning(ctx, input)).value;
}

/** `searchPersons`, with the ids of the persons listed (for the access log). */
export async function searchPersonsReturning(ctx: ServiceContext, input: SearchInput): Promise<Returned<{ results: SearchResult[]; nextCursor: string | null }>> {
  const name = input.name?.trim() ?? '';
  const issues = [];
  if (!name && !input.birthDateFrom && !input.birthDateTo && !input.division) {
    issues.push({ field: 'query', code: 'NO_CRITERIA', message: 'Give at least one of name, birthDateFrom, birthDateTo or division.' });
  }
  if (input.division !== undefined && !/^\d{2}(\d{2}(\d{2})?)?$/.test(input.division)) {
    issues.push({ field: 'query.division', code: 'UNKNOWN_DIVISION', message: 'A division is a 2-, 4- or 6-digit GB/T 2260 code (province, prefecture, county).' });
  }
  const afterId = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  if (afterId === null) issues.push({ field: 'query.cursor', code: 'INVALID_CURSOR', message: 'Pass back the nextCursor of the previous page unchanged.' });
  if (issues.length > 0) throw invalid(issues);
  const limit = input.limit ?? 20;
  const pinyin = name && isPinyinQuery(name);
  const rows = await rq.searchPersons(ctx.db, ctx.actor, {
    nameText: name && !pinyin ? name : undefined,
    pinyinText: pinyin ? name.toLowerCase().replace(/\s+/g, '') : undefined,
    birthDateFrom: input.birthDateFrom,
    birthDateTo: input.birthDateTo,
    divisionPrefix: input.division ? divisionPrefix(input.division) : undefined,
    afterId: afterId ?? undefined,
    limit,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const value = {
    results: page.map((r) => ({
      maskedIdNumber: maskIdNumber(r.id_number),
      maskedName: maskName(r.name),
      sex: r.sex,
      birthDate: r.birth_date,
      status: r.status,
      countyCode: r.county_code,
      handle: sealPersonHandle(ctx.actor.id, r.id, ctx.clock.now()),
    })),
    nextCursor: rows.length > limit && last ? Buffer.from(String(last.id)).toString('base64url') : null,
  };
  return { value, returned: { personIds: page.map((r) => r.id), householdIds: [] } };
}
