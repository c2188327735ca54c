import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { applyForCard } from './apply.service.ts';
import { confirmApplication, deliverCard } from './decide.service.ts';
import { ctxOn, newPerson, PLACE, station, type TestPerson } from '../../test/persons.ts';

// The routes the web portal and workbench added (issue #16): my identity, my online loss report, the work queues.
const TODAY = '2026-11-26';
const clock = movableClock(`${TODAY}T04:00:00Z`);
const t = useTestApp({ clock });
const BEIJING = station(PLACE.beijingChaoyang);
let person: TestPerson;
let citizen: TestAccount;
let beijingCounter: TestAccount;
let liwanRegistrar: TestAccount;
let shenzhenCounter: TestAccount;

beforeAll(async () => {
  const db = t.tdb.db;
  person = await newPerson(db, { birthDate: '1990-03-03' });
  citizen = await sessionAs(t.app, db, clock, { role: 'citizen', personIdNumber: person.idNumber });
  beijingCounter = await sessionAs(t.app, db, clock, { role: 'counter_officer', authorityId: 'county-110105' });
  liwanRegistrar = await sessionAs(t.app, db, clock, { role: 'registration_officer', authorityId: 'county-440103' });
  shenzhenCounter = await sessionAs(t.app, db, clock, { role: 'counter_officer', authorityId: 'county-440305' });
});

async function call(who: TestAccount, method: 'GET' | 'POST', url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, ...(body === undefined ? {} : { payload: body as object }) });
}

const code = (res: LightMyRequestResponse) => (res.json() as { error: { code: string } }).error.code;

describe('the citizen portal: my identity and my loss report', () => {
  it('shows no card before one is issued, and refuses a loss report with NO_VALID_CARD', async () => {
    const res = await call(citizen, 'GET', '/me/identity');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ person: { idNumber: person.idNumber }, idCard: { status: 'none', current: null } });
    const refused = await call(citizen, 'POST', '/me/id-card/loss-report', {});
    expect(refused.statusCode).toBe(409);
    expect(code(refused)).toBe('NO_VALID_CARD');
  });

  it('reports the delivered card lost at the hukou place; a retry with the same key answers the same; the identity shows it', async () => {
    const db = t.tdb.db;
    const app = await applyForCard(ctxOn(db, TODAY), { idNumber: person.idNumber, kind: 'first', authorityId: BEIJING });
    await confirmApplication(ctxOn(db, TODAY), { applicationId: app.id });
    await deliverCard(ctxOn(db, TODAY), { applicationId: app.id });
    const first = await call(citizen, 'POST', '/me/id-card/loss-report', { idempotencyKey: 'portal-loss-1' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ card: { status: 'reported_lost' }, reportedOn: TODAY });
    const retry = await call(citizen, 'POST', '/me/id-card/loss-report', { idempotencyKey: 'portal-loss-1' });
    expect(retry.json()).toEqual(first.json());
    const identity = (await call(citizen, 'GET', '/me/identity')).json();
    expect(identity.idCard.status).toBe('reported_lost');
    expect(identity.idCard.events[0]).toMatchObject({ kind: 'loss_reported', acceptingAuthorityId: station(PLACE.guangzhouLiwan) });
  });

  it('is for citizens only', async () => {
    expect(code(await call(beijingCounter, 'GET', '/me/identity'))).toBe('FORBIDDEN');
    expect(code(await call(beijingCounter, 'POST', '/me/id-card/loss-report', {}))).toBe('FORBIDDEN');
  });
});

describe('the workbench queues', () => {
  it('lists the reissue to confirm at the hukou place and, once confirmed, to deliver at the accepting one; not elsewhere', async () => {
    const accepted = await call(beijingCounter, 'POST', '/id-card-applications', { idNumber: person.idNumber, kind: 'reissue', acceptingAuthorityId: BEIJING });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const id = accepted.json().id as string;
    const ids = async (who: TestAccount, queue: string) => ((await call(who, 'GET', `/id-card-applications?queue=${queue}`)).json().applications as { id: string }[]).map((a) => a.id);
    expect(await ids(liwanRegistrar, 'confirm')).toContain(id);
    expect(await ids(beijingCounter, 'confirm')).not.toContain(id);
    expect(await ids(shenzhenCounter, 'confirm')).not.toContain(id);
    expect((await call(liwanRegistrar, 'POST', `/id-card-applications/${id}/confirm`, {})).statusCode).toBe(200);
    expect(await ids(liwanRegistrar, 'confirm')).not.toContain(id);
    expect(await ids(beijingCounter, 'deliver')).toContain(id);
    expect(await ids(liwanRegistrar, 'deliver')).not.toContain(id);
  });

  it('refuses an unknown queue with VALIDATION_FAILED and citizens with FORBIDDEN', async () => {
    expect(code(await call(beijingCounter, 'GET', '/id-card-applications?queue=everything'))).toBe('VALIDATION_FAILED');
    expect(code(await call(citizen, 'GET', '/id-card-applications?queue=confirm'))).toBe('FORBIDDEN');
  });
});
