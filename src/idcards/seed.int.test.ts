import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { SYSTEM_ACTOR } from '../access/index.ts';
import { ageOn } from '../platform/calendar.ts';
import { fixedClock } from '../platform/clock.ts';
import { seedPopulation } from '../registry/bulk/index.ts';
import { checkCard } from './check.service.ts';
import { reportCardLost } from './loss.service.ts';
import { applyForCard } from './apply.service.ts';
import { residentCardValidity } from './rules.ts';

const AS_OF = '2026-01-01';
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedPopulation(t, { people: 6000, seed: 21, asOf: AS_OF });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const ctx = () => ({ db: t.db, clock: fixedClock(`${AS_OF}T04:00:00Z`), actor: { ...SYSTEM_ACTOR, id: 'test' } });

describe('seeded ID cards (src/idcards/seed.ts through the bulk seed)', () => {
  it('every resident aged 16 or more holds one valid resident card, with the validity of their age on its issue day (Art. 5)', async () => {
    const rows = await t.db
      .selectFrom('person as p')
      .leftJoin('id_card as c', (j) => j.onRef('c.person_id', '=', 'p.id').on('c.status', '=', 'valid'))
      .select(['p.id', 'p.birth_date', 'c.valid_from', 'c.valid_until', 'c.kind'])
      .execute();
    const adults = rows.filter((r) => ageOn(r.birth_date, AS_OF) >= 17); // 16-year-olds may not have applied yet
    const lostAwaitingReissue = await t.db.selectFrom('id_card').select('person_id').where('status', '=', 'reported_lost').where('status_changed_on', '>', '2025-12-10').execute();
    const waiting = new Set(lostAwaitingReissue.map((r) => r.person_id));
    expect(adults.filter((r) => r.valid_from === null && !waiting.has(r.id))).toEqual([]);
    expect(rows.filter((r) => ageOn(r.birth_date, AS_OF) < 16 && r.valid_from !== null)).toEqual([]);
    for (const r of adults.filter((a) => a.valid_from)) {
      const { months } = residentCardValidity(r.birth_date, r.valid_from!);
      expect(r.valid_until === null ? null : r.valid_until, `${r.birth_date} issued ${r.valid_from}`).toBe(
        months === null ? null : (await sql<{ d: string }>`select to_char((${r.valid_from}::date + make_interval(months => ${months})), 'YYYY-MM-DD') as d`.execute(t.db)).rows[0]!.d,
      );
      expect(r.valid_until === null || r.valid_until > AS_OF).toBe(true);
    }
  });

  it('has renewal histories, lost and reissued cards and expired temporary cards, each card with its delivered application', async () => {
    const byKind = await t.db.selectFrom('id_card_application').select(['kind', sql<number>`count(*)::int`.as('n')]).groupBy('kind').execute();
    const n = Object.fromEntries(byKind.map((r) => [r.kind, r.n]));
    expect(n.first).toBeGreaterThan(3000);
    expect(n.renewal).toBeGreaterThan(500);
    expect(n.reissue).toBeGreaterThan(10);
    expect(n.temporary).toBeGreaterThan(5);
    const reissued = await t.db
      .selectFrom('id_card_application as a')
      .innerJoin('id_card as prev', 'prev.id', 'a.previous_card_id')
      .select(['prev.status'])
      .where('a.kind', '=', 'reissue')
      .execute();
    expect(new Set(reissued.map((r) => r.status))).toEqual(new Set(['reported_lost']));
    const renewed = await t.db.selectFrom('id_card_application as a').innerJoin('id_card as prev', 'prev.id', 'a.previous_card_id').select('prev.status').where('a.kind', '=', 'renewal').execute();
    expect(new Set(renewed.map((r) => r.status))).toEqual(new Set(['superseded']));
    const temporary = await t.db.selectFrom('id_card').select('status').where('kind', '=', 'temporary').execute();
    expect(new Set(temporary.map((r) => r.status))).toEqual(new Set(['expired']));
    const orphans = await sql<{ n: number }>`select count(*)::int as n from id_card c left join id_card_event e on e.card_id = c.id and e.kind = 'card_issued' where e.id is null`.execute(t.db);
    expect(orphans.rows[0]!.n).toBe(0);
  });

  it('card checks, loss reports and renewals work on seeded people', async () => {
    const card = await t.db.selectFrom('id_card').select(['id_number', 'valid_from', 'valid_until']).where('status', '=', 'valid').where('kind', '=', 'resident').orderBy('person_id').executeTakeFirstOrThrow();
    expect(await checkCard(ctx(), { idNumber: card.id_number, validFrom: card.valid_from })).toMatchObject({ valid: true });
    const lost = await reportCardLost(ctx(), { idNumber: card.id_number, authorityId: 'station-110105001' });
    expect(lost.card.status).toBe('reported_lost');
    expect(await checkCard(ctx(), { idNumber: card.id_number, validFrom: card.valid_from })).toMatchObject({ valid: false });
    // a card in its renewal window (three months before expiry) is renewed at its hukou place
    const due = await t.db
      .selectFrom('id_card as c')
      .innerJoin('id_card_application as a', 'a.id', 'c.application_id')
      .select(['c.id_number', 'a.hukou_authority_id'])
      .where('c.status', '=', 'valid')
      .where('c.valid_until', '>', AS_OF)
      .where('c.valid_until', '<=', '2026-03-31')
      .executeTakeFirstOrThrow();
    const renewal = await applyForCard(ctx(), { idNumber: due.id_number, kind: 'renewal', reason: 'expiry', authorityId: due.hukou_authority_id });
    expect(renewal).toMatchObject({ kind: 'renewal', state: 'accepted' });
  });
});
