import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../platform/clock.ts';
import { loadReferenceData } from './index.ts';
import { apiClientHeaders, useTestApp } from '../../test/app.ts';

const t = useTestApp({ clock: fixedClock('2026-11-26T04:00:00Z') });

let headers: Record<string, string>;
beforeAll(async () => {
  headers = await apiClientHeaders(t.tdb.db);
});

const get = (url: string) => t.app.inject({ method: 'GET', url, headers });

describe('divisions API', () => {
  it('lists the 34 provincial-level divisions of GB/T 2260 (31 mainland + Taiwan, Hong Kong, Macao)', async () => {
    const res = await get('/api/v1/divisions');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { code: string; name: string }[];
    expect(items).toHaveLength(34);
    expect(items.map((d) => d.code)).toEqual(expect.arrayContaining(['710000', '810000', '820000']));
    expect(items.find((d) => d.code === '440000')?.name).toBe('广东省');
  });

  it('lists children of a parent given in short form, in force today unless abolished ones are asked for', async () => {
    const now = (await get('/api/v1/divisions?parent=11')).json().items as { code: string }[];
    expect(now.map((d) => d.code)).not.toContain('110103');
    const all = (await get('/api/v1/divisions?parent=110000&includeAbolished=true')).json().items as { code: string }[];
    expect(all.map((d) => d.code)).toContain('110103');
    const in2005 = (await get('/api/v1/divisions?parent=110000&at=2005-06-01')).json().items as { code: string }[];
    expect(in2005.map((d) => d.code)).toContain('110103');
  });

  it('shows an abolished district with its validity', async () => {
    const res = await get('/api/v1/divisions/110103');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ code: '110103', name: '崇文区', level: 'county', inForce: false, addressable: true });
    expect(body.validTo).toMatch(/^20(10|11)-/);
  });

  it('shows a renamed district with both names in its history', async () => {
    const body = (await get('/api/v1/divisions/120110')).json();
    expect(body.history.map((h: { name: string }) => h.name)).toEqual(['东郊区', '东丽区']);
    expect(body.name).toBe('东丽区');
  });

  it('lists townships of a county', async () => {
    const body = (await get('/api/v1/divisions/110105/townships')).json();
    expect(body.items.length).toBeGreaterThan(20);
    expect(body.items[0].code).toMatch(/^110105\d{3}$/);
  });

  it('answers 404 DIVISION_NOT_FOUND for an unknown code and 400 for a malformed one', async () => {
    const missing = await get('/api/v1/divisions/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('DIVISION_NOT_FOUND');
    const bad = await get('/api/v1/divisions/12ab');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'params.code' })] });
    const badQuery = await get('/api/v1/divisions?parent=x&at=yesterday');
    expect(badQuery.statusCode).toBe(400);
    const fields = (badQuery.json().error.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['querystring.at', 'querystring.parent']);
  });
});

describe('code tables API', () => {
  it('lists the tables with their standards', async () => {
    const names = (await get('/api/v1/codes')).json().items.map((t: { name: string }) => t.name);
    expect(names).toEqual(['ethnicity', 'relationship', 'sex']);
  });

  it('returns 56 ethnic groups plus 97 and 98 (GB/T 3304)', async () => {
    const body = (await get('/api/v1/codes/ethnicity')).json();
    expect(body.standard).toContain('3304');
    expect(body.entries).toHaveLength(58);
    expect(body.entries[0]).toMatchObject({ code: '01', name: '汉族' });
  });

  it('answers 404 CODE_TABLE_NOT_FOUND naming the known tables', async () => {
    const res = await get('/api/v1/codes/religion');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'CODE_TABLE_NOT_FOUND', details: { known: ['ethnicity', 'relationship', 'sex'] } });
  });
});

describe('reference data loading', () => {
  it('is idempotent: a second load changes nothing', async () => {
    expect(await loadReferenceData(t.tdb.db)).toEqual([]);
  });

  it('generates a police station per township and bureaus above them', async () => {
    const station = await t.tdb.db.selectFrom('authority').select(['id', 'kind', 'parent_id']).where('id', 'like', 'station-110105%').executeTakeFirstOrThrow();
    expect(station).toMatchObject({ kind: 'police_station', parent_id: 'county-110105' });
    const county = await t.tdb.db.selectFrom('authority').select(['name', 'parent_id']).where('id', '=', 'county-110105').executeTakeFirstOrThrow();
    expect(county.name).toContain('朝阳');
  });

  it('marks the authorities of the remote areas listed in data/law/remote-areas.json', async () => {
    const remote = await t.tdb.db.selectFrom('authority').select(['id', 'remote']).where('id', 'in', ['county-540102', 'county-110105', 'mps']).orderBy('id').execute();
    expect(remote).toEqual([
      { id: 'county-110105', remote: false },
      { id: 'county-540102', remote: true },
      { id: 'mps', remote: false },
    ]);
    const { n } = await t.tdb.db.selectFrom('authority').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'like', 'station-54%').where('remote', '=', false).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(0);
  });
});
