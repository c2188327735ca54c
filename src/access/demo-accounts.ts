import type { Db } from '../platform/db/database.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import * as q from './access.queries.ts';
import { createAccount } from './accounts.service.ts';
import { PLATFORM_AUTHORITY, type AccountRole } from './roles.ts';
import { API_TOKEN_PREFIX, tokenHash } from './secrets.ts';

export interface DemoAccount {
  username: string;
  /** Null for the department client, which authenticates with `apiToken` only. */
  password: string | null;
  role: AccountRole;
  authorityId: string;
  totpSecret?: string;
  /** The department client's bearer token. */
  apiToken?: string;
  /** Citizens: the linked person record, or null when the register was empty. */
  personId?: number | null;
}

/**
 * Demo accounts, one per role, at Beijing Chaoyang (朝阳区, 110105): the 建外街道 police station, the
 * district bureau (registrar, supervisor), the Beijing municipal bureau (statistician) and the Ministry
 * (administrator); Beijing's districts sit directly under the municipality (no prefecture level).
 * Then officers at both places of the demo family (src/app/demo-people.ts): the hukou place, Chengdu
 * 锦江区 (锦官驿街道 station, district bureau, and the 成都市 prefecture bureau for moves between
 * its districts), and the residence place, Shenzhen 南山区 (南头街道 station, district bureau).
 * Passwords and TOTP secrets are fixed and public: demo data only, never for a real deployment.
 */
const DEMO: readonly (Omit<DemoAccount, 'personId' | 'password' | 'apiToken'> & { password: string; displayName: string })[] = [
  { username: 'demo-counter', displayName: '演示·受理民警', password: 'counter-demo-2024', role: 'counter_officer', authorityId: 'station-110105001', totpSecret: 'HUKOUDEMOCOUNTEROFFICERJIANWAIAA' },
  { username: 'demo-registrar', displayName: '演示·户籍民警', password: 'registrar-demo-2024', role: 'registration_officer', authorityId: 'county-110105', totpSecret: 'HUKOUDEMOREGISTRATIONOFFICERAAAA' },
  { username: 'demo-supervisor', displayName: '演示·户籍科长', password: 'supervisor-demo-2024', role: 'supervisor', authorityId: 'county-110105', totpSecret: 'HUKOUDEMOSUPERVISORBEIJINGAAAAAA' },
  { username: 'demo-statistician', displayName: '演示·统计员', password: 'statistician-demo-2024', role: 'statistician', authorityId: 'prov-110000' },
  { username: 'demo-admin', displayName: '演示·系统管理员', password: 'admin-demo-2024', role: 'administrator', authorityId: 'mps', totpSecret: 'HUKOUDEMOADMINISTRATORMPSAAAAAAA' },
  { username: 'demo-citizen', displayName: '演示·居民', password: 'citizen-demo-2024', role: 'citizen', authorityId: 'mps' },
  { username: 'demo-chengdu-counter', displayName: '演示·锦官驿受理民警', password: 'chengdu-counter-2024', role: 'counter_officer', authorityId: 'station-510104017', totpSecret: 'HUKOUDEMOCHENGDUCOUNTERAAAAAAAAA' },
  { username: 'demo-chengdu-registrar', displayName: '演示·锦江区户籍民警', password: 'chengdu-registrar-2024', role: 'registration_officer', authorityId: 'county-510104', totpSecret: 'HUKOUDEMOCHENGDUREGISTRARAAAAAAA' },
  { username: 'demo-chengdu-city', displayName: '演示·成都市局户籍民警', password: 'chengdu-city-2024', role: 'registration_officer', authorityId: 'pref-510100', totpSecret: 'HUKOUDEMOCHENGDUCITYBUREAUAAAAAA' },
  { username: 'demo-shenzhen-counter', displayName: '演示·南头受理民警', password: 'shenzhen-counter-2024', role: 'counter_officer', authorityId: 'station-440305001', totpSecret: 'HUKOUDEMOSHENZHENCOUNTERAAAAAAAA' },
  { username: 'demo-shenzhen-registrar', displayName: '演示·南山区户籍民警', password: 'shenzhen-registrar-2024', role: 'registration_officer', authorityId: 'county-440305', totpSecret: 'HUKOUDEMOSHENZHENREGISTRARAAAAAA' },
];

/** The department client has no password; its demo API token is fixed (and therefore public). */
const DEMO_CLIENT = { username: 'demo-department', displayName: '演示·教育部门接口', role: 'department_client' as const, apiToken: `${API_TOKEN_PREFIX}demo-department-token-public-not-secret` };

/**
 * Creates the demo accounts that do not exist yet (idempotent) and returns every demo credential.
 * The citizen is linked to the first living person without an account; when the register is still
 * empty it is created unlinked, and linked on a later run once a person exists.
 */
export async function seedDemoAccounts(db: Db, clock: Clock = systemClock, opts: { citizenIdNumber?: string } = {}): Promise<DemoAccount[]> {
  const ctx = { db, clock, actor: SYSTEM_ACTOR };
  const out: DemoAccount[] = [];
  for (const d of DEMO) {
    let account = await q.findAccountByUsername(db, d.username);
    if (!account) {
      // the citizen: the demo person README uses when there is one, else the first person without an account
      const personId = d.role === 'citizen' && !opts.citizenIdNumber ? await q.firstUnlinkedPersonId(db) : null;
      const created = await createAccount(ctx, {
        ...(d.role === 'citizen' && opts.citizenIdNumber ? { personIdNumber: opts.citizenIdNumber } : {}),
        username: d.username,
        displayName: d.displayName,
        role: d.role,
        authorityId: d.authorityId,
        password: d.password,
        totpSecret: d.totpSecret,
      });
      if (personId !== null) {
        await q.updateAccount(db, created.account.id, { person_id: personId }, clock.now());
        await q.insertAccountEvent(db, { accountId: created.account.id, kind: 'person_linked', at: clock.now(), actorId: SYSTEM_ACTOR.id, ip: null, detail: { personId } });
      }
      account = await q.findAccountByUsername(db, d.username);
    } else if (d.role === 'citizen' && account.person_id === null) {
      const personId = await q.firstUnlinkedPersonId(db);
      if (personId !== null) {
        await q.updateAccount(db, account.id, { person_id: personId }, clock.now());
        await q.insertAccountEvent(db, { accountId: account.id, kind: 'person_linked', at: clock.now(), actorId: SYSTEM_ACTOR.id, ip: null, detail: { personId } });
        account = await q.findAccountByUsername(db, d.username);
      }
    }
    const entry: DemoAccount = { username: d.username, password: d.password, role: d.role, authorityId: d.authorityId };
    if (d.totpSecret) entry.totpSecret = d.totpSecret;
    if (d.role === 'citizen') entry.personId = account?.person_id ?? null;
    out.push(entry);
  }
  if (!(await q.findAccountByUsername(db, DEMO_CLIENT.username))) {
    const created = await createAccount(ctx, { username: DEMO_CLIENT.username, displayName: DEMO_CLIENT.displayName, role: DEMO_CLIENT.role });
    const now = clock.now();
    await q.insertApiToken(db, {
      token_hash: tokenHash(DEMO_CLIENT.apiToken),
      account_id: created.account.id,
      name: 'demo token',
      prefix: DEMO_CLIENT.apiToken.slice(0, 9),
      created_at: now,
      created_by: SYSTEM_ACTOR.id,
      expires_at: null,
    });
  }
  out.push({ username: DEMO_CLIENT.username, password: null, role: DEMO_CLIENT.role, authorityId: PLATFORM_AUTHORITY, apiToken: DEMO_CLIENT.apiToken });
  return out;
}
