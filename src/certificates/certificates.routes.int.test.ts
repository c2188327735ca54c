import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { insertPersonWithHukou, movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { maskIdNumber } from '../access/index.ts';
import { issueCertificate, verifyOffline, type CertificateView } from './index.ts';

/**
 * Over HTTP: a citizen living elsewhere with hukou in Sichuan (Chengdu, Jinjiang) holds a household
 * certificate; who may read it, its PDF, revocation, and public verification without login, online
 * and offline with the published trust list and status list.
 */
const clock = movableClock('2026-03-02T04:00:00Z');
const t = useTestApp({ clock });
let subject: { personId: number; idNumber: string };
let citizen: TestAccount;
let otherCitizen: TestAccount;
let officerInArea: TestAccount;
let officerElsewhere: TestAccount;
let counterInArea: TestAccount;
let cert: CertificateView;

beforeAll(async () => {
  const db = t.tdb.db;
  subject = await insertPersonWithHukou(db, { townshipCode: '510104017', name: '张晓明' });
  const other = await insertPersonWithHukou(db, { townshipCode: '510104018', name: '李秀英' });
  citizen = await sessionAs(t.app, db, clock, { role: 'citizen', personIdNumber: subject.idNumber });
  otherCitizen = await sessionAs(t.app, db, clock, { role: 'citizen', personIdNumber: other.idNumber });
  officerInArea = await sessionAs(t.app, db, clock, { role: 'registration_officer', authorityId: 'county-510104' });
  officerElsewhere = await sessionAs(t.app, db, clock, { role: 'registration_officer', authorityId: 'county-440305' });
  counterInArea = await sessionAs(t.app, db, clock, { role: 'counter_officer', authorityId: 'county-510104' });
  cert = await db.transaction().execute((trx) =>
    issueCertificate(
      { db: trx, clock, actor: { id: 'system:applications', role: 'system', authorityId: 'mps' } },
      {
        kind: 'hukou_registration',
        subjectIdNumber: subject.idNumber,
        applicationId: 'HKAPP-0001',
        issuingAuthorityId: 'station-510104017',
        facts: { name: '张晓明', idNumber: maskIdNumber(subject.idNumber), householdNumber: '510104000001', hukouAddress: '四川省成都市锦江区测试路1号' },
      },
    ),
  );
});

describe('reading a certificate', () => {
  it('the subject and officers in area read it; others get 404; reads are access-logged', async () => {
    const url = `/api/v1/certificates/${cert.number}`;
    const own = await t.app.inject({ url, headers: citizen.headers });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ number: cert.number, status: 'valid', qrText: cert.qrText });
    expect((await t.app.inject({ url, headers: otherCitizen.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url, headers: officerElsewhere.headers })).json().error.code).toBe('CERTIFICATE_NOT_FOUND');
    const officer = await t.app.inject({ url: `/api/v1/certificates/${cert.number.toLowerCase()}`, headers: officerInArea.headers });
    expect(officer.statusCode).toBe(200);
    const entry = await t.tdb.db.selectFrom('access_log').select(['actor_id', 'action', 'subject_ref', 'person_ids']).where('actor_id', '=', officerInArea.actorId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(entry.action).toBe('certificate.read');
    expect(entry.person_ids.map(Number)).toEqual([subject.personId]);
  });

  it('a mistyped or malformed number is refused as such', async () => {
    const last = cert.number.at(-1) === '0' ? '1' : '0';
    const typo = await t.app.inject({ url: `/api/v1/certificates/${cert.number.slice(0, -1)}${last}`, headers: officerInArea.headers });
    expect([typo.statusCode, typo.json().error.code]).toEqual([400, 'CERTIFICATE_NUMBER_MISTYPED']);
    const bad = await t.app.inject({ url: '/api/v1/certificates/ZM12', headers: officerInArea.headers });
    expect(bad.json().error.code).toBe('CERTIFICATE_NUMBER_MALFORMED');
  });

  it('the PDF is application/pdf, parses, and is access-logged', async () => {
    const res = await t.app.inject({ url: `/api/v1/certificates/${cert.number}/pdf`, headers: officerInArea.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const doc = await PDFDocument.load(res.rawPayload);
    expect(doc.getTitle()).toContain(cert.number);
    const entry = await t.tdb.db.selectFrom('access_log').select(['action', 'fields', 'person_ids']).where('actor_id', '=', officerInArea.actorId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'certificate.pdf', fields: ['certificate.pdf'] });
    expect(entry.person_ids.map(Number)).toEqual([subject.personId]);
    expect((await t.app.inject({ url: `/api/v1/certificates/${cert.number}/pdf`, headers: officerElsewhere.headers })).statusCode).toBe(404);
  });
});

describe('public verification and revocation', () => {
  it('anyone verifies without login, online and offline; revocation shows at once online and in the status list', async () => {
    const online = await t.app.inject({ url: `/api/v1/public/certificates/verify?code=${encodeURIComponent(cert.qrText)}` });
    expect(online.statusCode).toBe(200);
    expect(online.json()).toMatchObject({ status: 'genuine', certificate: { number: cert.number, facts: { name: '张晓明' } } });
    expect(online.json().certificate.facts.idNumber).toContain('*');
    const byNumber = await t.app.inject({ method: 'POST', url: '/api/v1/public/certificates/verify', payload: { code: cert.number } });
    expect(byNumber.json().status).toBe('genuine');

    const trustList = (await t.app.inject({ url: '/api/v1/public/certificates/trust-list' })).json();
    expect(trustList.keys[0]).toMatchObject({ alg: 'SM2-SM3', curve: 'sm2p256v1', userId: '1234567812345678' });
    expect(trustList.keys[0].publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const statusBefore = (await t.app.inject({ url: '/api/v1/public/certificates/status-list' })).json();
    const now = new Date('2026-03-02T05:00:00Z');
    expect(verifyOffline(cert.qrText, trustList, statusBefore, { now }).status).toBe('genuine');

    const page = await t.app.inject({ url: `/verify?c=${encodeURIComponent(cert.qrText)}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('真实有效');
    expect(page.body).toContain('Genuine');

    expect((await t.app.inject({ method: 'POST', url: `/api/v1/certificates/${cert.number}/revoke`, headers: counterInArea.headers, payload: { reason: '迁出' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/certificates/${cert.number}/revoke`, headers: officerElsewhere.headers, payload: { reason: '迁出' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/certificates/${cert.number}/revoke`, headers: officerInArea.headers, payload: { reason: ' ' } })).json().error.code).toBe('VALIDATION_FAILED');
    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/certificates/${cert.number}/revoke`, headers: officerInArea.headers, payload: { reason: '户口已迁出' } });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revocationReason: '户口已迁出' });
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/certificates/${cert.number}/revoke`, headers: officerInArea.headers, payload: { reason: '户口已迁出' } });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'CERTIFICATE_ALREADY_REVOKED']);

    const after = await t.app.inject({ url: `/api/v1/public/certificates/verify?code=${encodeURIComponent(cert.qrText)}` });
    expect(after.json()).toMatchObject({ status: 'revoked', certificate: { facts: null } });
    const statusAfter = (await t.app.inject({ url: '/api/v1/public/certificates/status-list' })).json();
    expect(verifyOffline(cert.qrText, trustList, statusAfter, { now }).status).toBe('revoked');
    expect((await t.app.inject({ url: `/verify?c=${cert.number}` })).body).toContain('已撤销');
  });

  it('garbage is answered, never with a 5xx and never "genuine"', async () => {
    for (const code of ['x', 'HKC1:', 'HKC1:%%%%', `HKC1:${'A'.repeat(3000)}`, 'ZM00000000000000000', '<script>']) {
      const res = await t.app.inject({ url: `/api/v1/public/certificates/verify?code=${encodeURIComponent(code)}` });
      expect(res.statusCode, code).toBe(200);
      expect(res.json().status).not.toBe('genuine');
    }
    const page = await t.app.inject({ url: `/verify?c=${encodeURIComponent('<script>alert(1)</script>')}` });
    expect(page.body).not.toContain('<script>alert');
    expect((await t.app.inject({ url: '/verify' })).statusCode).toBe(200);
  });
});
