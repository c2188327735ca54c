import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildApp } from '../src/app/build-app.ts';
import { ensureWebBuild } from '../src/app/web.ts';
import { createAccount, SYSTEM_ACTOR } from '../src/access/index.ts';
import { applyForCard, confirmApplication, deliverCard } from '../src/idcards/index.ts';
import { registerResidence } from '../src/residence/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { ctxOn, newPerson, PLACE, station, type TestPerson } from '../test/persons.ts';
import { launchChromium, signIn } from './browser.ts';

/**
 * The web application in a real browser (Debian's chromium via playwright-core) against the real
 * server on a test database: the citizen portal and the officer workbench, axe (WCAG 2.2 AA) on
 * every page visited, the portal at 360 px. On failure a screenshot and a Playwright trace are kept
 * under test-results/e2e/. First meaningful paint is logged per page (measured, not asserted).
 */
const RESULTS = 'test-results/e2e';
const TODAY = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // China date
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let citizenPerson: TestPerson;
let chaoyangHousehold: TestPerson;
const accounts: Record<'citizen' | 'counter' | 'registrar', { username: string; password: string; totp?: string }> = {} as never;
const paints: string[] = [];

async function account(role: 'citizen' | 'counter_officer' | 'registration_officer', authorityId: string | undefined, personIdNumber?: string) {
  const username = `e2e-${role.replace('_', '-')}-${process.pid}`;
  const password = `E2e-${role}-Browser-Pass-2026`;
  const created = await createAccount({ db: tdb.db, clock: systemClock, actor: SYSTEM_ACTOR }, { username, displayName: `E2E ${role}`, role, authorityId, personIdNumber, password });
  return { username, password, ...(created.totp ? { totp: created.totp.secret } : {}) };
}

beforeAll(async () => {
  const webRoot = await ensureWebBuild();
  tdb = await createTestDatabase();
  const db = tdb.db;
  // A citizen with hukou in Guangzhou (荔湾) living in Beijing (朝阳, 建外): a delivered card, residence registered in Beijing.
  citizenPerson = await newPerson(db, { birthDate: '1990-05-20', name: '李晓梅' });
  const first = await applyForCard(ctxOn(db, TODAY), { idNumber: citizenPerson.idNumber, kind: 'first', authorityId: station(PLACE.guangzhouLiwan) });
  await confirmApplication(ctxOn(db, TODAY), { applicationId: first.id });
  await deliverCard(ctxOn(db, TODAY), { applicationId: first.id });
  await registerResidence(ctxOn(db, TODAY), { idNumber: citizenPerson.idNumber, authorityId: station(PLACE.beijingChaoyang), address: '建国门外大街1号' });
  chaoyangHousehold = await newPerson(db, { birthDate: '1992-02-02', township: PLACE.beijingChaoyang, name: '赵文' });
  accounts.citizen = await account('citizen', undefined, citizenPerson.idNumber);
  accounts.counter = await account('counter_officer', station(PLACE.beijingChaoyang));
  accounts.registrar = await account('registration_officer', 'county-110105');
  app = await buildApp({ db, logger: false, webRoot });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  mkdirSync(RESULTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await tdb?.close();
  if (paints.length) process.stdout.write(`first meaningful paint (ms, h1 visible after navigation start):\n  ${paints.join('\n  ')}\n`);
});

/** A context with tracing; on failure the trace and a screenshot of each page are kept. */
async function withContext(name: string, options: { width: number; lang?: 'zh' | 'en' }, fn: (page: Page) => Promise<void>): Promise<void> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: options.width, height: 800 } });
  await context.tracing.start({ screenshots: true, snapshots: true });
  const page = await context.newPage();
  if (options.lang === 'en') await page.addInitScript(() => localStorage.setItem('hukou.lang', 'en'));
  try {
    await fn(page);
    await context.tracing.stop();
  } catch (e) {
    await page.screenshot({ path: `${RESULTS}/${name}.png`, fullPage: true }).catch(() => undefined);
    await context.tracing.stop({ path: `${RESULTS}/${name}-trace.zip` }).catch(() => undefined);
    throw e;
  } finally {
    await context.close();
  }
}

/**
 * WCAG 2.2 A/AA rules of axe on the page once its running animations have ended: a toast measured
 * mid-fade, or a dropdown mid-close, is not what a user reads.
 */
async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime))) // not a spinner's endless loop
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const summary = result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(summary, `axe on ${what}`).toEqual([]);
}

/** Opens a page by URL, waits for its title, logs the paint time, runs axe. */
async function visit(page: Page, path: string, heading: RegExp): Promise<void> {
  await page.goto(`${base}${path}`);
  await expect.poll(() => page.getByRole('heading', { level: 1, name: heading }).isVisible(), { timeout: 15_000 }).toBe(true);
  const ms = await page.evaluate(() => Math.round(performance.now()));
  paints.push(`${path} ${ms}`);
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, path);
}

async function noHorizontalScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, 'page wider than the screen').toBeLessThanOrEqual(width);
}

/** Picks an option of an Ant Design select by typing into it. */
async function choose(page: Page, label: RegExp, text: string): Promise<void> {
  const input = page.getByLabel(label);
  await input.click();
  await input.fill(text);
  await page.keyboard.press('Enter');
  // the choice closes the dropdown; wait until it is gone (axe run during its closing animation saw
  // Ant Design's open listbox, which has no accessible name of its own)
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
}

describe('the web application in chromium', { timeout: 120_000 }, () => {
  it('citizen at 360 px: signs in, sees the household booklet with themselves marked and the ID card; every page passes axe', async () => {
    await withContext('citizen-360', { width: 360 }, async (page) => {
      await page.goto(`${base}/`);
      await expectAccessible(page, 'login');
      await signIn(page, base, accounts.citizen.username, accounts.citizen.password);
      await visit(page, '/me', /我的户籍服务/);
      await noHorizontalScroll(page);
      await visit(page, '/me/household', /我的户口簿/);
      await expect.poll(() => page.getByRole('article').count().catch(() => 0)).toBeGreaterThanOrEqual(0);
      const mine = page.locator('.booklet-page', { hasText: citizenPerson.idNumber });
      await expect.poll(() => mine.getByText('本人').isVisible()).toBe(true);
      await noHorizontalScroll(page);
      await visit(page, '/me/id-card', /我的身份证和居住证/);
      await expect.poll(() => page.getByText('有效', { exact: true }).first().isVisible()).toBe(true);
      await noHorizontalScroll(page);
      await visit(page, '/me/access-log', /谁查看了我的信息/);
      await noHorizontalScroll(page);
    });
  });

  it('citizen reports the card lost; the counter officer at the residence place (Beijing) accepts the reissue; the officer’s read shows in the citizen’s trail', async () => {
    await withContext('lost-card-citizen', { width: 1280 }, async (page) => {
      await signIn(page, base, accounts.citizen.username, accounts.citizen.password);
      await visit(page, '/me/id-card', /我的身份证和居住证/);
      await page.getByRole('button', { name: '挂失身份证' }).click();
      await page.getByRole('button', { name: '确认挂失' }).click();
      await expect.poll(() => page.getByText('已挂失', { exact: true }).first().isVisible(), { timeout: 10_000 }).toBe(true);
      await expectAccessible(page, '/me/id-card after the loss report');
    });
    await withContext('reissue-officer', { width: 1280, lang: 'en' }, async (page) => {
      await signIn(page, base, accounts.counter.username, accounts.counter.password, accounts.counter.totp);
      await visit(page, '/work/id-cards', /ID card counter/);
      await page.getByLabel('Citizen ID number').fill(citizenPerson.idNumber);
      await page.getByRole('button', { name: 'Accept', exact: true }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Done' }).isVisible(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => page.getByText('Reissue').first().isVisible()).toBe(true);
      await expect.poll(() => page.getByText('Other province').first().isVisible()).toBe(true);
      await expectAccessible(page, '/work/id-cards after accepting');
      // the same officer reads the citizen's record for a case: purpose first
      await visit(page, '/work/lookup', /Person and household lookup/);
      await page.getByLabel(/Purpose/).first().fill('E2E-CASE-7');
      await page.getByLabel('Citizen ID number').fill(citizenPerson.idNumber);
      await page.getByRole('button', { name: 'Show' }).click();
      await expect.poll(() => page.getByText('case:E2E-CASE-7').first().isVisible(), { timeout: 10_000 }).toBe(true);
      await expectAccessible(page, '/work/lookup with a record');
      await visit(page, '/work', /Work queues/);
      await visit(page, '/work/residence', /Residence registration and permits/);
    });
    await withContext('trail-citizen', { width: 1280 }, async (page) => {
      await signIn(page, base, accounts.citizen.username, accounts.citizen.password);
      await visit(page, '/me/access-log', /谁查看了我的信息/);
      await expect.poll(() => page.getByText('查看了您的户籍记录').first().isVisible()).toBe(true);
      await expect.poll(() => page.getByText('事由：case:E2E-CASE-7').first().isVisible()).toBe(true);
    });
  });

  it('a registration officer registers a birth through the guided form and sees the new ID number', async () => {
    await withContext('birth-registrar', { width: 1280 }, async (page) => {
      await signIn(page, base, accounts.registrar.username, accounts.registrar.password, accounts.registrar.totp);
      await visit(page, '/work', /待办事项/);
      await expect.poll(() => page.getByText(citizenPerson.name).first().isVisible().catch(() => false)).toBe(false);
      await visit(page, '/work/register', /户籍登记/);
      await page.getByLabel(/查询事由/).fill('BIRTH-2026-01');
      await page.getByLabel('户号').fill(chaoyangHousehold.householdNumber);
      await page.getByRole('button', { name: '载入户' }).click();
      await expect.poll(() => page.getByText(`户 ${chaoyangHousehold.householdNumber}`).isVisible(), { timeout: 10_000 }).toBe(true);
      await page.getByLabel('姓名', { exact: true }).fill('赵小雨');
      await choose(page, /^性别$/, '女');
      const birth = page.getByLabel('出生日期');
      await birth.click();
      await birth.fill(TODAY);
      await page.keyboard.press('Enter');
      await choose(page, /^民族$/, '汉');
      await expectAccessible(page, '/work/register birth form');
      await page.getByRole('button', { name: '登记出生' }).click();
      await expect.poll(() => page.getByText(/已登记：赵小雨，公民身份号码 110105\d{11}[\dX]/).isVisible(), { timeout: 10_000 }).toBe(true);
    });
  });
});
