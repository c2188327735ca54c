import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../platform/clock.ts';
import { apiClientHeaders, useTestApp } from '../../test/app.ts';

const t = useTestApp({ clock: fixedClock('2026-11-26T04:00:00Z') });

let headers: Record<string, string>;
beforeAll(async () => {
  headers = await apiClientHeaders(t.tdb.db);
});

const check = async (n: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/id-numbers/${encodeURIComponent(n)}`, headers });
  return { status: res.statusCode, body: res.json() };
};

describe('GET /api/v1/id-numbers/{number}', () => {
  it('needs credentials (issue #4: only health, metrics and docs are anonymous)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/id-numbers/11010519491231002X' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('answers the standard example with its parts', async () => {
    const { status, body } = await check('11010519491231002X');
    expect(status).toBe(200);
    expect(body).toMatchObject({ valid: true, birthDate: '1949-12-31', sex: '2', sexName: '女', addressCode: '110105', errors: [] });
  });

  it('accepts a code abolished after the birth (崇文区, 1980s birth) and names the place as it was', async () => {
    const { body } = await check('110103198506150011');
    expect(body.valid).toBe(true);
    expect(body.birthPlace).toMatchObject({ province: '北京市', county: '崇文区' });
  });

  it('refuses a code abolished before the birth (崇文区 after 2010)', async () => {
    const { body } = await check('110103201506150016');
    expect(body.valid).toBe(false);
    expect(body.errors.map((e: { code: string }) => e.code)).toEqual(['ID_ADDRESS_CODE']);
  });

  it('answers malformed input with 200 and ID_FORMAT, never an error status', async () => {
    for (const n of ['abc', '1234', '11010519491231002Z', '１１０１０５１９４９１２３１００２Ｘ']) {
      const { status, body } = await check(n);
      expect(status, n).toBe(200);
      expect(body.valid).toBe(false);
      expect(body.errors[0].code).toBe('ID_FORMAT');
    }
  });

  it('reports a bad date, a bad checksum and an unknown code together', async () => {
    const { body } = await check('999999202302300000');
    const codes = body.errors.map((e: { code: string }) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['ID_BIRTH_DATE', 'ID_ADDRESS_CODE']));
  });

  it('rejects an absurdly long path parameter with VALIDATION_FAILED', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/id-numbers/${'1'.repeat(100)}`, headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});
