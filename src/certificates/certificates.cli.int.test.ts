import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHukou } from '../../test/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { insertPersonWithHukou } from '../../test/access-fixtures.ts';
import { maskIdNumber, SYSTEM_ACTOR } from '../access/index.ts';
import { systemClock } from '../platform/clock.ts';
import { currentStatusList, issueCertificate, revokeCertificate } from './index.ts';

let tdb: TestDatabase;
let dir: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'hukou-cert-cli-'));
});
afterAll(async () => {
  await tdb?.close();
  rmSync(dir, { recursive: true, force: true });
});

const hukou = (args: string[]) => runHukou(args, { DATABASE_URL: tdb.url, HUKOU_DATA_DIR: dir });

describe('hukou cert', () => {
  it('a third party verifies offline with the exported trust list and status list; keys rotate and old certificates still verify', async () => {
    const person = await insertPersonWithHukou(tdb.db, { townshipCode: '510104017' });
    const ctx = { db: tdb.db, actor: SYSTEM_ACTOR, clock: systemClock };
    const cert = await issueCertificate(ctx, {
      kind: 'family_relationship',
      subjectIdNumber: person.idNumber,
      applicationId: null,
      issuingAuthorityId: 'station-510104017',
      facts: { name: '张晓明', idNumber: maskIdNumber(person.idNumber), householdNumber: '510104000002', members: [{ name: '张晓明', idNumber: maskIdNumber(person.idNumber), relationship: '户主' }] },
    });
    const trust = join(dir, 'trust.json');
    const exported = await hukou(['cert', 'trust-list', 'export', trust]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(readFileSync(trust, 'utf8')).keys).toHaveLength(1);

    const qrFile = join(dir, 'cert.txt');
    writeFileSync(qrFile, `${cert.qrText}\n`);
    const ok = await hukou(['cert', 'verify', qrFile, '--trust-list', trust, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'genuine', certificate: { number: cert.number } });

    const body = cert.qrText.slice(5);
    const mutated = `HKC1:${body.slice(0, 20)}${body[20] === 'A' ? 'B' : 'A'}${body.slice(21)}`;
    const bad = await hukou(['cert', 'verify', mutated, '--trust-list', trust]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).not.toContain('genuine');

    await revokeCertificate(ctx, cert.number, '关系变更');
    const status = join(dir, 'status.json');
    writeFileSync(status, JSON.stringify(await currentStatusList(tdb.db, new Date())));
    const revoked = await hukou(['cert', 'verify', qrFile, '--trust-list', trust, '--status-list', status]);
    expect(revoked.code).toBe(1);
    expect(revoked.stdout).toContain('REVOKED');

    const rotated = await hukou(['cert', 'keys', 'rotate', '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout).retired).toBe(cert.keyId);
    expect(JSON.parse(rotated.stdout).active.keyId).not.toBe(cert.keyId);
    const trust2 = join(dir, 'trust2.json');
    expect((await hukou(['cert', 'trust-list', 'export', trust2])).code).toBe(0);
    expect(JSON.parse(readFileSync(trust2, 'utf8')).keys.map((k: { retiredAt: string | null }) => k.retiredAt === null)).toEqual([false, true]);
    expect((await hukou(['cert', 'verify', qrFile, '--trust-list', trust2])).code).toBe(0);
  }, 420_000); // six `hukou` processes: minutes on a loaded machine
});
