import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { insertPersonWithHukou } from '../../test/access-fixtures.ts';
import { maskIdNumber, type Actor } from '../access/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { base45Decode, base45Encode } from './base45.ts';
import { canonicalJson } from './canonical-json.ts';
import {
  currentStatusList,
  currentTrustList,
  getCertificate,
  issueCertificate,
  renderCertificatePdf,
  revokeCertificate,
  rotateSigningKey,
  verifyCertificateOnline,
  verifyOffline,
  type CertificateView,
} from './index.ts';
import { decodeQrText, encodeQrText, QR_PREFIX } from './payload.ts';
import { generateKeyMaterial, keyIdOf, signBytes } from './signature.ts';

let tdb: TestDatabase;
const ISSUED = '2026-03-02T04:00:00Z';
const clock = fixedClock(ISSUED);
const officer: Actor = { id: 'user:9001', role: 'registration_officer', authorityId: 'county-510104' };
let ctx: ServiceContext;
let subject: { personId: number; idNumber: string };

function facts(idNumber: string) {
  return { name: '张晓明', idNumber: maskIdNumber(idNumber), householdNumber: '510104000123', hukouAddress: '四川省成都市锦江区测试路1号', relationshipToHead: '户主' };
}

async function issue(extra: Partial<Parameters<typeof issueCertificate>[1]> = {}): Promise<CertificateView> {
  return ctx.db.transaction().execute((trx) =>
    issueCertificate({ ...ctx, db: trx }, { kind: 'hukou_registration', subjectIdNumber: subject.idNumber, applicationId: null, issuingAuthorityId: 'station-510104017', facts: facts(subject.idNumber), ...extra }),
  );
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  ctx = { db: tdb.db, actor: officer, clock };
  subject = await insertPersonWithHukou(tdb.db, { townshipCode: '510104017', name: '张晓明' });
});
afterAll(async () => tdb?.close());

describe('issuing', () => {
  it('signs the minimum facts with SM2 by default, inside the caller\'s transaction, with a trail', async () => {
    const c = await issue();
    expect(c.number).toMatch(/^ZM[0-9A-Z]{17}$/);
    expect(c).toMatchObject({ kind: 'hukou_registration', status: 'valid', algorithm: 'SM2-SM3', issuingAuthorityId: 'station-510104017', validUntil: '2026-05-30' });
    expect(c.facts).toEqual(facts(subject.idNumber));
    expect(c.events).toEqual([expect.objectContaining({ kind: 'issued', actor: officer.id })]);
    expect(c.qrText.startsWith(QR_PREFIX)).toBe(true);
    const qr = decodeQrText(c.qrText)!;
    expect(qr.payload).toMatchObject({ no: c.number, kid: c.keyId, sl: c.statusIndex, sub: facts(subject.idNumber) });
    expect(qr.payloadBytes.toString()).toBe(canonicalJson(qr.payload));
    expect(c.qrText.length).toBeLessThan(700);
  });

  it('rolls back with the caller\'s transaction', async () => {
    let number = '';
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        number = (await issueCertificate({ ...ctx, db: trx }, { kind: 'hukou_registration', subjectIdNumber: subject.idNumber, applicationId: null, issuingAuthorityId: 'station-510104017', facts: facts(subject.idNumber) })).number;
        throw new Error('the application failed later');
      }),
    ).rejects.toThrow('later');
    expect((await verifyCertificateOnline(tdb.db, number, clock)).status).toBe('unknown');
  });

  it('gives a retried application its certificate back', async () => {
    const a = await issue({ applicationId: 'HK-TEST-0001' });
    const b = await issue({ applicationId: 'HK-TEST-0001' });
    expect(b.number).toBe(a.number);
  });

  it('refuses facts beyond the kind, a missing fact, or an ID number not the subject\'s', async () => {
    await expect(issue({ facts: { ...facts(subject.idNumber), phone: '13800000000' } })).rejects.toMatchObject({ code: 'CERTIFICATE_FACTS_INVALID' });
    await expect(issue({ facts: { name: '张晓明', idNumber: subject.idNumber } })).rejects.toMatchObject({ code: 'CERTIFICATE_FACTS_INVALID' });
    await expect(issue({ facts: { ...facts(subject.idNumber), idNumber: '110105********0000' } })).rejects.toMatchObject({ code: 'CERTIFICATE_FACTS_INVALID' });
    await expect(issue({ subjectIdNumber: '11010519491231002X', facts: facts('11010519491231002X') })).rejects.toMatchObject({ code: 'CERTIFICATE_SUBJECT_NOT_FOUND' });
    await expect(issue({ issuingAuthorityId: 'station-440305001' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(issue({ validDays: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(issueCertificate({ ...ctx, actor: { id: 'system', role: 'system', authorityId: 'mps' } }, { kind: 'hukou_registration', subjectIdNumber: subject.idNumber, applicationId: null, issuingAuthorityId: 'station-999999999', facts: facts(subject.idNumber) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('renders a PDF with Chinese text that parses and names the certificate', async () => {
    const c = await issue();
    const pdf = await renderCertificatePdf(ctx, c.number);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe(`户籍证明 ${c.number}`);
    // the font is embedded as a subset: far smaller than the 1.5 MB font file
    expect(pdf.length).toBeLessThan(200_000);
    const dicts = doc.context.enumerateIndirectObjects().map(([, o]) => o).filter((o): o is PDFDict => o instanceof PDFDict);
    expect(dicts.some((d) => d.get(PDFName.of('FontFile2')) !== undefined)).toBe(true);
    const baseFonts = dicts.map((d) => d.get(PDFName.of('BaseFont'))?.toString()).filter(Boolean);
    expect(baseFonts.some((n) => n!.includes('NotoSansSC'))).toBe(true);
  });
});

describe('verification', () => {
  it('end to end: issue, export the trust list, verify offline — genuine; one byte changed — not genuine', async () => {
    const c = await issue();
    const trustList = JSON.parse(JSON.stringify(await currentTrustList(tdb.db, clock.now())));
    const now = new Date('2026-03-03T00:00:00Z');
    const ok = verifyOffline(c.qrText, trustList, null, { now });
    expect(ok).toMatchObject({ status: 'genuine', revocationChecked: false, certificate: { number: c.number, facts: facts(subject.idNumber) } });

    // any one character of the QR text changed: never genuine
    const body = c.qrText.slice(QR_PREFIX.length);
    const positions = [0, 1, 7, Math.floor(body.length / 2), body.length - 2, body.length - 1];
    for (const i of positions) {
      const ch = body[i] === 'A' ? 'B' : 'A';
      const mutated = QR_PREFIX + body.slice(0, i) + ch + body.slice(i + 1);
      expect(verifyOffline(mutated, trustList, null, { now }).status, `position ${i}`).not.toBe('genuine');
      expect((await verifyCertificateOnline(tdb.db, mutated, clock)).status).not.toBe('genuine');
    }
    // one byte of the signed payload changed, re-packed with the original signature: tampered
    const qr = decodeQrText(c.qrText)!;
    const changed = Buffer.from(qr.payloadBytes.toString().replace('张晓明', '张晓朋'));
    const repacked = encodeQrText(changed, qr.signature);
    expect(verifyOffline(repacked, trustList, null, { now })).toMatchObject({ status: 'tampered', reason: 'bad_signature', certificate: null });
    expect((await verifyCertificateOnline(tdb.db, repacked, clock)).status).toBe('tampered');
    // a flipped bit of the signature
    const sig = Buffer.from(qr.signature);
    sig[5]! ^= 0x01;
    expect(verifyOffline(encodeQrText(qr.payloadBytes, sig), trustList, null, { now }).status).toBe('tampered');
    // garbage after the prefix
    expect(verifyOffline(`${QR_PREFIX}${base45Encode(Buffer.from('not deflate'))}`, trustList, null, { now }).status).toBe('tampered');
    expect(base45Decode(body)).not.toBeNull();
  });

  it('a forged key id or a key outside the trust list is never genuine', async () => {
    const c = await issue();
    const trustList = await currentTrustList(tdb.db, clock.now());
    const now = new Date('2026-03-03T00:00:00Z');
    const qr = decodeQrText(c.qrText)!;
    const forger = generateKeyMaterial('SM2-SM3');
    // the forger's own key id: unknown key
    const own = { ...qr.payload, kid: keyIdOf('SM2-SM3', forger.publicKey) };
    const ownBytes = Buffer.from(canonicalJson(own));
    expect(verifyOffline(encodeQrText(ownBytes, signBytes(forger, ownBytes)), trustList, null, { now })).toMatchObject({ status: 'unknown', reason: 'unknown_key' });
    expect((await verifyCertificateOnline(tdb.db, encodeQrText(ownBytes, signBytes(forger, ownBytes)), clock)).status).toBe('unknown');
    // the real key id, the forger's signature: tampered
    const changed = Buffer.from(canonicalJson({ ...qr.payload, sub: { ...qr.payload.sub, name: '李四' } }));
    expect(verifyOffline(encodeQrText(changed, signBytes(forger, changed)), trustList, null, { now })).toMatchObject({ status: 'tampered', reason: 'bad_signature' });
    // a trust list whose keys were swapped without its digest: refused whole
    const doctored = { ...trustList, keys: trustList.keys.map((k) => ({ ...k, publicKey: forger.publicKey })) };
    expect(verifyOffline(c.qrText, doctored, null, { now })).toMatchObject({ status: 'unknown', reason: 'trust_list_invalid' });
  });

  it('revocation: online at once; offline through the signed status list', async () => {
    const c = await issue();
    const now = new Date('2026-03-03T00:00:00Z');
    const trustList = await currentTrustList(tdb.db, clock.now());
    const before = JSON.parse(JSON.stringify(await currentStatusList(tdb.db, clock.now())));
    expect(verifyOffline(c.qrText, trustList, before, { now })).toMatchObject({ status: 'genuine', revocationChecked: true, statusListStale: false });

    const revoked = await revokeCertificate(ctx, c.number, '户口已迁出 moved out');
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: '户口已迁出 moved out' });
    expect(revoked.events.map((e) => e.kind)).toEqual(['issued', 'revoked']);
    await expect(revokeCertificate(ctx, c.number, 'again')).rejects.toMatchObject({ code: 'CERTIFICATE_ALREADY_REVOKED' });
    expect(await verifyCertificateOnline(tdb.db, c.qrText, clock)).toMatchObject({ status: 'revoked', certificate: { number: c.number, facts: null } });
    expect((await verifyCertificateOnline(tdb.db, c.number, clock)).status).toBe('revoked');

    // the old list does not know yet; the new one does
    expect(verifyOffline(c.qrText, trustList, before, { now }).status).toBe('genuine');
    const after = JSON.parse(JSON.stringify(await currentStatusList(tdb.db, clock.now())));
    expect(after.credentialSubject.encodedList.startsWith('u')).toBe(true);
    expect(verifyOffline(c.qrText, trustList, after, { now })).toMatchObject({ status: 'revoked', revocationChecked: true });
    // a status list with its bits changed but not re-signed is refused
    const forged = { ...after, credentialSubject: { ...after.credentialSubject, encodedList: before.credentialSubject.encodedList } };
    expect(verifyOffline(c.qrText, trustList, forged, { now })).toMatchObject({ status: 'unknown', reason: 'status_list_invalid' });
    // a stale list still counts its bits, and says it is stale
    expect(verifyOffline(c.qrText, trustList, after, { now: new Date('2026-03-10T00:00:00Z') })).toMatchObject({ status: 'revoked' });
    const other = await issue();
    expect(verifyOffline(other.qrText, trustList, after, { now: new Date('2026-03-10T00:00:00Z') })).toMatchObject({ status: 'genuine', statusListStale: true });
  });

  it('expiry by the clock: genuine on the last day, expired the day after (China time), online and offline', async () => {
    const c = await issue({ validDays: 10 });
    expect(c.validUntil).toBe('2026-03-11');
    const trustList = await currentTrustList(tdb.db, clock.now());
    expect(verifyOffline(c.qrText, trustList, null, { now: new Date('2026-03-11T15:59:59Z') }).status).toBe('genuine');
    expect(verifyOffline(c.qrText, trustList, null, { now: new Date('2026-03-11T16:00:00Z') })).toMatchObject({ status: 'expired', certificate: { facts: null } });
    expect((await verifyCertificateOnline(tdb.db, c.number, fixedClock('2026-03-11T15:00:00Z'))).status).toBe('genuine');
    expect((await verifyCertificateOnline(tdb.db, c.qrText, fixedClock('2026-03-12T01:00:00Z'))).status).toBe('expired');
    expect((await getCertificate({ ...ctx, clock: fixedClock('2026-03-12T01:00:00Z') }, c.number)).status).toBe('expired');
  });

  it('numbers: unknown, malformed and mistyped are told apart, never genuine', async () => {
    const c = await issue();
    const last = c.number.at(-1) === '0' ? '1' : '0';
    expect((await verifyCertificateOnline(tdb.db, c.number.slice(0, -1) + last, clock)).reason).toBe('number_check_character');
    expect((await verifyCertificateOnline(tdb.db, 'ZM12', clock)).reason).toBe('number_malformed');
    expect((await verifyCertificateOnline(tdb.db, c.number.toLowerCase(), clock)).status).toBe('genuine');
    await expect(getCertificate(ctx, c.number.slice(0, -1) + last)).rejects.toMatchObject({ code: 'CERTIFICATE_NUMBER_MISTYPED' });
    await expect(getCertificate(ctx, 'nope')).rejects.toMatchObject({ code: 'CERTIFICATE_NUMBER_MALFORMED' });
  });

  it('key rotation: new certificates use the new key; old ones still verify offline and online', async () => {
    const old = await issue();
    const rotated = await rotateSigningKey({ ...ctx, clock: fixedClock('2026-03-02T05:00:00Z') }, 'SM2-SM3');
    expect(rotated.retired).toBe(old.keyId);
    const fresh = await issueCertificate({ ...ctx, clock: fixedClock('2026-03-02T06:00:00Z') }, { kind: 'hukou_registration', subjectIdNumber: subject.idNumber, applicationId: null, issuingAuthorityId: 'station-510104017', facts: facts(subject.idNumber) });
    expect(fresh.keyId).toBe(rotated.active.keyId);
    const list = await currentTrustList(tdb.db, new Date('2026-03-02T07:00:00Z'));
    expect(list.keys.find((k) => k.kid === old.keyId)?.retiredAt).toBe('2026-03-02T05:00:00.000Z');
    expect(list.proof?.kid).toBe(fresh.keyId);
    const now = new Date('2026-03-03T00:00:00Z');
    expect(verifyOffline(old.qrText, list, null, { now }).status).toBe('genuine');
    expect(verifyOffline(fresh.qrText, list, null, { now }).status).toBe('genuine');
    expect((await verifyCertificateOnline(tdb.db, old.qrText, clock)).status).toBe('genuine');
    expect((await verifyCertificateOnline(tdb.db, fresh.qrText, clock)).status).toBe('genuine');
  });

  it('certificates signed while a rotation runs all verify: the rotation waits for them, they for it', async () => {
    const sys = { ...ctx, clock: { now: () => new Date() }, actor: { id: 'system', role: 'system' as const, authorityId: 'mps' } };
    const one = () => issueCertificate(sys, { kind: 'hukou_registration', subjectIdNumber: subject.idNumber, applicationId: null, issuingAuthorityId: 'station-510104017', facts: facts(subject.idNumber) });
    const results = await Promise.all([one(), one(), one(), rotateSigningKey(sys, 'SM2-SM3').then(() => null), one(), one(), one()]);
    const list = await currentTrustList(tdb.db, new Date());
    const certs = results.filter((c): c is CertificateView => c !== null);
    for (const c of certs) expect(verifyOffline(c.qrText, list, null, { now: new Date() }).status).toBe('genuine');
  });

  it('Ed25519 when configured (HUKOU_CERT_ALGORITHM=ed25519)', async () => {
    process.env.HUKOU_CERT_ALGORITHM = 'ed25519';
    try {
      const c = await issue();
      expect(c.algorithm).toBe('Ed25519');
      const list = await currentTrustList(tdb.db, clock.now());
      expect(list.keys.some((k) => k.alg === 'Ed25519' && k.kid === c.keyId)).toBe(true);
      expect(verifyOffline(c.qrText, list, null, { now: new Date('2026-03-03T00:00:00Z') }).status).toBe('genuine');
      expect((await verifyCertificateOnline(tdb.db, c.qrText, clock)).status).toBe('genuine');
      const qr = decodeQrText(c.qrText)!;
      const changed = Buffer.from(qr.payloadBytes.toString().replace('"v":1', '"v":1 '));
      expect(verifyOffline(encodeQrText(changed, qr.signature), list, null, { now: new Date('2026-03-03T00:00:00Z') }).status).not.toBe('genuine');
    } finally {
      delete process.env.HUKOU_CERT_ALGORITHM;
    }
  });
});
