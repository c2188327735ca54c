import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { applyForCard, confirmApplication, deliverCard, reportCardLost } from '../idcards/index.ts';
import { ctxOn, newPerson, station, type TestPerson } from '../../test/persons.ts';
import { AppError } from '../platform/errors.ts';
import type { ServiceContext } from '../platform/context.ts';
import { getPerson } from '../registry/index.ts';
import { registerResidence } from '../residence/index.ts';
import type { IssueCertificateInput } from './certificate-issuer.ts';
import { newTrackingNumber } from './tracking-number.ts';

/**
 * Applications end to end over HTTP. The certificate issuer is the one seam: the real one
 * (src/certificates) is wired by the composition root; here a test issuer writes the certificate it
 * is asked for into a table of this test database, through the transaction it is handed, so the
 * tests see whether it committed with the approval (and rolled back with it).
 */
const TODAY = '2026-02-12'; // a Thursday; Spring Festival 2026 is Feb 15–23, Saturdays Feb 14 and 28 are worked
const clock = movableClock(`${TODAY}T02:00:00Z`);
let failIssuer = false;
async function testIssuer(ctx: ServiceContext, input: IssueCertificateInput): Promise<{ certificateNumber: string }> {
  const certificateNumber = `TEST-${newTrackingNumber()}`;
  await sql`insert into test_certificate (certificate_number, kind, subject_id_number, application_id, issuing_authority_id, facts)
    values (${certificateNumber}, ${input.kind}, ${input.subjectIdNumber}, ${input.applicationId}, ${input.issuingAuthorityId}, ${JSON.stringify(input.facts)}::jsonb)`.execute(ctx.db);
  if (failIssuer) throw new AppError('CERTIFICATE_ISSUER_UNAVAILABLE', 'test: the issuer fails after writing');
  return { certificateNumber };
}
const t = useTestApp({ clock, certificateIssuer: testIssuer });

const SICHUAN = '510104017'; // 四川省成都市锦江区锦官驿街道
const SHENZHEN = '440305001'; // 广东省深圳市南山区南头街道
const HENAN = '410102001'; // 河南省郑州市中原区林山寨街道
const ZHEJIANG = '330106002'; // 浙江省杭州市西湖区北山街道
const BEIJING = '110105001';
const GUANGZHOU = '440103001';

async function ok<T = Record<string, any>>(res: LightMyRequestResponse, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}
function code(res: LightMyRequestResponse): string {
  return (res.json() as { error: { code: string } }).error.code;
}
function call(who: TestAccount, method: 'GET' | 'POST', url: string, payload?: unknown, purpose?: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url: `/api/v1${url}`, headers: { ...who.headers, ...(purpose ? { 'x-purpose': purpose } : {}) }, ...(payload === undefined ? {} : { payload: payload as object }) });
}
async function countRows(table: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(t.tdb.db);
  return rows[0]!.n;
}

let sichuanOfficer: TestAccount;
let sichuanOfficer2: TestAccount;
let shenzhenCounter: TestAccount;
let bank: TestAccount;

beforeAll(async () => {
  await sql`create table test_certificate (certificate_number text primary key, kind text not null, subject_id_number text not null,
    application_id uuid, issuing_authority_id text not null, facts jsonb not null)`.execute(t.tdb.db);
  sichuanOfficer = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-510104' });
  sichuanOfficer2 = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-510104' });
  shenzhenCounter = await sessionAs(t.app, t.tdb.db, clock, { role: 'counter_officer', authorityId: 'county-440305' });
  bank = await sessionAs(t.app, t.tdb.db, clock, { role: 'department_client' });
});

describe('the service catalog', () => {
  it('is open to any account, each service with materials and their source, authority, deadline, fee, legal basis', async () => {
    const list = await ok(await call(bank, 'GET', '/services'));
    expect(list.version).toMatchObject({ effectiveFrom: '2024-05-01' });
    const cert = await ok(await call(bank, 'GET', '/services/household_certificate_registration'));
    expect(cert).toMatchObject({ competentAuthority: 'hukou_place', deadlineWorkingDays: 3, feeYuan: 0, fullyOnline: true, effect: 'certificate' });
    expect(cert.materials.map((m: { source: string }) => m.source)).toEqual(['register', 'register']);
    expect(code(await call(bank, 'GET', '/services/no_such_service'))).toBe('SERVICE_NOT_FOUND');
  });
});

describe('a citizen living in Guangdong with hukou in Sichuan obtains a household certificate online', () => {
  let person: TestPerson;
  let citizen: TestAccount;
  let tn: string;

  beforeAll(async () => {
    person = await newPerson(t.tdb.db, { birthDate: '1992-05-05', township: SICHUAN, name: '李四川' });
    await registerResidence(ctxOn(t.tdb.db, '2025-03-01'), { idNumber: person.idNumber, authorityId: station(SHENZHEN), address: '南山大道1号' });
    citizen = await sessionAs(t.app, t.tdb.db, clock, { role: 'citizen', personIdNumber: person.idNumber });
  });

  it('gets the form prefilled from the register and residence; the register holds every material', async () => {
    const form = await ok(await call(citizen, 'GET', `/services/household_certificate_registration/form?idNumber=${person.idNumber}`));
    expect(form.available).toEqual({ ok: true, reason: null, message: null });
    expect(form.prefilled).toMatchObject({ idNumber: person.idNumber, name: '李四川', householdNumber: person.householdNumber, hukouAuthorityId: station(SICHUAN), residenceAuthorityId: station(SHENZHEN) });
    expect(form.toUpload).toEqual([]);
    expect(form.materials.every((m: { fetchedByReference: boolean }) => m.fetchedByReference)).toBe(true);
  });

  it('applies online; the same submission again returns the same application', async () => {
    const body = { serviceCode: 'household_certificate_registration', subjectIdNumber: person.idNumber, idempotencyKey: 'cert-1' };
    const first = await ok(await call(citizen, 'POST', '/applications', body), 201);
    expect(first).toMatchObject({ state: 'submitted', channel: 'online', acceptingAuthorityId: null, competentAuthorityId: station(SICHUAN), scope: 'interprovincial' });
    tn = first.trackingNumber;
    const again = await ok(await call(citizen, 'POST', '/applications', body), 201);
    expect(again.trackingNumber).toBe(tn);
    expect(await countRows('application', sql`subject_id_number = ${person.idNumber}`)).toBe(1);
  });

  it('refuses a mistyped tracking number as such, and an unknown one as not found', async () => {
    const typo = tn.slice(0, 3) + (tn[3] === 'A' ? 'B' : 'A') + tn.slice(4);
    expect(code(await call(citizen, 'GET', `/applications/${typo}`))).toBe('INVALID_TRACKING_NUMBER');
    expect(code(await call(citizen, 'GET', '/applications/not-a-number'))).toBe('INVALID_TRACKING_NUMBER');
    expect(code(await call(citizen, 'GET', `/applications/${newTrackingNumber()}`))).toBe('APPLICATION_NOT_FOUND');
  });

  it('reaches the competent authority from the whole country; the residence-place counter cannot decide it', async () => {
    const queue = await ok(await call(sichuanOfficer, 'GET', '/applications?queue=competent'));
    expect(queue.applications.map((a: { trackingNumber: string }) => a.trackingNumber)).toContain(tn);
    expect(code(await call(shenzhenCounter, 'POST', `/applications/${tn}/accept`))).toBe('APPLICATION_NOT_FOUND');
  });

  it('is accepted, with a deadline counted in working days over Spring Festival (make-up Saturday included)', async () => {
    expect(code(await call(sichuanOfficer, 'POST', `/applications/${tn}/approve`))).toBe('APPLICATION_NOT_IN_REVIEW');
    const accepted = await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/accept`));
    // Feb 13 (Fri), Feb 14 (Sat, 调休 working day), then the holiday to Feb 23: Feb 24
    expect(accepted).toMatchObject({ state: 'accepted', deadline: '2026-02-24', deadlineProvisional: false, overdue: false });
  });

  it('rolls the approval back when the issuer fails: no certificate, still in review', async () => {
    await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/review`));
    failIssuer = true;
    try {
      expect(code(await call(sichuanOfficer, 'POST', `/applications/${tn}/approve`))).toBe('CERTIFICATE_ISSUER_UNAVAILABLE');
    } finally {
      failIssuer = false;
    }
    expect(await countRows('test_certificate', sql`subject_id_number = ${person.idNumber}`)).toBe(0);
    const detail = await ok(await call(citizen, 'GET', `/applications/${tn}`));
    expect(detail.application.state).toBe('in_review');
  });

  it('is approved at the competent authority: the certificate is issued in the same transaction, with the minimum facts', async () => {
    const approved = await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/approve`));
    expect(approved.state).toBe('approved');
    const number = approved.outcome.certificateNumber as string;
    const { rows } = await sql<{ kind: string; application_id: string; issuing_authority_id: string; facts: any }>`
      select kind, application_id, issuing_authority_id, facts from test_certificate where certificate_number = ${number}`.execute(t.tdb.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'hukou_registration', issuing_authority_id: station(SICHUAN) });
    expect(rows[0]!.facts).toMatchObject({ person: { idNumber: person.idNumber, name: '李四川' }, household: { householdNumber: person.householdNumber } });
    expect(code(await call(sichuanOfficer2, 'POST', `/applications/${tn}/reject`, { reason: 'second thoughts' }))).toBe('APPLICATION_ALREADY_DECIDED');
    expect(code(await call(citizen, 'POST', `/applications/${tn}/withdraw`))).toBe('APPLICATION_TRANSITION');
  });

  it('completes; the citizen tracks it with its whole trail, and was notified of every transition', async () => {
    await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/complete`));
    expect(code(await call(sichuanOfficer, 'POST', `/applications/${tn}/complete`))).toBe('APPLICATION_CLOSED');
    const detail = await ok(await call(citizen, 'GET', `/applications/${tn}`));
    expect(detail.events.map((e: { toState: string }) => e.toState)).toEqual(['draft', 'submitted', 'accepted', 'in_review', 'approved', 'completed']);
    expect(detail.events.slice(2).every((e: { authorityId: string }) => e.authorityId === 'county-510104')).toBe(true);
    const mine = await ok(await call(citizen, 'GET', '/me/applications'));
    expect(mine.applications.map((a: { trackingNumber: string; state: string }) => [a.trackingNumber, a.state])).toEqual([[tn, 'completed']]);
    const personId = (await t.tdb.db.selectFrom('person').select('id').where('id_number', '=', person.idNumber).executeTakeFirstOrThrow()).id;
    expect(await countRows('notification', sql`person_id = ${personId} and kind = 'application_transition'`)).toBe(6);
  });
});

describe('concurrent decisions', () => {
  it('exactly one of an approval and a rejection at the same time wins', async () => {
    const person = await newPerson(t.tdb.db, { birthDate: '1990-09-09', township: SICHUAN });
    const officerApplies = await ok(
      await call(sichuanOfficer, 'POST', '/applications', { serviceCode: 'household_certificate_family_relationship', subjectIdNumber: person.idNumber, acceptingAuthorityId: station(SICHUAN) }),
      201,
    );
    const tn = officerApplies.trackingNumber as string;
    expect(officerApplies.scope).toBe('local');
    await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/accept`));
    await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/review`));
    const [a, b] = await Promise.all([
      call(sichuanOfficer, 'POST', `/applications/${tn}/approve`),
      call(sichuanOfficer2, 'POST', `/applications/${tn}/reject`, { reason: 'household booklet does not match' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(code(loser)).toBe('APPLICATION_ALREADY_DECIDED');
    const decisions = await countRows('application_event', sql`to_state in ('approved', 'rejected') and application_id = (select id from application where tracking_number = ${tn})`);
    expect(decisions).toBe(1);
    const certificates = await countRows('test_certificate', sql`subject_id_number = ${person.idNumber}`);
    expect(certificates).toBe(a.statusCode === 200 ? 1 : 0);
  });
});

describe('a hukou transfer from Henan to Zhejiang through the catalog', () => {
  it('is applied for and approved at the destination; both authorities are in the trail', async () => {
    const mover = await newPerson(t.tdb.db, { birthDate: '1994-03-03', township: HENAN });
    const spouse = await newPerson(t.tdb.db, { birthDate: '1993-04-04', township: ZHEJIANG });
    const destination = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-330106' });
    const applied = await ok(
      await call(destination, 'POST', '/applications', {
        serviceCode: 'hukou_transfer_interprovincial',
        subjectIdNumber: mover.idNumber,
        acceptingAuthorityId: station(ZHEJIANG),
        facts: { destinationHouseholdNumber: spouse.householdNumber, relationship: '10', category: 'spouse' },
        idempotencyKey: 'transfer-1',
      }),
      201,
    );
    expect(applied).toMatchObject({ state: 'delegated', flow: 'transfer', flowState: 'applied', competentAuthorityId: station(ZHEJIANG), scope: 'interprovincial' });
    const again = await ok(
      await call(destination, 'POST', '/applications', {
        serviceCode: 'hukou_transfer_interprovincial',
        subjectIdNumber: mover.idNumber,
        acceptingAuthorityId: station(ZHEJIANG),
        facts: { destinationHouseholdNumber: spouse.householdNumber, relationship: '10', category: 'spouse' },
        idempotencyKey: 'transfer-1',
      }),
      201,
    );
    expect(again.trackingNumber).toBe(applied.trackingNumber);
    // a generic step on it is refused: the transfer runs its own saga
    expect(code(await call(destination, 'POST', `/applications/${applied.trackingNumber}/accept`))).toBe('APPLICATION_DELEGATED');

    await ok(await call(destination, 'POST', `/transfers/${applied.flowRef}/approve`, {}, `application:${applied.flowRef}`));
    const tracked = await ok(await call(destination, 'GET', `/applications/${applied.trackingNumber}`));
    expect(tracked.application.flowState).toBe('destination_moved_in');
    const transfer = await ok(await call(destination, 'GET', `/transfers/${applied.flowRef}`, undefined, `application:${applied.flowRef}`));
    const steps = transfer.events.map((e: { data: { step: string }; authorityId: string }) => [e.data.step, e.authorityId]);
    for (const step of ['applied', 'destination_approved', 'destination_moved_in']) expect(steps).toContainEqual([step, station(ZHEJIANG)]);
    expect(steps).toContainEqual(['origin_moved_out', station(HENAN)]);
    const view = await getPerson(ctxOn(t.tdb.db, TODAY), mover.idNumber);
    expect(view.household?.householdNumber).toBe(spouse.householdNumber);
  });
});

describe('a lost card reissued at the residence place through the catalog', () => {
  it('links the ID card flow under a tracking number; the hukou place confirms it', async () => {
    const db = t.tdb.db;
    const person = await newPerson(db, { birthDate: '1988-08-08', township: GUANGZHOU });
    await registerResidence(ctxOn(db, '2025-01-01'), { idNumber: person.idNumber, authorityId: station(BEIJING), address: '光华路2号' });
    const first = await applyForCard(ctxOn(db, '2025-06-01'), { idNumber: person.idNumber, kind: 'first', authorityId: station(GUANGZHOU) });
    await confirmApplication(ctxOn(db, '2025-06-10'), { applicationId: first.id });
    await deliverCard(ctxOn(db, '2025-06-20'), { applicationId: first.id });
    await reportCardLost(ctxOn(db, '2026-02-01'), { idNumber: person.idNumber, authorityId: station(BEIJING) });

    const beijingCounter = await sessionAs(t.app, db, clock, { role: 'counter_officer', authorityId: 'county-110105' });
    const guangzhouOfficer = await sessionAs(t.app, db, clock, { role: 'registration_officer', authorityId: 'county-440103' });
    expect(
      code(await call(beijingCounter, 'POST', '/applications', { serviceCode: 'id_card_first', subjectIdNumber: person.idNumber, acceptingAuthorityId: station(BEIJING) })),
    ).toBe('SERVICE_NOT_AVAILABLE');
    const applied = await ok(
      await call(beijingCounter, 'POST', '/applications', { serviceCode: 'id_card_reissue', subjectIdNumber: person.idNumber, acceptingAuthorityId: station(BEIJING) }),
      201,
    );
    expect(applied).toMatchObject({ flow: 'idcard', flowState: 'accepted', acceptingAuthorityId: station(BEIJING), competentAuthorityId: station(GUANGZHOU), scope: 'interprovincial' });
    const queue = await ok(await call(guangzhouOfficer, 'GET', '/applications?queue=competent'));
    expect(queue.applications.map((a: { trackingNumber: string }) => a.trackingNumber)).toContain(applied.trackingNumber);
    await ok(await call(guangzhouOfficer, 'POST', `/id-card-applications/${applied.flowRef}/confirm`));
    const tracked = await ok(await call(beijingCounter, 'GET', `/applications/${applied.trackingNumber}`));
    expect(tracked.application.flowState).toBe('confirmed');
  });
});

describe('one list over every flow (read-side union)', () => {
  it('shows an ID card application made directly in its flow in my applications and in the hukou place queue', async () => {
    const db = t.tdb.db;
    const person = await newPerson(db, { birthDate: '2010-01-01', township: GUANGZHOU, registeredOn: '2010-01-01' });
    const card = await applyForCard(ctxOn(db, TODAY), { idNumber: person.idNumber, kind: 'first', authorityId: station(BEIJING) });
    const citizen = await sessionAs(t.app, db, clock, { role: 'citizen', personIdNumber: person.idNumber });
    const mine = await ok(await call(citizen, 'GET', '/me/applications'));
    expect(mine.applications).toContainEqual(
      expect.objectContaining({ trackingNumber: null, serviceCode: 'id_card_first', flow: 'idcard', flowRef: card.id, flowState: 'accepted', competentAuthorityId: station(GUANGZHOU), scope: 'interprovincial' }),
    );
    const guangzhouOfficer = await sessionAs(t.app, db, clock, { role: 'registration_officer', authorityId: 'county-440103' });
    const queue = await ok(await call(guangzhouOfficer, 'GET', '/applications?queue=competent'));
    expect(queue.applications.map((a: { flowRef: string }) => a.flowRef)).toContain(card.id);
    const sichuanQueue = await ok(await call(sichuanOfficer, 'GET', '/applications?queue=competent'));
    expect(sichuanQueue.applications.map((a: { flowRef: string }) => a.flowRef)).not.toContain(card.id);
  });
});

describe('materials and a correction of the register', () => {
  it('refuses missing, mistyped and oversize materials without storing anything; the approval corrects the register', async () => {
    const db = t.tdb.db;
    const person = await newPerson(db, { birthDate: '1985-01-01', township: SICHUAN, name: '王错字' });
    const base = { serviceCode: 'register_correction', subjectIdNumber: person.idNumber, acceptingAuthorityId: station(SICHUAN), facts: { changes: { name: '王正字' }, reason: 'misspelt at registration' } };
    expect(code(await call(sichuanOfficer, 'POST', '/applications', base))).toBe('MATERIALS_MISSING');
    const draft = await ok(await call(sichuanOfficer, 'POST', '/applications', { ...base, submit: false }), 201);
    const tn = draft.trackingNumber as string;
    expect(code(await call(sichuanOfficer, 'POST', `/applications/${tn}/submit`))).toBe('MATERIALS_MISSING');

    const upload = (materialCode: string, bytes: Buffer) => call(sichuanOfficer, 'POST', `/applications/${tn}/materials`, { materialCode, contentBase64: bytes.toString('base64') });
    const textFile = Buffer.from('just text, named proof.pdf');
    expect(code(await upload('correction_proof', textFile))).toBe('MATERIAL_TYPE_NOT_ALLOWED');
    const oversize = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5 * 1024 * 1024)]);
    const big = await upload('correction_proof', oversize);
    expect(big.statusCode).toBe(413);
    expect(code(big)).toBe('MATERIAL_TOO_LARGE');
    expect(code(await upload('id_card', Buffer.from('%PDF-1.4 x')))).toBe('MATERIAL_NOT_REQUIRED');
    expect(await countRows('application_material')).toBe(0);

    const pdf = Buffer.from('%PDF-1.4\n% a proof\n');
    const stored = await ok(await upload('correction_proof', pdf), 201);
    expect(stored).toMatchObject({ mediaType: 'application/pdf', sizeBytes: pdf.length });
    expect(stored.sha256).toBe((await import('node:crypto')).createHash('sha256').update(pdf).digest('hex'));

    const outsider = await sessionAs(t.app, db, clock, { role: 'counter_officer', authorityId: 'county-110105' });
    expect(code(await call(outsider, 'GET', `/applications/${tn}/materials/${stored.id}`))).toBe('APPLICATION_NOT_FOUND');
    const read = await ok(await call(sichuanOfficer, 'GET', `/applications/${tn}/materials/${stored.id}`));
    expect(Buffer.from(read.contentBase64, 'base64').equals(pdf)).toBe(true);
    expect(await countRows('access_log', sql`action = 'application.material.read'`)).toBeGreaterThanOrEqual(1);

    await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/submit`));
    await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/accept`));
    await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/review`));
    const approved = await ok(await call(sichuanOfficer, 'POST', `/applications/${tn}/approve`));
    expect(approved.outcome).toMatchObject({ effect: 'correction', status: 'done' });
    expect((await getPerson(ctxOn(db, TODAY), person.idNumber)).person.name).toBe('王正字');
  });

  it('lets the applicant withdraw before a decision; nothing happens after', async () => {
    const person = await newPerson(t.tdb.db, { birthDate: '1991-01-01', township: SICHUAN });
    const a = await ok(await call(sichuanOfficer, 'POST', '/applications', { serviceCode: 'household_certificate_registration', subjectIdNumber: person.idNumber, acceptingAuthorityId: station(SICHUAN) }), 201);
    expect(code(await call(sichuanOfficer2, 'POST', `/applications/${a.trackingNumber}/withdraw`))).toBe('FORBIDDEN');
    await ok(await call(sichuanOfficer, 'POST', `/applications/${a.trackingNumber}/withdraw`));
    expect(code(await call(sichuanOfficer, 'POST', `/applications/${a.trackingNumber}/accept`))).toBe('APPLICATION_CLOSED');
  });
});

describe('deadlines and the statistics', () => {
  it('flags overdue applications first in the queue and counts them', async () => {
    const person = await newPerson(t.tdb.db, { birthDate: '1980-02-02', township: SICHUAN });
    const a = await ok(await call(sichuanOfficer, 'POST', '/applications', { serviceCode: 'household_certificate_registration', subjectIdNumber: person.idNumber, acceptingAuthorityId: station(SICHUAN) }), 201);
    await ok(await call(sichuanOfficer, 'POST', `/applications/${a.trackingNumber}/accept`));
    clock.set('2026-03-02T02:00:00Z');
    try {
      const later = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-510104' });
      const queue = await ok(await call(later, 'GET', '/applications?queue=competent'));
      expect(queue.applications[0]).toMatchObject({ trackingNumber: a.trackingNumber, overdue: true });
      const supervisor = await sessionAs(t.app, t.tdb.db, clock, { role: 'supervisor', authorityId: 'county-510104' });
      const stats = await ok(await call(supervisor, 'GET', '/applications/statistics'));
      expect(stats.overdue).toBeGreaterThanOrEqual(1);
      expect(stats.rows).toContainEqual(expect.objectContaining({ serviceCode: 'household_certificate_registration', scope: 'interprovincial', state: 'completed', count: 1 }));
    } finally {
      clock.set(`${TODAY}T02:00:00Z`);
    }
  });
});
