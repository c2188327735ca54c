import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { fixedClock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { composeIdNumber, isValidIdNumber } from '../idnumber/index.ts';
import { loadDivisionIndex } from '../reference/index.ts';
import { registerBirth } from './birth.service.ts';
import { createHousehold } from './household.service.ts';
import { getHousehold, getPerson } from './read.service.ts';
import { addAdult, newFamily, testContext, TODAY, TOWNSHIP } from '../../test/registry-fixtures.ts';

let tdb: TestDatabase;
let ctx: ServiceContext;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ctx = testContext(tdb.db);
});
afterAll(async () => {
  await tdb.close();
});

async function version(householdNumber: string): Promise<number> {
  return (await getHousehold(ctx, householdNumber)).version;
}

describe('createHousehold', () => {
  it('allocates a household number from the township code and defaults the authority to its police station', async () => {
    const { household } = await createHousehold(ctx, { kind: 'public_collective', townshipCode: TOWNSHIP.beijingChaoyang, address: '建国门外大街1号' });
    expect(household.householdNumber).toMatch(/^110105001\d{6}$/);
    expect(household).toMatchObject({ kind: 'public_collective', countyCode: '110105', authorityId: 'station-110105001', version: 1, status: 'active' });
    const booklet = await getHousehold(ctx, household.householdNumber);
    expect(booklet).toMatchObject({ head: null, members: [], township: { code: '110105001', name: '建外街道' } });
    expect(booklet.authority.name).toBe('建外街道派出所');
  });

  it('gives each household its own number', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 10 }, () => createHousehold(ctx, { kind: 'family', townshipCode: TOWNSHIP.beijingHaidian, address: '万寿路1号' }).then((r) => r.household.householdNumber)),
    );
    expect(new Set(numbers).size).toBe(10);
  });

  it('refuses an unknown township with 422 INVALID_CODE naming the field', async () => {
    await expect(createHousehold(ctx, { kind: 'family', townshipCode: '999999999', address: 'x' })).rejects.toMatchObject({
      code: 'INVALID_CODE',
      details: [{ field: 'townshipCode', code: 'UNKNOWN_TOWNSHIP' }],
    });
  });

  it('refuses an authority of another county', async () => {
    await expect(createHousehold(ctx, { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: 'x', authorityId: 'station-110108001' })).rejects.toMatchObject({
      code: 'INVALID_CODE',
      details: [{ field: 'authorityId', code: 'AUTHORITY_NOT_COMPETENT' }],
    });
  });
});

describe('registerBirth', () => {
  it('allocates a valid ID number under the household county, with the sex parity, and makes the infant a member', async () => {
    const family = await newFamily(ctx);
    const r = await registerBirth(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await version(family.householdNumber),
      name: '张小明',
      sex: '1',
      birthDate: '2024-06-01',
      ethnicity: '01',
      relationship: '20',
    });
    expect(r.person.idNumber).toMatch(/^11010520240601\d{3}[0-9X]$/);
    expect(Number(r.person.idNumber[16]) % 2).toBe(1);
    expect(isValidIdNumber(r.person.idNumber, loadDivisionIndex(), 20240615)).toBe(true);
    expect(r).toMatchObject({ lateRegistration: false, registrationDue: '2024-07-01' });

    const view = await getPerson(ctx, r.person.idNumber);
    expect(view.person).toMatchObject({ name: '张小明', namePinyin: 'zhangxiaoming', status: 'active' });
    expect(view.household).toMatchObject({ householdNumber: family.householdNumber, relationship: '20', since: TODAY });
    expect(view.idNumbers).toEqual([{ idNumber: r.person.idNumber, validFrom: TODAY, validTo: null, reason: 'birth' }]);
    expect(view.timeline.map((e) => e.kind)).toEqual(['birth']);
    expect(view.timeline[0]).toMatchObject({ occurredOn: '2024-06-01', authorityId: 'station-110105001', actorId: 'test', legalBasis: '户口登记条例 第七条' });
  });

  it('gives girls even sequence codes', async () => {
    const family = await newFamily(ctx);
    const r = await registerBirth(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await version(family.householdNumber),
      name: '张小红',
      sex: '2',
      birthDate: '2024-06-02',
      ethnicity: '01',
      relationship: '30',
    });
    expect(Number(r.person.idNumber[16]) % 2).toBe(0);
  });

  it('accepts a late registration and flags it in the answer and the event', async () => {
    const family = await newFamily(ctx);
    const r = await registerBirth(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await version(family.householdNumber),
      name: '张晚',
      sex: '1',
      birthDate: '2024-01-31',
      ethnicity: '01',
      relationship: '20',
    });
    expect(r).toMatchObject({ lateRegistration: true, registrationDue: '2024-02-29' });
    const view = await getPerson(ctx, r.person.idNumber);
    expect(view.timeline[0]!.data).toMatchObject({ lateRegistration: true, registrationDue: '2024-02-29', registeredOn: TODAY });
  });

  it('refuses bad codes with 422 and one detail per field', async () => {
    const family = await newFamily(ctx);
    await expect(
      registerBirth(ctx, {
        householdNumber: family.householdNumber,
        expectedVersion: await version(family.householdNumber),
        name: '张错',
        sex: '9',
        birthDate: '2024-07-01',
        ethnicity: '77',
        relationship: '98',
        birthplaceCode: '990000',
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_CODE',
      details: expect.arrayContaining([
        expect.objectContaining({ field: 'birthDate', code: 'FUTURE_DATE' }),
        expect.objectContaining({ field: 'sex', code: 'SEX_FOR_ID_NUMBER' }),
        expect.objectContaining({ field: 'ethnicity', code: 'UNKNOWN_ETHNICITY' }),
        expect.objectContaining({ field: 'relationship', code: 'UNKNOWN_RELATIONSHIP' }),
        expect.objectContaining({ field: 'birthplaceCode', code: 'UNKNOWN_DIVISION' }),
      ]),
    });
  });

  it('refuses a stale household version with VERSION_CONFLICT and writes nothing', async () => {
    const family = await newFamily(ctx);
    const stale = (await version(family.householdNumber)) - 1;
    const before = await sql<{ n: number }>`select count(*)::int as n from person`.execute(tdb.db);
    await expect(
      registerBirth(ctx, { householdNumber: family.householdNumber, expectedVersion: stale, name: '张旧', sex: '1', birthDate: '2024-06-01', ethnicity: '01', relationship: '20' }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', details: { expectedVersion: stale, currentVersion: stale + 1 } });
    const after = await sql<{ n: number }>`select count(*)::int as n from person`.execute(tdb.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('replays the first answer for a repeated idempotency key and writes nothing the second time', async () => {
    const family = await newFamily(ctx);
    const input = {
      householdNumber: family.householdNumber,
      expectedVersion: await version(family.householdNumber),
      name: '张重',
      sex: '1',
      birthDate: '2024-06-03',
      ethnicity: '01',
      relationship: '20',
      idempotencyKey: `birth-${family.householdNumber}`,
    };
    const first = await registerBirth(ctx, input);
    const count = async () => (await sql<{ n: number }>`select count(*)::int as n from registration_event`.execute(tdb.db)).rows[0]!.n;
    const events = await count();
    const again = await registerBirth(ctx, input);
    expect(again).toEqual(first);
    expect(await count()).toBe(events);
    expect((await getHousehold(ctx, family.householdNumber)).members).toHaveLength(2);
  });

  it('refuses a key reused for another operation', async () => {
    const family = await newFamily(ctx);
    await createHousehold(ctx, { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: 'x', idempotencyKey: 'key-reuse' });
    await expect(
      registerBirth(ctx, {
        householdNumber: family.householdNumber,
        expectedVersion: await version(family.householdNumber),
        name: '张',
        sex: '1',
        birthDate: '2024-06-03',
        ethnicity: '01',
        relationship: '20',
        idempotencyKey: 'key-reuse',
      }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('never replays one actor\'s answer to another who sends the same key', async () => {
    const family = await newFamily(ctx);
    const input = {
      householdNumber: family.householdNumber,
      expectedVersion: await version(family.householdNumber),
      name: '张密',
      sex: '2',
      birthDate: '2024-06-04',
      ethnicity: '01',
      relationship: '30',
      idempotencyKey: `guessable-${family.householdNumber}`,
    };
    await registerBirth(ctx, input);
    const other = { ...ctx, actor: { ...ctx.actor, id: 'officer:someone-else' } };
    const refused = await registerBirth(other, input).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(JSON.stringify(refused)).not.toContain('张密');
  });
});

describe('ID allocation', () => {
  it('gives 200 concurrent births in one county on one day distinct valid numbers', async () => {
    const households = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        createHousehold(ctx, { kind: 'collective', townshipCode: i % 2 ? TOWNSHIP.beijingChaoyang : '110105002', address: `集体户${i}` }).then((r) => r.household),
      ),
    );
    const births = await Promise.all(
      households.map((h, i) =>
        registerBirth(ctx, {
          householdNumber: h.householdNumber,
          expectedVersion: h.version,
          name: `王${i}`,
          sex: i % 2 ? '1' : '2',
          birthDate: '2024-05-20',
          ethnicity: '01',
          relationship: '99',
        }),
      ),
    );
    const numbers = births.map((b) => b.person.idNumber);
    expect(new Set(numbers).size).toBe(200);
    const divisions = loadDivisionIndex();
    for (const n of numbers) {
      expect(n.slice(0, 14)).toBe('11010520240520');
      expect(isValidIdNumber(n, divisions, 20240615)).toBe(true);
    }
    births.forEach((b, i) => expect(Number(b.person.idNumber[16]) % 2).toBe(i % 2));
  });

  it('skips numbers already held (imported or historical) and never hands them out again', async () => {
    const family = await newFamily(ctx);
    // a number held by someone imported earlier: sequence 001 of the next male allocation for that day
    const taken = composeIdNumber('110105', '2024-04-01', 1);
    await tdb.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: number }>`
        insert into person (id_number, name, sex, birth_date, ethnicity) values (${taken}, '导入人', '1', '2024-04-01', '01') returning id`.execute(trx);
      await sql`insert into person_id_number (id_number, person_id, valid_from, reason) values (${taken}, ${rows[0]!.id}, '2024-04-02', 'import')`.execute(trx);
      await sql`insert into membership (person_id, household_id, relationship, since)
                select ${rows[0]!.id}, h.id, '99', '2024-04-02' from household h where h.household_number = ${family.householdNumber}`.execute(trx);
    });
    const r = await registerBirth(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await version(family.householdNumber),
      name: '张跳',
      sex: '1',
      birthDate: '2024-04-01',
      ethnicity: '01',
      relationship: '20',
    });
    expect(r.person.idNumber).toBe(composeIdNumber('110105', '2024-04-01', 3));
  });

  it('jumps past the numbers a bulk load registered for the day once it runs into one, and uses the codes below a lone high one', async () => {
    const family = await newFamily(ctx);
    // men born that day, loaded without a counter (as seed and import do): sequences 001 … 041
    await tdb.db.transaction().execute(async (trx) => {
      for (let seq = 1; seq <= 41; seq += 2) {
        const n = composeIdNumber('110105', '2023-09-09', seq);
        const { rows } = await sql<{ id: number }>`
          insert into person (id_number, name, sex, birth_date, ethnicity, status, death_date) values (${n}, '导入人', '1', '2023-09-09', '01', 'deceased', '2024-01-01') returning id`.execute(trx);
        await sql`insert into person_id_number (id_number, person_id, valid_from, reason) values (${n}, ${rows[0]!.id}, '2023-09-10', 'import')`.execute(trx);
      }
      // and a high code for women born the day after
      const last = composeIdNumber('110105', '2023-09-10', 500);
      const { rows } = await sql<{ id: number }>`
        insert into person (id_number, name, sex, birth_date, ethnicity, status, death_date) values (${last}, '导入人', '2', '2023-09-10', '01', 'deceased', '2024-01-01') returning id`.execute(trx);
      await sql`insert into person_id_number (id_number, person_id, valid_from, reason) values (${last}, ${rows[0]!.id}, '2023-09-11', 'import')`.execute(trx);
    });
    const input = { householdNumber: family.householdNumber, name: '张续', ethnicity: '01' };
    const boy = await registerBirth(ctx, { ...input, expectedVersion: await version(family.householdNumber), sex: '1', birthDate: '2023-09-09', relationship: '20' });
    expect(boy.person.idNumber).toBe(composeIdNumber('110105', '2023-09-09', 43));
    const next = await registerBirth(ctx, { ...input, expectedVersion: await version(family.householdNumber), sex: '1', birthDate: '2023-09-09', relationship: '20' });
    expect(next.person.idNumber).toBe(composeIdNumber('110105', '2023-09-09', 45));
    const below = await registerBirth(ctx, { ...input, expectedVersion: await version(family.householdNumber), sex: '2', birthDate: '2023-09-10', relationship: '30' });
    expect(below.person.idNumber).toBe(composeIdNumber('110105', '2023-09-10', 2));
    // girls born on the first day are untouched by the men's numbers
    const girl = await registerBirth(ctx, { ...input, expectedVersion: await version(family.householdNumber), sex: '2', birthDate: '2023-09-09', relationship: '30' });
    expect(girl.person.idNumber).toBe(composeIdNumber('110105', '2023-09-09', 2));
  });

  it('answers 409 ID_SEQUENCE_EXHAUSTED when the day\'s codes for that sex are used up', async () => {
    const family = await newFamily(ctx);
    await sql`insert into id_allocation (address_code, birth_date, sex, last_seq) values ('110105', '2024-03-01', '2', 998)`.execute(tdb.db);
    const input = { householdNumber: family.householdNumber, name: '张满', birthDate: '2024-03-01', ethnicity: '01', relationship: '30' };
    await expect(registerBirth(ctx, { ...input, expectedVersion: await version(family.householdNumber), sex: '2' })).rejects.toMatchObject({
      code: 'ID_SEQUENCE_EXHAUSTED',
      details: { addressCode: '110105', birthDate: '2024-03-01', sex: '2', sequences: 499 },
    });
    // boys born that day still get numbers
    const boy = await registerBirth(ctx, { ...input, expectedVersion: await version(family.householdNumber), sex: '1', relationship: '20' });
    expect(boy.person.idNumber.slice(14, 17)).toBe('001');
  });

  it('uses the clock for "today": a birth after today is refused', async () => {
    const family = await newFamily(ctx);
    const early = testContext(tdb.db, fixedClock('2024-05-01T04:00:00Z'));
    await expect(
      registerBirth(early, { householdNumber: family.householdNumber, expectedVersion: await version(family.householdNumber), name: '张', sex: '1', birthDate: '2024-06-01', ethnicity: '01', relationship: '20' }),
    ).rejects.toMatchObject({ code: 'INVALID_CODE', details: [expect.objectContaining({ field: 'birthDate', code: 'FUTURE_DATE' })] });
  });
});

describe('a birth names its parents (户口登记条例 Art. 7)', () => {
  let certificate = 100_000_000;
  const nextCertificate = () => `X${String((certificate += 1))}`;

  it('records the certificate number and links registered parents; the child record and the 户口簿 show them', async () => {
    const family = await newFamily(ctx); // head 张建国, male
    const mother = await addAdult(ctx, family, '10', '2', '王芳'); // spouse
    const cert = nextCertificate().toLowerCase(); // letters are taken in either case
    const r = await registerBirth(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await version(family.householdNumber),
      name: '张小树',
      sex: '1',
      birthDate: '2024-06-03',
      ethnicity: '01',
      relationship: '20',
      birthCertificateNumber: cert,
      mother: { idNumber: mother, name: '王芳' },
      father: { idNumber: family.head.idNumber },
    });
    expect(r.birth).toEqual({
      certificateNumber: cert.toUpperCase(),
      mother: { name: '王芳', idNumber: mother, linked: true },
      father: { name: '张建国', idNumber: family.head.idNumber, linked: true },
    });
    const view = await getPerson(ctx, r.person.idNumber);
    expect(view.birth).toEqual(r.birth); // both parents are in the household shown: numbers in full
    expect(view.timeline[0]!.data).toMatchObject({ birthCertificateNumber: cert.toUpperCase(), motherIdNumber: mother, fatherIdNumber: family.head.idNumber });
    const booklet = await getHousehold(ctx, family.householdNumber);
    const page = booklet.members.find((m) => m.idNumber === r.person.idNumber)!;
    expect(page.birth).toEqual(r.birth);
    expect(booklet.members.find((m) => m.idNumber === mother)!.birth).toBeNull(); // registered by adding, not by birth
    const row = await tdb.db.selectFrom('birth_record').selectAll().where('certificate_number', '=', cert.toUpperCase()).executeTakeFirstOrThrow();
    expect(row.mother_name).toBe('王芳');
    expect(row.father_person_id).not.toBeNull();
  });

  it('records a parent who is not registered by name only', async () => {
    const family = await newFamily(ctx, { sex: '2', name: '刘慧' });
    const r = await registerBirth(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await version(family.householdNumber),
      name: '刘小溪',
      sex: '2',
      birthDate: '2024-06-04',
      ethnicity: '01',
      relationship: '30',
      birthCertificateNumber: nextCertificate(),
      mother: { idNumber: family.head.idNumber },
      father: { name: 'John Smith' },
    });
    expect(r.birth.father).toEqual({ name: 'John Smith', idNumber: null, linked: false });
    expect((await getPerson(ctx, r.person.idNumber)).birth!.father).toEqual({ name: 'John Smith', idNumber: null, linked: false });
  });

  it('refuses a second registration with the same certificate (409 BIRTH_CERTIFICATE_USED), also when both race', async () => {
    const family = await newFamily(ctx);
    const cert = nextCertificate();
    const birth = (name: string) =>
      version(family.householdNumber).then((v) =>
        registerBirth(ctx, { householdNumber: family.householdNumber, expectedVersion: v, name, sex: '1', birthDate: '2024-06-05', ethnicity: '01', relationship: '20', birthCertificateNumber: cert }),
      );
    await birth('张一');
    await expect(birth('张二')).rejects.toMatchObject({ code: 'BIRTH_CERTIFICATE_USED', details: { birthCertificateNumber: cert } });
    const other = await newFamily(ctx);
    const racing = nextCertificate();
    const results = await Promise.allSettled(
      [family, other].map((f, i) =>
        version(f.householdNumber).then((v) =>
          registerBirth(ctx, { householdNumber: f.householdNumber, expectedVersion: v, name: `赵${i}`, sex: '2', birthDate: '2024-06-06', ethnicity: '01', relationship: '30', birthCertificateNumber: racing }),
        ),
      ),
    );
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((x) => x.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'BIRTH_CERTIFICATE_USED' });
  });

  it('checks the certificate format and the parents, listing every problem in one 422', async () => {
    const family = await newFamily(ctx);
    const stranger = await addAdult(ctx, family, '10', '2', '孙丽');
    await expect(
      registerBirth(ctx, {
        householdNumber: family.householdNumber,
        expectedVersion: await version(family.householdNumber),
        name: '张错',
        sex: '1',
        birthDate: '2024-06-07',
        ethnicity: '01',
        relationship: '20',
        birthCertificateNumber: '1234567890',
        mother: { idNumber: family.head.idNumber }, // registered male
        father: { idNumber: composeIdNumber('110105', '19800101', 999) }, // nobody holds it
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_CODE',
      details: expect.arrayContaining([
        expect.objectContaining({ field: 'birthCertificateNumber', code: 'BIRTH_CERTIFICATE_FORMAT' }),
        expect.objectContaining({ field: 'mother.idNumber', code: 'PARENT_SEX' }),
        expect.objectContaining({ field: 'father.idNumber', code: 'PARENT_NOT_REGISTERED' }),
      ]),
    });
    await expect(
      registerBirth(ctx, {
        householdNumber: family.householdNumber,
        expectedVersion: await version(family.householdNumber),
        name: '张错',
        sex: '1',
        birthDate: '2024-06-07',
        ethnicity: '01',
        relationship: '20',
        mother: { idNumber: stranger, name: '孙莉' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_CODE', details: [expect.objectContaining({ field: 'mother.name', code: 'PARENT_NAME_MISMATCH' })] });
  });

  it("registers the child only in a parent's household (409 BIRTH_HOUSEHOLD_NOT_PARENTS elsewhere)", async () => {
    const parents = await newFamily(ctx);
    const elsewhere = await newFamily(ctx);
    await expect(
      registerBirth(ctx, {
        householdNumber: elsewhere.householdNumber,
        expectedVersion: await version(elsewhere.householdNumber),
        name: '张外',
        sex: '1',
        birthDate: '2024-06-08',
        ethnicity: '01',
        relationship: '99',
        father: { idNumber: parents.head.idNumber },
      }),
    ).rejects.toMatchObject({ code: 'BIRTH_HOUSEHOLD_NOT_PARENTS' });
    expect((await getHousehold(ctx, elsewhere.householdNumber)).members).toHaveLength(1); // nothing written
  });
});
