import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type pg from 'pg';
import { chinaDate } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { BulkSession } from './bulk-session.ts';
import { findAllocations, findIdNumbersByPrefix, lastHouseholdNumberSequence, lastIdentity, setSequence } from './bulk.queries.ts';
import { Calendar } from './calendar.ts';
import { copyChunks, copyRows } from './copy-stream.ts';
import { CARD_SEED_TABLES, copySeededCards, type BulkCopier } from '../../idcards/index.ts';
import { copySeededPermits, PERMIT_SEED_TABLES } from '../../residence/index.ts';
import { HouseholdGenerator, type HouseholdDraft } from './household-generator.ts';
import { Places } from './places.ts';
import { Random, uuidFrom } from './random.ts';
import { buildSeedBatch, SEED_COLUMNS, sequenceKeysOf, type IdCursor, type SeedBatchRows, type SeedTable } from './seed-batch.ts';
import { decodeSequenceKey, SequenceBook, sequenceKey, type SexDigit } from './sequence-book.ts';

/** What bulk operations need: the Kysely handle and the pool behind it (COPY needs a raw connection). */
export interface BulkTarget {
  db: Db;
  pool: pg.Pool;
}

export interface SeedOptions {
  people: number;
  seed?: number;
  /** The day ages are counted to (YYYY-MM-DD); default today in China. Output is deterministic per (seed, people, asOf, reference data, register contents). */
  asOf?: string;
  /** Recorded as the actor of every event. */
  actorId?: string;
  /** Do nothing when the register already holds people (checked under the bulk-load lock). */
  onlyIfEmpty?: boolean;
  /** People per COPY batch (default 20,000). */
  batchPeople?: number;
  onProgress?: (done: number, total: number) => void;
  /** Seconds since the start at the end of each phase (benchmarks report them). */
  onPhase?: (phase: SeedPhase, seconds: number) => void;
}

export type SeedPhase = 'prepared' | 'copied' | 'sequences' | 'indexes' | 'verified' | 'committed';

export interface SeedSummary {
  /** True when `onlyIfEmpty` found people in the register and nothing was written. */
  skipped: boolean;
  seed: number;
  asOf: string;
  people: number;
  households: number;
  memberships: number;
  events: number;
  residenceRegistrations: number;
  /** Resident and temporary ID cards in the seeded people's histories (src/idcards/seed.ts). */
  idCards: number;
  /** Residence permits issued to seeded people living away from their hukou (src/residence/seed.ts). */
  residencePermits: number;
  firstPersonId: number | null;
  lastPersonId: number | null;
  /** Triggers were off during the load and every invariant was re-checked set-wise. */
  triggersOff: boolean;
  rebuiltIndexes: number;
  seconds: number;
  rowsPerSecond: number;
}

export const DEFAULT_SEED = 1;

const EMPTY_SUMMARY: Omit<SeedSummary, 'seed' | 'asOf' | 'skipped' | 'seconds'> = {
  people: 0, households: 0, memberships: 0, events: 0, residenceRegistrations: 0, idCards: 0, residencePermits: 0,
  firstPersonId: null, lastPersonId: null, triggersOff: false, rebuiltIndexes: 0, rowsPerSecond: 0,
};
const MAX_PEOPLE = 100_000_000;

/** Tables a seed writes, in an order that satisfies the foreign keys when triggers stay on. */
const TABLE_ORDER: readonly SeedTable[] = ['person', 'person_id_number', 'household', 'membership', 'registration_event', 'residence_registration', 'residence_event', 'birth_record'];
const LOCKED_TABLES = [...TABLE_ORDER, 'id_allocation', ...CARD_SEED_TABLES, ...PERMIT_SEED_TABLES];

/**
 * Adds `people` synthetic people to the register (`hukou seed`): households built as families or
 * collective households across the country, ID numbers allocated like births (no id_allocation
 * counters are written: a later birth that runs into a seeded number jumps past the day's highest,
 * see allocateIdNumber), a birth event per person and a household_created event per household, residence
 * registrations for those living in another city. One transaction: all or nothing. A second seed on
 * a non-empty register adds people after the existing ones without reusing an ID number.
 */
export async function seedPopulation(target: BulkTarget, options: SeedOptions): Promise<SeedSummary> {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(options.people) || options.people < 0 || options.people > MAX_PEOPLE) {
    throw new AppError('VALIDATION_FAILED', `--people must be a whole number from 0 to ${MAX_PEOPLE}, got ${options.people}.`);
  }
  if (!Number.isInteger(seed) || Math.abs(seed) > 2 ** 31) throw new AppError('VALIDATION_FAILED', `--seed must be a 32-bit integer, got ${seed}.`);
  const started = performance.now();
  const phase = (name: SeedPhase) => options.onPhase?.(name, (performance.now() - started) / 1000);
  const asOf = options.asOf ?? chinaDate(new Date());
  const calendar = new Calendar(asOf);
  if (options.people === 0) return { ...EMPTY_SUMMARY, seed, asOf, skipped: false, seconds: 0 };
  const places = await Places.load(target.db);
  const generator = new HouseholdGenerator(places, new Random(seed), calendar);
  // residence registration ids: deterministic, but distinct for every seed run on the same register
  let uuidRandom = new Random(seed, 1);
  const actorId = options.actorId ?? 'system:seed';
  const meta = {
    actorId,
    reason: `synthetic population (hukou seed --seed ${seed})`,
    uuid: () => uuidFrom(uuidRandom),
  };

  const client = await target.pool.connect();
  try {
    await client.query('begin');
    // one bulk load at a time; births and moves wait on the table locks until it commits
    await client.query(`select pg_advisory_xact_lock(hashtext('hukou.bulk-load'))`);
    const session = await BulkSession.open(client, LOCKED_TABLES);
    if (options.onlyIfEmpty && !session.emptyTables.has('person')) {
      await client.query('rollback');
      return { ...EMPTY_SUMMARY, seed, asOf, skipped: true, seconds: (performance.now() - started) / 1000 };
    }
    const registerWasEmpty = session.emptyTables.has('person_id_number') && session.emptyTables.has('id_allocation');
    const rebuiltIndexes = await session.dropIndexesOfEmptyTables();
    phase('prepared');
    const identities = {
      person: await lastIdentity(client, 'person'),
      household: await lastIdentity(client, 'household'),
      membership: await lastIdentity(client, 'membership'),
      event: await lastIdentity(client, 'registration_event'),
      residenceEvent: await lastIdentity(client, 'residence_event'),
    };
    const ids: IdCursor = {
      person: identities.person.last + 1,
      household: identities.household.last + 1,
      membership: identities.membership.last + 1,
      event: identities.event.last + 1,
      residenceEvent: identities.residenceEvent.last + 1,
      householdSeq: (await lastHouseholdNumberSequence(client)) + 1,
    };
    const first = { ...ids };
    uuidRandom = new Random(seed, first.person);
    const book = new SequenceBook();
    const counts = { people: 0, households: 0, residence: 0, cards: 0, permits: 0 };
    // ID cards are written by their module through the session's COPY; their two-way foreign keys
    // (application ↔ card) can only be loaded with triggers off and re-checked set-wise (verify)
    const cardRandom = new Random(seed, 2 + first.person);
    const cards = session.replica
      ? { asOf, actorId, uuid: () => uuidFrom(cardRandom), random: () => cardRandom.next() }
      : null;
    const copier: BulkCopier = { copy: async (table, columns, lines) => void (await copyRows(client, table, columns, lines)) };
    const batchPeople = options.batchPeople ?? 20_000;
    let pending: Promise<void> = Promise.resolve();
    while (counts.people < options.people) {
      const households = await generateBatch(generator, Math.min(batchPeople, options.people - counts.people));
      if (!registerWasEmpty) {
        await pending;
        await learnExistingSequences(client, sequenceKeysOf(households, calendar), book);
      }
      const rows = await buildSeedBatch(households, ids, book, calendar, meta);
      counts.people += rows.people;
      counts.households += rows.households;
      counts.residence += rows.lines.residence_registration.rows;
      await pending;
      const done = counts.people;
      pending = writeBatch(client, rows)
        .then(async () => {
          if (cards) counts.cards += (await copySeededCards(copier, rows.cardHolders, cards)).cards;
          if (cards) counts.permits += (await copySeededPermits(copier, rows.registrations, cards)).permits;
        })
        .then(() => options.onProgress?.(done, options.people));
      pending.catch(() => undefined);
    }
    await pending;
    phase('copied');

    await setSequence(client, identities.person.sequence, ids.person - 1);
    await setSequence(client, identities.household.sequence, ids.household - 1);
    await setSequence(client, identities.membership.sequence, ids.membership - 1);
    await setSequence(client, identities.event.sequence, ids.event - 1);
    await setSequence(client, identities.residenceEvent.sequence, ids.residenceEvent - 1);
    await setSequence(client, 'household_number_seq', ids.householdSeq - 1);
    phase('sequences');
    await session.restoreIndexes();
    phase('indexes');
    const personRows = { where: `c.id >= ${first.person}`, idRange: { lo: first.person, hi: ids.person - 1 } };
    const problems = await session.verify(
      {
        person: personRows,
        person_id_number: { where: `c.person_id >= ${first.person}` },
        household: { where: `c.id >= ${first.household}`, idRange: { lo: first.household, hi: ids.household - 1 } },
        membership: { where: `c.id >= ${first.membership}` },
        registration_event: { where: `c.id >= ${first.event}` },
        residence_registration: { where: `c.person_id >= ${first.person}` },
        residence_event: { where: `c.id >= ${first.residenceEvent}` },
        birth_record: { where: `c.person_id >= ${first.person}` },
        ...(cards ? Object.fromEntries([...CARD_SEED_TABLES, ...PERMIT_SEED_TABLES].map((t) => [t, { where: `c.person_id >= ${first.person}` }])) : {}),
      },
      personRows,
      { hashReferences: true },
    );
    if (problems.length > 0) {
      throw new AppError('BULK_INVARIANT_VIOLATED', `The seed was rolled back: ${problems.join('; ')}.`, { details: { problems } });
    }
    phase('verified');
    await client.query('commit');
    phase('committed');

    const seconds = (performance.now() - started) / 1000;
    const events = counts.people + counts.households;
    const rows = counts.people * 3 + counts.households + events + counts.residence * 2 + counts.cards * 3 + counts.permits * 2;
    return {
      skipped: false,
      seed,
      asOf,
      people: counts.people,
      households: counts.households,
      memberships: counts.people,
      events,
      residenceRegistrations: counts.residence,
      idCards: counts.cards,
      residencePermits: counts.permits,
      firstPersonId: counts.people > 0 ? first.person : null,
      lastPersonId: counts.people > 0 ? ids.person - 1 : null,
      triggersOff: session.replica,
      rebuiltIndexes,
      seconds,
      rowsPerSecond: Math.round(rows / seconds),
    };
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Households holding exactly `people` persons (the last one trimmed), yielding to the event loop so COPYs in flight keep streaming. */
async function generateBatch(generator: HouseholdGenerator, people: number): Promise<HouseholdDraft[]> {
  const households: HouseholdDraft[] = [];
  let count = 0;
  while (count < people) {
    const h = generator.next();
    if (count + h.members.length > people) h.members = h.members.slice(0, people - count);
    households.push(h);
    count += h.members.length;
    if (households.length % 400 === 0) await yieldToEventLoop();
  }
  return households;
}

async function writeBatch(client: pg.ClientBase, rows: SeedBatchRows): Promise<void> {
  for (const table of TABLE_ORDER) {
    const sink = rows.lines[table];
    if (sink.rows > 0) await copyChunks(client, table, SEED_COLUMNS[table], sink.finish());
  }
}

/** On a non-empty register, starts each key after the sequences id_allocation and person_id_number already hold. */
async function learnExistingSequences(client: pg.ClientBase, keys: number[], book: SequenceBook): Promise<void> {
  const fresh = [...new Set(keys.filter((k) => !book.has(k)))];
  if (fresh.length === 0) return;
  const decoded = fresh.map(decodeSequenceKey);
  for (const a of await findAllocations(client, decoded)) {
    book.seen(sequenceKey(Number(a.address_code), Number(a.birth_date.replaceAll('-', '')), a.sex as SexDigit), a.last_seq);
  }
  const prefixes = [...new Set(decoded.map((d) => d.addressCode + d.birthDate.replaceAll('-', '')))];
  for (const idNumber of await findIdNumbersByPrefix(client, prefixes)) {
    const seq = Number(idNumber.slice(14, 17));
    book.seen(sequenceKey(Number(idNumber.slice(0, 6)), Number(idNumber.slice(6, 14)), seq % 2 === 1 ? '1' : '2'), seq);
  }
  for (const k of fresh) book.seen(k, 0);
}

