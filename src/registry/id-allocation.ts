import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { composeIdNumber } from '../idnumber/index.ts';
import { idNumberTaken } from './person.queries.ts';

/**
 * Sequence codes (GB 11643-1999 §5.4, 顺序码) by sex: odd for men (001…999), even for women
 * (002…998). 000 is not handed out.
 */
const SEQUENCE_RANGE = { '1': { first: 1, last: 999 }, '2': { first: 2, last: 998 } } as const;

export type AllocatableSex = keyof typeof SEQUENCE_RANGE;

export function isAllocatableSex(sex: string): sex is AllocatableSex {
  return sex === '1' || sex === '2';
}

/**
 * Takes the next sequence code for (address code, birth date, sex). The upsert row-locks the
 * counter until the caller's transaction ends, so concurrent allocations for the same day and area
 * queue up and each gets its own code; a rolled-back transaction gives its code back. Returns null
 * when the day's codes for that sex are used up.
 */
async function nextSequence(db: Db, addressCode: string, birthDate: string, sex: AllocatableSex): Promise<number | null> {
  const { first, last } = SEQUENCE_RANGE[sex];
  const { rows } = await sql<{ last_seq: number }>`
    insert into id_allocation (address_code, birth_date, sex, last_seq)
    values (${addressCode}, ${birthDate}, ${sex}, ${first})
    on conflict (address_code, birth_date, sex) do update set last_seq = id_allocation.last_seq + 2
      where id_allocation.last_seq + 2 <= ${last}
    returning last_seq`.execute(db);
  return rows[0]?.last_seq ?? null;
}

/**
 * Moves the counter (row-locked by nextSequence in this transaction) past the highest sequence of
 * that parity already held for the day and area. Bulk loads (seed, import) write no counters: the
 * numbers they register are found here, once, by a range scan of person_id_number's primary key,
 * the first time a birth runs into one of them.
 */
async function jumpPastHeld(db: Db, addressCode: string, birthDate: string, sex: AllocatableSex): Promise<void> {
  const prefix = `${addressCode}${birthDate.replaceAll('-', '')}`;
  await sql`
    update id_allocation a set last_seq = greatest(a.last_seq, held.seq)
      from (select max(substr(n.id_number, 15, 3)::int) as seq
              from person_id_number n
             where n.id_number > ${prefix} and n.id_number < ${`${prefix}Z`}
               and substr(n.id_number, 15, 3)::int % 2 = ${sex === '1' ? 1 : 0}) held
     where a.address_code = ${addressCode} and a.birth_date = ${birthDate} and a.sex = ${sex} and held.seq is not null`.execute(db);
}

/**
 * Allocates a new ID number: address code, birth date, the next free sequence code of the right
 * parity, check character (GB 11643-1999 §5). Numbers held now or formerly by anyone (imported,
 * seeded, issued before) are skipped — the counter jumps past the highest one held — so a number
 * is never given twice.
 */
export async function allocateIdNumber(db: Db, input: { addressCode: string; birthDate: string; sex: AllocatableSex }): Promise<string> {
  for (;;) {
    const seq = await nextSequence(db, input.addressCode, input.birthDate, input.sex);
    if (seq === null) {
      const { first, last } = SEQUENCE_RANGE[input.sex];
      const count = (last - first) / 2 + 1;
      throw new AppError(
        'ID_SEQUENCE_EXHAUSTED',
        `All ${count} sequence codes for ${input.sex === '1' ? 'men' : 'women'} born on ${input.birthDate} under address code ${input.addressCode} are taken, so no ID number can be allocated. Escalate to the county bureau; GB 11643 has no overflow rule.`,
        { details: { addressCode: input.addressCode, birthDate: input.birthDate, sex: input.sex, sequences: count } },
      );
    }
    const candidate = composeIdNumber(input.addressCode, input.birthDate, seq);
    if (!(await idNumberTaken(db, candidate))) return candidate;
    await jumpPastHeld(db, input.addressCode, input.birthDate, input.sex);
  }
}
