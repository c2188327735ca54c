import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHukou } from '../../test/cli.ts';
import { useTestDatabase } from '../../test/db.ts';
import { newPerson, PLACE, station } from '../../test/persons.ts';

const tdb = useTestDatabase();

/** `hukou …` as an officer runs it (the local operator), against this file's database. */
const hukou = (args: string[]) => runHukou(args, { DATABASE_URL: tdb.url });

// Each command is a new process (node + tsx + a pool): seconds each on a busy machine.
describe('hukou idcard / identity / residence / notify', () => {
  it('takes a card from application to delivery, checks it, reports it lost, and refuses a renewal without reason', async () => {
    const person = await newPerson(tdb.db, { birthDate: '1999-09-09' });
    const applied = await hukou(['idcard', 'apply', person.idNumber, '--kind', 'first', '--at', station(PLACE.shenzhenNanshan), '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    const app = JSON.parse(applied.stdout);
    expect(app).toMatchObject({ kind: 'first', scope: 'intraprovincial_cross_prefecture', state: 'accepted' });

    const confirmed = await hukou(['idcard', 'confirm', app.id, '--json']);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    const { card } = JSON.parse(confirmed.stdout);
    expect((await hukou(['idcard', 'deliver', app.id])).stdout).toContain('delivered');

    const yes = await hukou(['idcard', 'check', person.idNumber, card.validFrom]);
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/^valid \(reference [0-9a-f-]{36}\)/);

    const renewal = await hukou(['idcard', 'apply', person.idNumber, '--kind', 'renewal', '--at', station(PLACE.guangzhouLiwan)]);
    expect(renewal.code).toBe(1);
    expect(renewal.stderr).toContain('error CARD_NOT_NEAR_EXPIRY');

    expect((await hukou(['idcard', 'report-loss', person.idNumber, '--at', station(PLACE.beijingChaoyang)])).code).toBe(0);
    const no = await hukou(['idcard', 'check', person.idNumber, card.validFrom]);
    expect(no.code).toBe(1);
    expect(no.stdout).toContain('NOT valid');

    const identity = await hukou(['identity', person.idNumber]);
    expect(identity.code, identity.stderr).toBe(0);
    expect(identity.stdout).toContain('ID card: reported_lost');
  }, 180_000);

  it('registers residence, refuses an early permit, and runs the notification worker once', async () => {
    const person = await newPerson(tdb.db, { birthDate: '1988-08-08' });
    const reg = await hukou(['residence', 'register', person.idNumber, '--at', station(PLACE.beijingChaoyang), '--address', '东三环1号', '--json']);
    expect(reg.code, reg.stderr).toBe(0);
    expect(JSON.parse(reg.stdout)).toMatchObject({ cityCode: '110000', endedOn: null });

    const permit = await hukou(['residence', 'permit', 'apply', person.idNumber, '--at', station(PLACE.beijingChaoyang), '--basis', 'employment', '--evidence', '劳动合同']);
    expect(permit.code).toBe(1);
    expect(permit.stderr).toContain('error RESIDENCE_TOO_SHORT');

    const once = await hukou(['notify', 'run-once', '--json']);
    expect(once.code, once.stderr).toBe(0);
    expect(JSON.parse(once.stdout)).toMatchObject({ failed: 0 });
    const status = await hukou(['notify', 'status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ pending: 0, failing: 0 });
  }, 120_000);
});
