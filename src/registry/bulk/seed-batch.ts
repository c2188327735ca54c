import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { composeIdNumber } from '../../idnumber/index.ts';
import type { CardSeedPerson } from '../../idcards/index.ts';
import type { PermitSeedRegistration } from '../../residence/index.ts';
import { formatHouseholdNumber, legalBasisOfKind } from '../household.service.ts';
import { LEGAL_BASIS } from '../registry.law.ts';
import { RESIDENCE_REGISTRATION_BASIS } from './codes.ts';
import type { Calendar } from './calendar.ts';
import { LineSink } from './copy-stream.ts';
import type { HouseholdDraft, PersonDraft } from './household-generator.ts';
import { sequenceKey, type SequenceBook, type SexDigit } from './sequence-book.ts';

/**
 * Rows built between two turns of the event loop: COPYs in flight only progress when it turns, so
 * the database keeps working while the next batch is built.
 */
const YIELD_EVERY = 1000;

/** The columns a seed writes; everything else takes its default (status active, version 1, timestamps now). */
export const SEED_COLUMNS = {
  person: ['id', 'id_number', 'name', 'name_pinyin', 'sex', 'birth_date', 'ethnicity', 'birthplace_code', 'native_place_code', 'marital_status'],
  person_id_number: ['id_number', 'person_id', 'valid_from', 'reason'],
  household: ['id', 'household_number', 'kind', 'county_code', 'township_code', 'address', 'authority_id', 'head_person_id'],
  membership: ['id', 'person_id', 'household_id', 'relationship', 'since'],
  registration_event: ['id', 'person_id', 'household_id', 'kind', 'occurred_on', 'actor_id', 'authority_id', 'reason', 'legal_basis'],
  residence_registration: ['id', 'person_id', 'city_code', 'authority_id', 'address', 'registered_on', 'recorded_by'],
  residence_event: ['id', 'person_id', 'registration_id', 'kind', 'occurred_on', 'actor_id', 'authority_id', 'legal_basis', 'data'],
  birth_record: ['person_id', 'certificate_number', 'mother_person_id', 'mother_name', 'father_person_id', 'father_name'],
} as const;

/** 出生医学证明 exist from 1996-01-01; seeded ones are numbered S + the person id (unique, the official shape). */
const CERTIFICATES_FROM = '1996-01-01';
const SPOUSE_CODES = new Set(['10', '11', '12']);

export type SeedTable = keyof typeof SEED_COLUMNS;

/** Next ids to use, advanced by each batch. */
export interface IdCursor {
  person: number;
  household: number;
  membership: number;
  event: number;
  residenceEvent: number;
  householdSeq: number;
}

export interface SeedBatchRows {
  lines: Record<SeedTable, LineSink>;
  /** Everyone of the batch with their hukou place: the ID-card module seeds their cards. */
  cardHolders: CardSeedPerson[];
  /** The residence registrations of the batch: the residence module seeds their permits. */
  registrations: PermitSeedRegistration[];
  people: number;
  households: number;
}

interface Numbered {
  draft: PersonDraft;
  idNumber: string;
  /** Digits 1–14 and 15–17 of the ID number as numbers: sorting by them is sorting by the number. */
  head: number;
  seq: number;
  hukouCity: string;
}

/** The address code, birth date and sex of each person: the sequence keys a batch needs. */
export function sequenceKeysOf(households: HouseholdDraft[], calendar: Calendar): number[] {
  const keys: number[] = [];
  for (const h of households) {
    for (const p of h.members) keys.push(sequenceKey(Number(p.birthplace.code), calendar.ymd(p.birthDay), p.male ? '1' : '2'));
  }
  return keys;
}

/**
 * Gives every person of the batch an ID number (address code = county of birth, GB 11643 §5.2;
 * next sequence of the right parity; check character) — moving the birth date by a day in the
 * rare case the day's 500 codes are used up — then writes the batch as COPY lines. Persons are
 * numbered in ID-number order, so the unique index on id_number fills in runs.
 */
export async function buildSeedBatch(
  households: HouseholdDraft[],
  ids: IdCursor,
  book: SequenceBook,
  calendar: Calendar,
  meta: { actorId: string; reason: string; uuid: () => string },
): Promise<SeedBatchRows> {
  const numbered: Numbered[] = [];
  for (const h of households) {
    for (const p of h.members) {
      const sex: SexDigit = p.male ? '1' : '2';
      for (;;) {
        const ymd = calendar.ymd(p.birthDay);
        const key = sequenceKey(Number(p.birthplace.code), ymd, sex);
        const seq = book.take(key);
        if (seq === null) {
          p.birthDay -= 1;
          continue;
        }
        numbered.push({ draft: p, idNumber: composeIdNumber(p.birthplace.code, ymd, seq), head: Math.floor(key / 10), seq, hukouCity: h.county.city });
        break;
      }
    }
  }
  numbered.sort((a, b) => a.head - b.head || a.seq - b.seq);

  let sinceYield = 0;
  const lines: Record<SeedTable, LineSink> = {
    person: new LineSink(), person_id_number: new LineSink(), household: new LineSink(), membership: new LineSink(),
    registration_event: new LineSink(), residence_registration: new LineSink(), residence_event: new LineSink(), birth_record: new LineSink(),
  };
  const { actorId, reason } = meta;
  const numberOf = new Map<PersonDraft, string>();
  const cardHolders: CardSeedPerson[] = [];
  const registrations: PermitSeedRegistration[] = [];
  for (const n of numbered) {
    const p = n.draft;
    const id = ids.person++;
    p.id = id;
    const birth = calendar.iso(p.birthDay);
    numberOf.set(p, n.idNumber);
    lines.person.push(
      `${id}\t${n.idNumber}\t${p.name}\t${p.pinyin}\t${p.male ? '1' : '2'}\t${birth}\t${p.ethnicity}\t${p.birthplace.code}\t${p.nativePlace.code}\t${p.marital}\n`,
    );
    lines.person_id_number.push(`${n.idNumber}\t${id}\t${birth}\tbirth\n`);
    if (++sinceYield === YIELD_EVERY) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
    const r = p.residence;
    // 居住证暂行条例 Art. 2: residence registration is for living in a city other than the hukou city
    if (r && r.county.city !== n.hukouCity) {
      const registration = meta.uuid();
      const authority = r.township?.authorityId ?? r.county.authorityId;
      const since = calendar.iso(r.since);
      lines.residence_registration.push(`${registration}\t${id}\t${r.county.city}\t${authority}\t${r.address}\t${since}\t${actorId}\n`);
      registrations.push({ personId: id, registrationId: registration, cityCode: r.county.city, authorityId: authority, countyCode: r.county.code, registeredOn: since });
      lines.residence_event.push(
        `${ids.residenceEvent++}\t${id}\t${registration}\tregistered\t${since}\t${actorId}\t${authority}\t${RESIDENCE_REGISTRATION_BASIS}\t{"cityCode":"${r.county.city}"}\n`,
      );
    }
  }

  for (const h of households) {
    if (++sinceYield === YIELD_EVERY) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
    const householdId = ids.household++;
    const authority = h.township?.authorityId ?? h.county.authorityId;
    const number = formatHouseholdNumber(h.township?.code ?? `${h.county.code}000`, ids.householdSeq++);
    const head = h.hasHead ? h.members[0]!.id : null;
    const since = calendar.iso(h.since);
    lines.household.push(
      `${householdId}\t${number}\t${h.kind}\t${h.county.code}\t${h.township?.code ?? '\\N'}\t${h.address}\t${authority}\t${head ?? '\\N'}\n`,
    );
    lines.registration_event.push(
      `${ids.event++}\t\\N\t${householdId}\thousehold_created\t${since}\t${actorId}\t${authority}\t${reason}\t${legalBasisOfKind(h.kind)}\n`,
    );
    // the couple of the household (head and spouse): the parents of the children born into it
    const head0 = h.members[0]?.relationship === '02' ? h.members[0] : undefined;
    const spouse = head0 ? h.members.find((m) => SPOUSE_CODES.has(m.relationship) && m.male !== head0.male) : undefined;
    const mother = head0 && spouse ? (head0.male ? spouse : head0) : undefined;
    const father = head0 && spouse ? (head0.male ? head0 : spouse) : undefined;
    for (const p of h.members) {
      const personId = p.id;
      lines.membership.push(`${ids.membership++}\t${personId}\t${householdId}\t${p.relationship}\t${calendar.iso(p.since)}\n`);
      cardHolders.push({ personId, idNumber: numberOf.get(p)!, name: p.name, birthDate: calendar.iso(p.birthDay), hukouAuthorityId: authority, countyCode: h.county.code });
      // Art. 7: a birth is registered at the infant's place of permanent residence — this household
      // for those born into it, else the county of birth.
      const bornHere = p.birthDay >= h.since && p.birthplace === h.county;
      // Art. 7: the birth names its parents — the couple, for their sons and daughters born here
      if (bornHere && mother && father && (p.relationship[0] === '2' || p.relationship[0] === '3') && p.birthDay > Math.max(mother.birthDay, father.birthDay) + 16 * 365) {
        const born = calendar.iso(p.birthDay);
        lines.birth_record.push(`${personId}\t${born >= CERTIFICATES_FROM ? `S${String(personId).padStart(9, '0')}` : '\\N'}\t${mother.id}\t${mother.name}\t${father.id}\t${father.name}\n`);
      }
      lines.registration_event.push(
        `${ids.event++}\t${personId}\t${bornHere ? householdId : '\\N'}\tbirth\t${calendar.iso(p.birthDay)}\t${actorId}\t${bornHere ? authority : p.birthplace.authorityId}\t${reason}\t${LEGAL_BASIS.birth}\n`,
      );
    }
  }
  return { lines, cardHolders, registrations, people: numbered.length, households: households.length };
}
