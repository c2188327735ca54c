import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../../platform/errors.ts';
import { legalBasisOfKind } from '../household.service.ts';
import { HEAD_RELATIONSHIP, LEGAL_BASIS } from '../registry.law.ts';
import { BulkSession, type ForeignKeyCache, type NewRows } from './bulk-session.ts';
import { RESIDENCE_REGISTRATION_BASIS } from './codes.ts';
import { copyChunks, copyValue, LineSink } from './copy-stream.ts';
import type { RowIssue } from './import-format.ts';
import type { ImportReference } from './import-reference.ts';
import type { ImportRow } from './import-validate.ts';
import {
  advanceJob, findHolders, findHouseholds, raiseHouseholdSequence, reserveIdentities, touchHouseholds,
  type ExistingHousehold, type ExistingNumber, type IdRange,
} from './import.queries.ts';

/** One record of the file as it enters a batch: a checked row, or the problems that rejected it (none for a blank line). */
export interface BatchEntry {
  rowNumber: number;
  row: ImportRow | null;
  issues: RowIssue[];
}

export interface Batch {
  entries: BatchEntry[];
  /** Byte offset after the batch's last record, and that record's row number: the job's new position. */
  endOffset: number;
  lastRow: number;
}

export interface BatchContext {
  client: pg.ClientBase;
  /** Decided once per import (see mayDisableTriggers). */
  mayDisableTriggers: boolean;
  foreignKeys: ForeignKeyCache;
  jobId: number;
  actorId: string;
  ref: ImportReference;
}

export interface BatchResult {
  imported: number;
  unchanged: number;
  rejected: number;
}

/** Locked for each batch. id_allocation is not written (births jump past imported numbers, see allocateIdNumber) but locked, so a birth in the same day and area waits for the batch and then sees its numbers. */
export const IMPORT_TABLES = [
  'person', 'person_id_number', 'household', 'membership', 'registration_event', 'residence_registration', 'residence_event', 'id_allocation',
] as const;

export const IMPORT_COLUMNS = {
  person: ['id', 'id_number', 'name', 'name_pinyin', 'former_names', 'sex', 'birth_date', 'ethnicity', 'birthplace_code', 'native_place_code',
    'education', 'marital_status', 'occupation', 'employer', 'status', 'death_date'],
  person_id_number: ['id_number', 'person_id', 'valid_from', 'valid_to', 'reason'],
  household: ['id', 'household_number', 'kind', 'county_code', 'township_code', 'address', 'authority_id', 'head_person_id'],
  membership: ['id', 'person_id', 'household_id', 'relationship', 'since', 'until'],
  registration_event: ['id', 'person_id', 'household_id', 'kind', 'occurred_on', 'actor_id', 'authority_id', 'reason', 'legal_basis', 'data'],
  residence_registration: ['id', 'person_id', 'city_code', 'authority_id', 'address', 'registered_on', 'recorded_by'],
  residence_event: ['id', 'person_id', 'registration_id', 'kind', 'occurred_on', 'actor_id', 'authority_id', 'legal_basis', 'data'],
  import_issue: ['job_id', 'row_number', 'field', 'code', 'message'],
} as const;

/** COPY buffers of an import batch: small, so memory stays low whatever the batch holds. */
const IMPORT_CHUNK_BYTES = 64 * 1024;

/** Generated household numbers are `<9-digit township><sequence>`; imported ones of that shape reserve their sequence. */
const GENERATED_HOUSEHOLD_NUMBER = /^\d{9}(\d{6,12})$/;

interface NewHousehold {
  id: number;
  spec: NonNullable<NonNullable<ImportRow['household']>['described']>;
  number: string;
  head: number | null;
  since: string;
  row: number;
}

interface Target {
  id: number;
  kind: string;
  county: string;
  authorityId: string;
  described: NonNullable<ImportRow['household']>['described'] | null;
  status: string;
  hasHead: boolean;
  existing: boolean;
}

/**
 * Checks a batch against the register and writes its valid rows, its report entries and the job's
 * new position in one transaction. A row already registered exactly as given is left alone
 * (re-running a file adds nothing); one registered elsewhere is rejected (one hukou, 户口登记条例
 * Art. 6). Rejected rows leave no trace but their report entries.
 */
export async function writeBatch(ctx: BatchContext, batch: Batch): Promise<BatchResult> {
  const { client, ref } = ctx;
  const issues: { row: number; issue: RowIssue }[] = [];
  const reject = (row: number, field: string, code: string, message: string) => issues.push({ row, issue: { field, code, message } });
  for (const e of batch.entries) for (const issue of e.issues) issues.push({ row: e.rowNumber, issue });
  const rejected = new Set(batch.entries.filter((e) => e.issues.length > 0).map((e) => e.rowNumber));

  // the same number twice in the batch: the later rows are duplicates
  const firstRowOf = new Map<string, number>();
  const candidates: ImportRow[] = [];
  for (const e of batch.entries) {
    if (!e.row) continue;
    const numbers = [e.row.idNumber, ...e.row.formerIdNumbers];
    const clash = numbers.find((n) => firstRowOf.has(n));
    if (clash !== undefined) {
      reject(e.rowNumber, clash === e.row.idNumber ? 'id_number' : 'former_id_numbers', 'DUPLICATE_IN_FILE', `${clash} already appears in row ${firstRowOf.get(clash)}`);
      rejected.add(e.rowNumber);
      continue;
    }
    for (const n of numbers) firstRowOf.set(n, e.rowNumber);
    candidates.push(e.row);
  }

  await client.query('begin');
  try {
    const session = await BulkSession.open(client, IMPORT_TABLES, { detectEmpty: false, mayDisableTriggers: ctx.mayDisableTriggers });
    // GIN (trigram) insertions go to the pending list; a larger list merges less often, in bigger
    // sorted runs. No wait for the commit's flush: the job's position commits with the rows, so a
    // crash loses the batch and its position together and the re-run does it again.
    await client.query(`set local gin_pending_list_limit = '32MB'; set local synchronous_commit = off`);
    const holders = new Map<string, ExistingNumber>();
    for (const h of await findHolders(client, [...firstRowOf.keys()])) holders.set(h.id_number, h);
    const numbers = [...new Set(candidates.flatMap((r) => (r.household ? [r.household.number] : [])))];
    const existingHouseholds = new Map<string, ExistingHousehold>((await findHouseholds(client, numbers)).map((h) => [h.household_number, h]));

    // --- decide every row, in file order ------------------------------------------------------
    const accepted: { row: ImportRow; target: Target | null }[] = [];
    const targets = new Map<string, Target>();
    const newHouseholds: NewHousehold[] = [];
    let unchanged = 0;
    for (const row of candidates) {
      const holder = holders.get(row.idNumber);
      if (holder) {
        const sameJob = holder.import_job === ctx.jobId;
        if (sameJob && holder.import_row !== row.rowNumber) {
          reject(row.rowNumber, 'id_number', 'DUPLICATE_IN_FILE', `${row.idNumber} was imported from row ${holder.import_row} of this file`);
        } else if (holder.current_number === row.idNumber && holder.status === row.status && (row.status !== 'active' || holder.household_number === (row.household?.number ?? null))) {
          unchanged++;
          continue;
        } else if (holder.current_number === row.idNumber && holder.status === 'active' && holder.household_number !== null) {
          reject(row.rowNumber, 'id_number', 'SECOND_HUKOU', `${row.idNumber} is already registered in household ${holder.household_number} (one place of permanent registration, 户口登记条例 Art. 6); move or transfer them instead`);
        } else {
          reject(row.rowNumber, 'id_number', 'DUPLICATE_ID_NUMBER', holder.current_number === row.idNumber
            ? `${row.idNumber} is already in the register (status ${holder.status})`
            : `${row.idNumber} was the number of the person now holding ${holder.current_number}; numbers are never reused`);
        }
        rejected.add(row.rowNumber);
        continue;
      }
      const heldFormer = row.formerIdNumbers.find((n) => holders.has(n));
      if (heldFormer !== undefined) {
        // a number of an earlier batch's row is a duplicate in the file, as it would be in the same batch
        const held = holders.get(heldFormer)!;
        if (held.import_job === ctx.jobId) reject(row.rowNumber, 'former_id_numbers', 'DUPLICATE_IN_FILE', `${heldFormer} was imported from row ${held.import_row} of this file`);
        else reject(row.rowNumber, 'former_id_numbers', 'DUPLICATE_ID_NUMBER', `${heldFormer} is held by the person with ID number ${held.current_number}`);
        rejected.add(row.rowNumber);
        continue;
      }
      let target: Target | null = null;
      if (row.household) {
        const problem = householdProblem(row, targets, existingHouseholds);
        if (problem) {
          reject(row.rowNumber, problem.field, problem.code, problem.message);
          rejected.add(row.rowNumber);
          continue;
        }
        target = targets.get(row.household.number) ?? null;
        const isHead = row.relationship === HEAD_RELATIONSHIP && row.status === 'active';
        if (isHead && target?.hasHead) {
          reject(row.rowNumber, 'relationship', 'HEAD_TAKEN', `household ${row.household.number} already has a head (户主); give this person their relationship to that head`);
          rejected.add(row.rowNumber);
          continue;
        }
        if (row.residence && row.status === 'active') {
          const hukouCity = ref.authorities.get(`county-${target?.county ?? row.household.described!.county}`)?.city;
          if (hukouCity === row.residence.city) {
            reject(row.rowNumber, 'residence_authority_id', 'RESIDENCE_IN_HUKOU_CITY', `the residence is in city ${hukouCity}, where the hukou is: residence registration is for living in another city (居住证暂行条例 Art. 2)`);
            rejected.add(row.rowNumber);
            continue;
          }
        }
        if (!target) {
          const spec = row.household.described!;
          target = { id: 0, kind: spec.kind, county: spec.county, authorityId: spec.authorityId, described: spec, status: 'active', hasHead: false, existing: false };
          targets.set(row.household.number, target);
          newHouseholds.push({ id: 0, spec, number: row.household.number, head: null, since: row.since, row: row.rowNumber });
        }
        if (isHead) target.hasHead = true;
      }
      accepted.push({ row, target });
    }

    // --- ids: persons numbered in ID-number order, so the unique indexes fill in runs ----------
    accepted.sort((a, b) => (a.row.idNumber < b.row.idNumber ? -1 : a.row.idNumber > b.row.idNumber ? 1 : 0));
    const withHousehold = accepted.filter((a) => a.target !== null).length;
    const residents = accepted.filter((a) => a.row.residence !== null).length;
    const ids = await reserveIdentities(client, {
      person: accepted.length,
      household: newHouseholds.length,
      membership: withHousehold,
      registration_event: accepted.length + newHouseholds.length,
      residence_event: residents,
    });
    newHouseholds.forEach((h, i) => {
      h.id = ids.household!.lo + i;
      targets.get(h.number)!.id = h.id;
    });

    // --- rows ---------------------------------------------------------------------------------
    const sinks = {
      person: new LineSink(IMPORT_CHUNK_BYTES), person_id_number: new LineSink(IMPORT_CHUNK_BYTES), household: new LineSink(IMPORT_CHUNK_BYTES),
      membership: new LineSink(IMPORT_CHUNK_BYTES), registration_event: new LineSink(IMPORT_CHUNK_BYTES),
      residence_registration: new LineSink(IMPORT_CHUNK_BYTES), residence_event: new LineSink(IMPORT_CHUNK_BYTES),
    };
    const newHouseholdOf = new Map(newHouseholds.map((h) => [h.number, h]));
    const touched = new Map<number, number | null>();
    const today = ref.today;
    const v = copyValue;
    let membershipId = ids.membership!.lo;
    let eventId = ids.registration_event!.lo;
    let residenceEventId = ids.residence_event!.lo;
    accepted.forEach(({ row: r, target }, i) => {
      const id = ids.person!.lo + i;
      sinks.person.push([id, v(r.idNumber), v(r.name), v(r.pinyin), v(pgArray(r.formerNames)), r.sex, r.birthDate, r.ethnicity, v(r.birthplace), v(r.nativePlace),
        v(r.education), v(r.marital), v(r.occupation), v(r.employer), r.status, v(r.deathDate)].join('\t') + '\n');
      sinks.person_id_number.push(`${r.idNumber}\t${id}\t${r.formerIdNumbers.length > 0 ? today : r.birthDate}\t\\N\timport\n`);
      for (const f of r.formerIdNumbers) sinks.person_id_number.push(`${f}\t${id}\t${r.birthDate}\t${today}\timport (former number)\n`);
      const data = `{"operation":"importFile","importJob":${ctx.jobId},"row":${r.rowNumber}}`;
      if (target) {
        const isHead = r.relationship === HEAD_RELATIONSHIP && r.status === 'active';
        const created = newHouseholdOf.get(r.household!.number);
        if (created && isHead) created.head = id;
        if (target.existing) {
          const previous = touched.get(target.id);
          touched.set(target.id, isHead ? id : (previous ?? null));
        }
        sinks.membership.push(`${membershipId++}\t${id}\t${target.id}\t${r.relationship}\t${r.since}\t${v(r.until)}\n`);
        sinks.registration_event.push(
          `${eventId++}\t${id}\t${target.id}\tregistration\t${r.since}\t${v(ctx.actorId)}\t${target.authorityId}\tbulk import\t${LEGAL_BASIS.oneHukou}\t${data}\n`,
        );
      } else {
        sinks.registration_event.push(`${eventId++}\t${id}\t\\N\tregistration\t${r.since}\t${v(ctx.actorId)}\tmps\tbulk import\t${LEGAL_BASIS.oneHukou}\t${data}\n`);
      }
      if (r.residence) {
        const registration = randomUUID();
        sinks.residence_registration.push(`${registration}\t${id}\t${r.residence.city}\t${r.residence.authorityId}\t${v(r.residence.address)}\t${r.residence.since}\t${v(ctx.actorId)}\n`);
        sinks.residence_event.push(
          `${residenceEventId++}\t${id}\t${registration}\tregistered\t${r.residence.since}\t${v(ctx.actorId)}\t${r.residence.authorityId}\t${RESIDENCE_REGISTRATION_BASIS}\t{"cityCode":"${r.residence.city}","importJob":${ctx.jobId}}\n`,
        );
      }
    });
    let highestSequence = 0;
    for (const h of newHouseholds) {
      sinks.household.push(`${h.id}\t${v(h.number)}\t${h.spec.kind}\t${h.spec.county}\t${v(h.spec.township)}\t${v(h.spec.address)}\t${h.spec.authorityId}\t${h.head ?? '\\N'}\n`);
      sinks.registration_event.push(
        `${eventId++}\t\\N\t${h.id}\thousehold_created\t${h.since}\t${v(ctx.actorId)}\t${h.spec.authorityId}\tbulk import\t${legalBasisOfKind(h.spec.kind)}\t{"operation":"importFile","importJob":${ctx.jobId},"row":${h.row}}\n`,
      );
      const m = GENERATED_HOUSEHOLD_NUMBER.exec(h.number);
      if (m) highestSequence = Math.max(highestSequence, Number(m[1]));
    }

    // --- write, in foreign-key order (triggers may be on) --------------------------------------
    for (const table of ['person', 'person_id_number', 'household'] as const) {
      if (sinks[table].rows > 0) await copyChunks(client, table, IMPORT_COLUMNS[table], sinks[table].finish());
    }
    const heads = new Map<number, number>();
    for (const [hid, head] of touched) if (head !== null) heads.set(hid, head);
    await touchHouseholds(client, [...touched.keys()], heads);
    for (const table of ['membership', 'registration_event', 'residence_registration', 'residence_event'] as const) {
      if (sinks[table].rows > 0) await copyChunks(client, table, IMPORT_COLUMNS[table], sinks[table].finish());
    }
    if (highestSequence > 0) await raiseHouseholdSequence(client, highestSequence);
    if (issues.length > 0) {
      const sink = new LineSink(IMPORT_CHUNK_BYTES);
      for (const { row, issue } of issues) sink.push(`${ctx.jobId}\t${row}\t${v(issue.field)}\t${v(issue.code)}\t${v(issue.message)}\n`);
      await copyChunks(client, 'import_issue', IMPORT_COLUMNS.import_issue, sink.finish());
    }
    const result = { imported: accepted.length, unchanged, rejected: rejected.size };
    await advanceJob(client, ctx.jobId, { offset: batch.endOffset, rows: batch.lastRow, ...result });

    const problems = await session.verify(newRowsOf(ids, [...touched.keys()]), inRange('c.id', ids.person!), { hashReferences: false, foreignKeys: ctx.foreignKeys });
    if (problems.length > 0) {
      throw new AppError('BULK_INVARIANT_VIOLATED', `The batch ending at row ${batch.lastRow} was rolled back: ${problems.join('; ')}.`, { details: { problems } });
    }
    await client.query('commit');
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  }
}

/** Why a row cannot join its household, or null. Households are compared with what the row describes. */
function householdProblem(row: ImportRow, targets: Map<string, Target>, existing: Map<string, ExistingHousehold>): RowIssue | null {
  const spec = row.household!;
  const inDb = existing.get(spec.number);
  if (inDb && !targets.has(spec.number)) {
    targets.set(spec.number, {
      id: inDb.id, kind: inDb.kind, county: inDb.county_code, authorityId: inDb.authority_id, status: inDb.status,
      described: { kind: inDb.kind as never, county: inDb.county_code, township: inDb.township_code, address: inDb.address, authorityId: inDb.authority_id },
      hasHead: inDb.head_person_id !== null, existing: true,
    });
  }
  const target = targets.get(spec.number);
  if (!target) {
    return spec.described
      ? null
      : { field: 'household_number', code: 'HOUSEHOLD_NOT_FOUND', message: `household ${spec.number} is not in the register; describe it in this row (household_kind, household_township_code or household_county_code, household_address)` };
  }
  if (target.status !== 'active' && row.status === 'active') {
    return { field: 'household_number', code: 'HOUSEHOLD_CLOSED', message: `household ${spec.number} is closed and takes no new members` };
  }
  const d = spec.described;
  const t = target.described!;
  if (d && (d.kind !== t.kind || d.county !== t.county || (d.township ?? null) !== (t.township ?? null) || d.address !== t.address || d.authorityId !== t.authorityId)) {
    return { field: 'household_number', code: 'HOUSEHOLD_MISMATCH', message: `household ${spec.number} is registered as ${t.kind} at ${t.township ?? t.county} "${t.address}" (${t.authorityId}); this row describes it differently` };
  }
  return null;
}

function inRange(column: string, range: IdRange): NewRows {
  return range.hi < range.lo ? { where: 'false' } : { where: `${column} between ${range.lo} and ${range.hi}`, idRange: range };
}

function newRowsOf(ids: Record<string, IdRange>, touched: number[]): Record<string, NewRows> {
  const household = inRange('c.id', ids.household!);
  return {
    person: inRange('c.id', ids.person!),
    person_id_number: { where: inRange('c.person_id', ids.person!).where },
    household: touched.length > 0 ? { ...household, where: `(${household.where}) or c.id = any('{${touched.join(',')}}'::bigint[])` } : household,
    membership: inRange('c.id', ids.membership!),
    registration_event: inRange('c.id', ids.registration_event!),
    residence_registration: { where: inRange('c.person_id', ids.person!).where },
    residence_event: inRange('c.id', ids.residence_event!),
  };
}

/** A text[] literal for COPY: every element quoted, quotes and backslashes escaped. */
function pgArray(values: readonly string[]): string {
  return `{${values.map((x) => `"${x.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
