import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHukou } from '../../test/cli.ts';
import { useTestDatabase } from '../../test/db.ts';
import { ctxOn, newPerson, station } from '../../test/persons.ts';
import { chinaDate } from '../platform/clock.ts';
import { submitApplication } from './submit.service.ts';
import { serviceCatalog } from './catalog.ts';

const tdb = useTestDatabase();

const hukou = (args: string[]) => runHukou(args, { DATABASE_URL: tdb.url });

describe('hukou application', () => {
  it('lists the queue, accepts, reviews, rejects with a reason, shows the trail; refuses a mistyped number and a second decision', async () => {
    const person = await newPerson(tdb.db, { birthDate: '1990-10-10', township: '510104017' });
    const today = chinaDate(new Date());
    const a = await submitApplication(ctxOn(tdb.db, today), serviceCatalog(), {
      serviceCode: 'household_certificate_family_relationship',
      subjectIdNumber: person.idNumber,
      acceptingAuthorityId: station('510104017'),
    });
    const tn = a.trackingNumber!;
    const list = await hukou(['application', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((x: { trackingNumber: string }) => x.trackingNumber)).toContain(tn);
    expect((await hukou(['application', 'accept', tn])).stdout).toContain('accepted');
    expect((await hukou(['application', 'review', tn])).code).toBe(0);
    const rejected = await hukou(['application', 'reject', tn, '--reason', 'booklet does not match', '--json']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ state: 'rejected', decisionReason: 'booklet does not match' });
    const again = await hukou(['application', 'approve', tn]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error APPLICATION_ALREADY_DECIDED');
    const typo = await hukou(['application', 'show', tn.slice(0, -1) + (tn.endsWith('0') ? '1' : '0')]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('error INVALID_TRACKING_NUMBER');
    const shown = await hukou(['application', 'show', tn]);
    expect(shown.stdout).toMatch(/in_review → rejected/);
  }, 180_000);
});
