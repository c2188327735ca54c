import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import type { Db } from '../platform/db/database.ts';
import { applyForPermit, issuePermit, registerResidence } from '../residence/index.ts';
import { applyForCard, type ApplyForCardInput } from './apply.service.ts';
import { checkCard } from './check.service.ts';
import { confirmApplication, deliverCard, rejectApplication } from './decide.service.ts';
import { expireCards } from './expiry.service.ts';
import { getIdentity } from './identity.service.ts';
import { reportCardLost } from './loss.service.ts';
import { holdOpen, waitForLockWaiters } from '../../test/locks.ts';
import { changeName, correctBirthDate, ctxOn, newPerson, PLACE, refusal, registerDeathOf, station, type TestPerson } from '../../test/persons.ts';

let tdb: TestDatabase;
let db: Db;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
});
afterAll(async () => {
  await tdb?.close();
});

const LIWAN = station(PLACE.guangzhouLiwan);

async function apply(on: string, input: Partial<ApplyForCardInput> & { idNumber: string }) {
  return applyForCard(ctxOn(db, on), { kind: 'first', authorityId: LIWAN, ...input });
}

/** Accepts, confirms and delivers a card on `on`; returns the card. */
async function issueCard(on: string, input: Partial<ApplyForCardInput> & { idNumber: string }) {
  const app = await apply(on, input);
  const { card } = await confirmApplication(ctxOn(db, on), { applicationId: app.id });
  await deliverCard(ctxOn(db, on), { applicationId: app.id });
  return { app, card };
}

async function writes(personIdNumber: string) {
  const p = await db.selectFrom('person').select('id').where('id_number', '=', personIdNumber).executeTakeFirstOrThrow();
  const count = async (table: 'id_card_application' | 'id_card' | 'id_card_event') =>
    Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('person_id', '=', p.id).executeTakeFirstOrThrow()).n);
  return { applications: await count('id_card_application'), cards: await count('id_card'), events: await count('id_card_event') };
}


describe('validity decided by age on the application date (居民身份证法 Art. 5)', () => {
  it.each([
    ['2008-06-15', '2024-06-14', 15, 60, '2029-06-14', false],
    ['2008-06-15', '2024-06-15', 16, 120, '2034-06-15', false],
    ['2008-06-15', '2024-06-16', 16, 120, '2034-06-16', false],
    ['1998-06-15', '2024-06-14', 25, 120, '2034-06-14', true],
    ['1998-06-15', '2024-06-15', 26, 240, '2044-06-15', true],
    ['1998-06-15', '2024-06-16', 26, 240, '2044-06-16', true],
    ['1978-06-15', '2024-06-14', 45, 240, '2044-06-14', true],
    ['1978-06-15', '2024-06-15', 46, null, null, true],
    ['1978-06-15', '2024-06-16', 46, null, null, true],
    // Leap-day births reach their 26th and 46th birthdays on 28 February of a common year.
    ['2000-02-29', '2026-02-27', 25, 120, '2036-02-27', true],
    ['2000-02-29', '2026-02-28', 26, 240, '2046-02-28', true],
    ['2000-02-29', '2026-03-01', 26, 240, '2046-03-01', true],
    ['1980-02-29', '2026-02-27', 45, 240, '2046-02-27', true],
    ['1980-02-29', '2026-02-28', 46, null, null, true],
    ['2008-02-29', '2024-02-29', 16, 120, '2034-02-28', false],
  ])('born %s, first application %s: age %i, %s months, card until %s, late %s', async (birthDate, on, age, months, validUntil, late) => {
    const person = await newPerson(db, { birthDate });
    const { app, card } = await issueCard(on, { idNumber: person.idNumber });
    expect(app).toMatchObject({ kind: 'first', ageOnApplication: age, validityMonths: months, late, scope: 'local', state: 'accepted' });
    expect(app.fee).toMatchObject({ standardYuan: 20, dueYuan: 20, waiver: null });
    expect(app.dueOn > on).toBe(true);
    expect(card).toMatchObject({ kind: 'resident', status: 'valid', validFrom: on, validUntil, idNumber: person.idNumber });
  });

  it('records a first application as late only after the 3 months following the 16th birthday (Art. 7)', async () => {
    const onTime = await newPerson(db, { birthDate: '2008-03-10' });
    const late = await newPerson(db, { birthDate: '2008-03-10' });
    expect((await apply('2024-06-10', { idNumber: onTime.idNumber })).late).toBe(false);
    expect((await apply('2024-06-11', { idNumber: late.idNumber })).late).toBe(true);
  });
});

describe('renewal (换领, Art. 11)', () => {
  let person: TestPerson;
  let firstCard: { id: string; validFrom: string; validUntil: string | null };
  beforeAll(async () => {
    person = await newPerson(db, { birthDate: '2000-05-20' });
    ({ card: firstCard } = await issueCard('2016-06-01', { idNumber: person.idNumber }));
    expect(firstCard.validUntil).toBe('2026-06-01');
  });

  it('refuses renewal for expiry before the window opens, writing nothing', async () => {
    const before = await writes(person.idNumber);
    const e = await refusal(apply('2026-02-28', { idNumber: person.idNumber, kind: 'renewal' }));
    expect(e.code).toBe('CARD_NOT_NEAR_EXPIRY');
    expect(e.details).toMatchObject({ validUntil: '2026-06-01', renewableFrom: '2026-03-01' });
    expect(await writes(person.idNumber)).toEqual(before);
  });

  it('refuses renewal for a change of name the register does not show', async () => {
    expect((await refusal(apply('2025-01-10', { idNumber: person.idNumber, kind: 'renewal', reason: 'name_change' }))).code).toBe('NAME_NOT_CHANGED');
  });

  it('accepts damage at any time for ¥40, and after the rejection the expiry renewal from the window', async () => {
    const damaged = await apply('2025-01-10', { idNumber: person.idNumber, kind: 'renewal', reason: 'damage' });
    expect(damaged).toMatchObject({ reason: 'damage', previousCardId: firstCard.id, fee: { standardYuan: 40, dueYuan: 40 } });
    await rejectApplication(ctxOn(db, '2025-01-11'), { applicationId: damaged.id, reason: 'the applicant withdrew' });

    const renewal = await apply('2026-03-01', { idNumber: person.idNumber, kind: 'renewal', feeWaiver: 'dibao' });
    expect(renewal).toMatchObject({ reason: 'expiry', ageOnApplication: 25, validityMonths: 120, fee: { standardYuan: 20, dueYuan: 0, waiver: 'dibao' } });
    const { card } = await confirmApplication(ctxOn(db, '2026-03-20'), { applicationId: renewal.id });
    expect(card).toMatchObject({ status: 'valid', validFrom: '2026-03-20', validUntil: '2036-03-20' });

    const identity = await getIdentity(ctxOn(db, '2026-03-21'), person.idNumber);
    expect(identity.idCard.current?.id).toBe(card.id);
    expect(identity.idCard.cards.map((c) => [c.id, c.status])).toEqual([
      [card.id, 'valid'],
      [firstCard.id, 'superseded'],
    ]);
  });

  it('accepts renewal for a change of name once the register shows it, with the new name on the card', async () => {
    const other = await newPerson(db, { birthDate: '1990-01-01', name: '李小红' });
    await issueCard('2015-01-01', { idNumber: other.idNumber });
    await changeName(db, other, '李晓红', '2020-05-05');
    const app = await apply('2020-05-06', { idNumber: other.idNumber, kind: 'renewal', reason: 'name_change' });
    const { card } = await confirmApplication(ctxOn(db, '2020-05-07'), { applicationId: app.id });
    expect(card.name).toBe('李晓红');
  });
});

describe('loss report (挂失), reissue (补领) and the card check', () => {
  let person: TestPerson;
  let card: { id: string; validFrom: string };
  beforeAll(async () => {
    person = await newPerson(db, { birthDate: '1990-08-08' });
    ({ card } = await issueCard('2020-01-15', { idNumber: person.idNumber }));
  });

  it('refuses a reissue while the card has not been reported lost, writing nothing', async () => {
    const before = await writes(person.idNumber);
    const e = await refusal(apply('2025-01-01', { idNumber: person.idNumber, kind: 'reissue' }));
    expect(e.code).toBe('REISSUE_WITHOUT_LOSS_REPORT');
    expect(await writes(person.idNumber)).toEqual(before);
  });

  it('checks a valid card yes, with a reference and nothing else', async () => {
    const r = await checkCard(ctxOn(db, '2025-01-01'), { idNumber: person.idNumber, validFrom: card.validFrom });
    expect(Object.keys(r).sort()).toEqual(['reference', 'valid']);
    expect(r.valid).toBe(true);
    const logged = await db.selectFrom('id_card_check').select(['valid', 'card_id', 'actor_id']).where('id', '=', r.reference).executeTakeFirstOrThrow();
    expect(logged).toEqual({ valid: true, card_id: card.id, actor_id: 'test-officer' });
  });

  it('refuses a malformed number or date (the CLI has no schema) with VALIDATION_FAILED per field, logging nothing', async () => {
    const logged = async () => Number((await db.selectFrom('id_card_check').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const before = await logged();
    const e = await refusal(checkCard(ctxOn(db, '2025-01-01'), { idNumber: '12345', validFrom: '2020-02-30' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect((e.details as { field: string }[]).map((d) => d.field)).toEqual(['idNumber', 'validFrom']);
    expect(await logged()).toBe(before);
  });

  it('a loss report invalidates the card at once: the check answers no', async () => {
    const reported = await reportCardLost(ctxOn(db, '2025-01-02'), { idNumber: person.idNumber, authorityId: station(PLACE.beijingChaoyang) });
    expect(reported.card.status).toBe('reported_lost');
    expect((await checkCard(ctxOn(db, '2025-01-02'), { idNumber: person.idNumber, validFrom: card.validFrom })).valid).toBe(false);
    expect((await refusal(reportCardLost(ctxOn(db, '2025-01-02'), { idNumber: person.idNumber, authorityId: LIWAN }))).code).toBe('NO_VALID_CARD');
    const event = await db.selectFrom('id_card_event').select(['kind', 'scope', 'accepting_authority_id']).where('card_id', '=', card.id).where('kind', '=', 'loss_reported').executeTakeFirstOrThrow();
    expect(event).toEqual({ kind: 'loss_reported', scope: 'interprovincial', accepting_authority_id: station(PLACE.beijingChaoyang) });
  });

  it('a loss report while the renewed card still awaits delivery leaves that card valid: the card in hand was superseded already', async () => {
    const other = await newPerson(db, { birthDate: '2010-12-12' });
    const { card: inHand } = await issueCard('2020-12-12', { idNumber: other.idNumber });
    const renewal = await apply('2025-10-01', { idNumber: other.idNumber, kind: 'renewal' });
    const { card: renewed } = await confirmApplication(ctxOn(db, '2025-10-05'), { applicationId: renewal.id });
    const before = await writes(other.idNumber);
    const e = await refusal(reportCardLost(ctxOn(db, '2025-10-06'), { idNumber: other.idNumber, authorityId: LIWAN }));
    expect(e.code).toBe('NO_VALID_CARD');
    expect(e.details).toMatchObject({ latestCardId: renewed.id, awaitingDelivery: true });
    expect(e.userMessage).toContain(inHand.id);
    // reported at any counter: the reason, not the dates or the application (docs/access.md)
    expect(e.details).not.toHaveProperty('applicationId');
    expect(e.userMessage).not.toMatch(/\d{4}-\d{2}-\d{2}|application/);
    expect(await writes(other.idNumber)).toEqual(before);
    expect((await checkCard(ctxOn(db, '2025-10-06'), { idNumber: other.idNumber, validFrom: renewed.validFrom })).valid).toBe(true);
    // once handed over, it is the card in hand
    await deliverCard(ctxOn(db, '2025-10-07'), { applicationId: renewal.id });
    expect((await reportCardLost(ctxOn(db, '2025-10-08'), { idNumber: other.idNumber, authorityId: LIWAN })).card).toMatchObject({ id: renewed.id, status: 'reported_lost' });
  });

  it('refuses a fee waiver on a reissue; a renewal is refused in favour of reissue', async () => {
    expect((await refusal(apply('2025-01-03', { idNumber: person.idNumber, kind: 'reissue', feeWaiver: 'dibao' }))).code).toBe('FEE_WAIVER_NOT_APPLICABLE');
    expect((await refusal(apply('2025-01-03', { idNumber: person.idNumber, kind: 'renewal', reason: 'damage' }))).code).toBe('NO_CARD_TO_RENEW');
  });

  it('reissues for ¥40 with a temporary card meanwhile; the new card checks valid, the lost one not', async () => {
    const reissue = await apply('2025-01-03', { idNumber: person.idNumber, kind: 'reissue' });
    expect(reissue).toMatchObject({ reason: 'loss', previousCardId: card.id, fee: { dueYuan: 40 }, validityMonths: 240 });

    const temporary = await apply('2025-01-03', { idNumber: person.idNumber, kind: 'temporary' });
    expect(temporary).toMatchObject({ fee: { dueYuan: 10 }, validityMonths: 3, dueOn: '2025-01-06' });
    const { card: temp } = await confirmApplication(ctxOn(db, '2025-01-04'), { applicationId: temporary.id });
    expect(temp).toMatchObject({ kind: 'temporary', status: 'valid', validUntil: '2025-04-04' });

    const { card: reissued } = await confirmApplication(ctxOn(db, '2025-02-01'), { applicationId: reissue.id });
    const cards = (await getIdentity(ctxOn(db, '2025-02-01'), person.idNumber)).idCard.cards;
    expect(cards.map((c) => [c.kind, c.status])).toEqual([
      ['resident', 'valid'],
      ['temporary', 'superseded'],
      ['resident', 'reported_lost'],
    ]);
    expect((await checkCard(ctxOn(db, '2025-02-01'), { idNumber: person.idNumber, validFrom: reissued.validFrom })).valid).toBe(true);
    expect((await checkCard(ctxOn(db, '2025-02-01'), { idNumber: person.idNumber, validFrom: temp.validFrom })).valid).toBe(false);
    expect((await checkCard(ctxOn(db, '2025-02-01'), { idNumber: person.idNumber, validFrom: '2025-01-15' })).valid).toBe(false);
  });
});

describe('one valid card per person', () => {
  it('refuses a second first application, and a temporary card next to a valid card', async () => {
    const person = await newPerson(db, { birthDate: '1985-04-04' });
    await issueCard('2010-01-01', { idNumber: person.idNumber });
    const before = await writes(person.idNumber);
    expect((await refusal(apply('2020-01-01', { idNumber: person.idNumber }))).code).toBe('FIRST_CARD_ALREADY_ISSUED');
    expect((await refusal(apply('2020-01-01', { idNumber: person.idNumber, kind: 'temporary' }))).code).toBe('SECOND_VALID_CARD');
    expect(await writes(person.idNumber)).toEqual(before);
  });

  it('the database refuses a second valid card even when a writer skips the service (partial unique index)', async () => {
    const person = await newPerson(db, { birthDate: '1985-05-05' });
    const { card } = await issueCard('2010-01-01', { idNumber: person.idNumber });
    const other = await apply('2011-01-01', { idNumber: person.idNumber, kind: 'renewal', reason: 'damage' });
    await rejectApplication(ctxOn(db, '2011-01-01'), { applicationId: other.id, reason: 'test' });
    const row = await db.selectFrom('id_card').select(['person_id', 'id_number', 'name', 'issuing_authority_id']).where('id', '=', card.id).executeTakeFirstOrThrow();
    const second = db
      .insertInto('id_card')
      .values({ ...row, kind: 'resident', valid_from: '2011-01-01', valid_until: '2031-01-01', status_changed_on: '2011-01-01', application_id: other.id })
      .execute();
    await expect(second).rejects.toMatchObject({ code: '23505', constraint: 'id_card_one_valid_idx' });
  });

  it('a temporary card needs a pending application', async () => {
    const person = await newPerson(db, { birthDate: '2009-09-09' });
    expect((await refusal(apply('2025-10-01', { idNumber: person.idNumber, kind: 'temporary' }))).code).toBe('NO_PENDING_APPLICATION');
  });

  it('only one open application of a kind; steps in order', async () => {
    const person = await newPerson(db, { birthDate: '2009-10-10' });
    const app = await apply('2025-10-10', { idNumber: person.idNumber });
    expect((await refusal(apply('2025-10-11', { idNumber: person.idNumber }))).code).toBe('APPLICATION_IN_PROGRESS');
    expect((await refusal(deliverCard(ctxOn(db, '2025-10-11'), { applicationId: app.id }))).code).toBe('APPLICATION_STATE');
  });
});

describe('handled anywhere (跨省通办): scope and authorities on every event', () => {
  it.each([
    [PLACE.guangzhouTianhe, 'local'],
    [PLACE.shenzhenNanshan, 'intraprovincial_cross_prefecture'],
    [PLACE.beijingChaoyang, 'interprovincial'],
  ] as const)('a Guangzhou hukou accepted at %s: %s', async (township, scope) => {
    const person = await newPerson(db, { birthDate: '1995-03-03' });
    const { app } = await issueCard('2020-03-03', { idNumber: person.idNumber, authorityId: station(township) });
    expect(app).toMatchObject({ scope, acceptingAuthorityId: station(township), hukouAuthorityId: LIWAN, issuingAuthorityId: 'county-440103' });
    const events = await db
      .selectFrom('id_card_event')
      .select(['kind', 'scope', 'accepting_authority_id', 'hukou_authority_id'])
      .where('application_id', '=', app.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.kind)).toEqual(['application_accepted', 'application_confirmed', 'card_issued', 'card_delivered']);
    for (const e of events) expect(e).toMatchObject({ scope, accepting_authority_id: station(township), hukou_authority_id: LIWAN });
  });

  it('a residence-permit holder renews at the residence place, on the basis of 居住证暂行条例 Art. 13', async () => {
    const person = await newPerson(db, { birthDate: '1992-02-02' });
    await issueCard('2010-03-01', { idNumber: person.idNumber });
    await registerResidence(ctxOn(db, '2018-01-10'), { idNumber: person.idNumber, authorityId: station(PLACE.beijingChaoyang), address: '建国门外大街1号' });
    const permit = await applyForPermit(ctxOn(db, '2018-08-01'), { idNumber: person.idNumber, authorityId: station(PLACE.beijingChaoyang), basis: 'employment', basisEvidence: '劳动合同' });
    await issuePermit(ctxOn(db, '2018-08-05'), { permitId: permit.id });
    const renewal = await apply('2019-07-01', { idNumber: person.idNumber, kind: 'renewal', reason: 'damage', authorityId: station(PLACE.beijingChaoyang) });
    expect(renewal).toMatchObject({ scope: 'interprovincial', residencePermitId: permit.id });
    expect(renewal.legalBasis).toContain('居住证暂行条例 第十三条');
  });

  it('remote areas get 30 more days (authority.remote)', async () => {
    await db.updateTable('authority').set({ remote: true }).where('id', '=', 'county-652722').execute();
    const person = await newPerson(db, { birthDate: '1993-03-03', township: PLACE.xinjiangJinghe });
    const app = await applyForCard(ctxOn(db, '2026-01-01'), { idNumber: person.idNumber, kind: 'first', authorityId: station(PLACE.xinjiangJinghe) });
    expect(app.dueOn).toBe('2026-04-01');
  });
});

describe('expiry', () => {
  it('a card past its last day is expired on read, and the sweep records it once', async () => {
    const person = await newPerson(db, { birthDate: '2010-07-07' });
    const { card } = await issueCard('2020-07-07', { idNumber: person.idNumber });
    expect(card.validUntil).toBe('2025-07-07');
    expect((await getIdentity(ctxOn(db, '2025-07-08'), person.idNumber)).idCard.status).toBe('expired');
    expect((await checkCard(ctxOn(db, '2025-07-08'), { idNumber: person.idNumber, validFrom: '2020-07-07' })).valid).toBe(false);
    expect(await expireCards(ctxOn(db, '2025-07-08'))).toBeGreaterThanOrEqual(1);
    expect(await expireCards(ctxOn(db, '2025-07-08'))).toBe(0);
    const stored = await db.selectFrom('id_card').select(['status', 'status_changed_on']).where('id', '=', card.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'expired', status_changed_on: '2025-07-08' });
    const renewal = await apply('2025-07-09', { idNumber: person.idNumber, kind: 'renewal' });
    expect(renewal).toMatchObject({ previousCardId: card.id, ageOnApplication: 15, validityMonths: 60 });
  });

  it('a loss report of a card past its last day, not yet swept, says it expired', async () => {
    const person = await newPerson(db, { birthDate: '2011-10-10' });
    const { card } = await issueCard('2020-10-10', { idNumber: person.idNumber });
    const e = await refusal(reportCardLost(ctxOn(db, '2025-10-11'), { idNumber: person.idNumber, authorityId: LIWAN }));
    expect(e.code).toBe('NO_VALID_CARD');
    expect(e.userMessage).toContain(`latest card ${card.id} is expired`);
    expect(e.details).toMatchObject({ latestCardId: card.id, latestCardStatus: 'expired' });
  });
});

describe('the register changes the person between acceptance and confirmation', () => {
  it('refuses to issue a card to a person who died after applying, writing nothing; the application can still be rejected', async () => {
    const person = await newPerson(db, { birthDate: '1990-11-11' });
    const app = await apply('2024-01-02', { idNumber: person.idNumber });
    await registerDeathOf(db, person.idNumber, '2024-01-03', '2024-01-04');
    const before = await writes(person.idNumber);
    const e = await refusal(confirmApplication(ctxOn(db, '2024-01-05'), { applicationId: app.id }));
    expect(e.code).toBe('PERSON_DECEASED');
    expect(e.userMessage).toMatch(/reject the application/i);
    expect(await writes(person.idNumber)).toEqual(before);
    expect((await rejectApplication(ctxOn(db, '2024-01-05'), { applicationId: app.id, reason: 'the applicant died' })).state).toBe('rejected');
  });

  it('does not hand over a card whose holder died after its confirmation; the hukou place rejects the application, which cancels the card', async () => {
    const person = await newPerson(db, { birthDate: '1990-12-12' });
    const app = await apply('2024-02-01', { idNumber: person.idNumber });
    const { card } = await confirmApplication(ctxOn(db, '2024-02-05'), { applicationId: app.id });
    await registerDeathOf(db, person.idNumber, '2024-02-06', '2024-02-07');
    const before = await writes(person.idNumber);
    const e = await refusal(deliverCard(ctxOn(db, '2024-02-08'), { applicationId: app.id }));
    expect(e.code).toBe('PERSON_DECEASED');
    expect(e.userMessage).toMatch(/reject the application at the hukou place; that cancels the card/i);
    expect(await writes(person.idNumber)).toEqual(before);

    const rejected = await rejectApplication(ctxOn(db, '2024-02-08'), { applicationId: app.id, reason: 'the applicant died before the card was handed over' });
    expect(rejected.state).toBe('rejected');
    const stored = await db.selectFrom('id_card').select(['status', 'status_changed_on', 'delivered_on']).where('id', '=', card.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'cancelled', status_changed_on: '2024-02-08', delivered_on: null });
    const events = await db.selectFrom('id_card_event').select(['kind', 'card_id']).where('application_id', '=', app.id).orderBy('id').execute();
    expect(events.slice(-2)).toEqual([{ kind: 'application_rejected', card_id: card.id }, { kind: 'card_cancelled', card_id: card.id }]);
    expect((await refusal(deliverCard(ctxOn(db, '2024-02-09'), { applicationId: app.id }))).code).toBe('APPLICATION_STATE');
  });

  it('a card carries the name registered on the day of issue, also when it changed after the application', async () => {
    const person = await newPerson(db, { birthDate: '1990-12-14', name: '李小红' });
    const app = await apply('2024-03-01', { idNumber: person.idNumber });
    await changeName(db, person, '李红', '2024-03-02');
    const { card } = await confirmApplication(ctxOn(db, '2024-03-05'), { applicationId: app.id });
    const stored = await db.selectFrom('id_card').select('name').where('id', '=', card.id).executeTakeFirstOrThrow();
    expect(stored.name).toBe('李红');
  });

  it('a confirmed card its holder can still receive is delivered, not rejected', async () => {
    const person = await newPerson(db, { birthDate: '1990-12-13' });
    const app = await apply('2024-02-01', { idNumber: person.idNumber });
    await confirmApplication(ctxOn(db, '2024-02-05'), { applicationId: app.id });
    const before = await writes(person.idNumber);
    expect((await refusal(rejectApplication(ctxOn(db, '2024-02-06'), { applicationId: app.id, reason: 'changed our mind' }))).code).toBe('APPLICATION_STATE');
    expect(await writes(person.idNumber)).toEqual(before);
    expect((await deliverCard(ctxOn(db, '2024-02-06'), { applicationId: app.id })).application.state).toBe('delivered');
  });

  it('refuses a card under a number the person no longer holds (birth date corrected: another validity band); the renewal under the new number gets the new band', async () => {
    const person = await newPerson(db, { birthDate: '1998-06-15' });
    const { card: old } = await issueCard('2015-01-02', { idNumber: person.idNumber });
    expect(old.validUntil).toBe('2025-01-02');
    const damaged = await apply('2024-06-10', { idNumber: person.idNumber, kind: 'renewal', reason: 'damage' });
    expect(damaged).toMatchObject({ ageOnApplication: 25, validityMonths: 120 });

    // Born a fortnight earlier: 26 on 2024-06-01, a new ID number (GB 11643 encodes the birth date).
    const newNumber = await correctBirthDate(db, person.idNumber, '1998-06-01', '2024-06-20');
    const before = await writes(newNumber);
    const e = await refusal(confirmApplication(ctxOn(db, '2024-06-21'), { applicationId: damaged.id }));
    expect(e.code).toBe('ID_NUMBER_CHANGED');
    expect(e.details).toMatchObject({ applicationId: damaged.id, applicationIdNumber: person.idNumber, currentIdNumber: newNumber });
    expect(await writes(newNumber)).toEqual(before);
    await rejectApplication(ctxOn(db, '2024-06-21'), { applicationId: damaged.id, reason: 'ID number changed by a correction of the birth date' });

    // The old card is void (cancelled on read) but still the card to renew, whatever its dates (Art. 11).
    const renewal = await apply('2024-06-22', { idNumber: newNumber, kind: 'renewal' });
    expect(renewal).toMatchObject({ idNumber: newNumber, previousCardId: old.id, ageOnApplication: 26, validityMonths: 240 });
    const { card } = await confirmApplication(ctxOn(db, '2024-06-25'), { applicationId: renewal.id });
    expect(card).toMatchObject({ idNumber: newNumber, status: 'valid', validFrom: '2024-06-25', validUntil: '2044-06-25' });
    expect((await checkCard(ctxOn(db, '2024-06-26'), { idNumber: newNumber, validFrom: '2024-06-25' })).valid).toBe(true);
    expect((await checkCard(ctxOn(db, '2024-06-26'), { idNumber: person.idNumber, validFrom: old.validFrom })).valid).toBe(false);
  });

  it('a person whose number changed is not sent in a circle: first application refused, renewal accepted', async () => {
    const person = await newPerson(db, { birthDate: '1999-03-20' });
    const { card: old } = await issueCard('2016-01-04', { idNumber: person.idNumber });
    const newNumber = await correctBirthDate(db, person.idNumber, '1999-03-02', '2020-02-02');
    expect((await getIdentity(ctxOn(db, '2020-02-03'), newNumber)).idCard.status).toBe('cancelled');
    expect((await refusal(apply('2020-02-03', { idNumber: newNumber }))).code).toBe('FIRST_CARD_ALREADY_ISSUED');
    const renewal = await apply('2020-02-03', { idNumber: newNumber, kind: 'renewal' });
    expect(renewal).toMatchObject({ reason: 'expiry', previousCardId: old.id, idNumber: newNumber });
  });
});

describe('the expiry sweep racing a writer of the same card', () => {
  it('a confirmation waiting for a card the sweep is expiring issues the new card, not a 500', async () => {
    const person = await newPerson(db, { birthDate: '2011-08-08' });
    const { card: old } = await issueCard('2020-08-08', { idNumber: person.idNumber });
    expect(old.validUntil).toBe('2025-08-08');
    const renewal = await apply('2025-08-01', { idNumber: person.idNumber, kind: 'renewal' });

    // The sweep of 2025-08-09 holds the old card, expiring it, while the hukou place confirms.
    const sweep = await holdOpen(db, (trx) => trx.updateTable('id_card').set({ status: 'expired', status_changed_on: '2025-08-09' }).where('id', '=', old.id).execute());
    const confirming = confirmApplication(ctxOn(db, '2025-08-09'), { applicationId: renewal.id });
    confirming.catch(() => undefined);
    await waitForLockWaiters(db, 1);
    await sweep.release();
    const { card } = await confirming;
    expect(card).toMatchObject({ status: 'valid', validFrom: '2025-08-09' });
    const cards = await db.selectFrom('id_card').select(['id', 'status']).where('application_id', 'in', [renewal.id, old.applicationId]).execute();
    expect(Object.fromEntries(cards.map((c) => [c.id, c.status]))).toEqual({ [card.id]: 'valid', [old.id]: 'expired' });
  });

  it('a loss report of the last valid day waiting for the sweep of the next day answers NO_VALID_CARD, not a 500', async () => {
    const person = await newPerson(db, { birthDate: '2011-09-09' });
    const { card } = await issueCard('2020-09-09', { idNumber: person.idNumber });
    expect(card.validUntil).toBe('2025-09-09');
    const sweep = await holdOpen(db, (trx) => trx.updateTable('id_card').set({ status: 'expired', status_changed_on: '2025-09-10' }).where('id', '=', card.id).execute());
    const reporting = refusal(reportCardLost(ctxOn(db, '2025-09-09'), { idNumber: person.idNumber, authorityId: LIWAN }));
    await waitForLockWaiters(db, 1);
    await sweep.release();
    expect((await reporting).code).toBe('NO_VALID_CARD');
  });
});
