/**
 * Screenshots of every page, in Chinese, in English and at phone width (360 px), against a running
 * server: `node bin/run-ts.js e2e/screenshots.ts http://127.0.0.1:8080 [outDir]`. For looking at, not a test.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, setLanguage, signIn } from './browser.ts';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const out = process.argv[3] ?? 'test-results/screenshots';
mkdirSync(out, { recursive: true });

const ACCOUNTS = {
  citizen: { username: 'demo-citizen', password: 'citizen-demo-2024', pages: ['/me', '/me/household', '/me/id-card', '/me/access-log'] },
  officer: { username: 'demo-registrar', password: 'registrar-demo-2024', totp: 'HUKOUDEMOREGISTRATIONOFFICERAAAA', pages: ['/work', '/work/lookup', '/work/register', '/work/id-cards', '/work/residence'] },
} as const;

const browser = await launchChromium();
const variants = [
  { name: 'zh', lang: 'zh', width: 1280 },
  { name: 'en', lang: 'en', width: 1280 },
  { name: '360', lang: 'zh', width: 360 },
] as const;
for (const v of variants) {
  for (const [who, acc] of Object.entries(ACCOUNTS)) {
    if (who === 'officer' && v.name !== 'zh') await new Promise((r) => setTimeout(r, 31_000)); // one TOTP code per step
    const context = await browser.newContext({ viewport: { width: v.width, height: 900 }, locale: v.lang === 'en' ? 'en-GB' : 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await setLanguage(page, v.lang);
    await page.screenshot({ path: join(out, `${v.name}-login.png`), fullPage: true });
    await signIn(page, base, acc.username, acc.password, 'totp' in acc ? acc.totp : undefined);
    for (const path of acc.pages) {
      await page.goto(`${base}${path}`);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(out, `${v.name}-${who}${path.replaceAll('/', '_')}.png`), fullPage: true });
    }
    await context.close();
  }
}
await browser.close();
process.stdout.write(`screenshots in ${out}\n`);
