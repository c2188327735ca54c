import { chromium, type Browser, type Page } from 'playwright-core';
import { totpCode } from '../src/access/totp.ts';

/**
 * Debian's chromium through playwright-core (which downloads no browser): `CHROMIUM_PATH`, default
 * /usr/bin/chromium, installed by .ci/run with apt-get.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Signs in through the login page; officers' TOTP codes are computed from their (public demo) secret. */
export async function signIn(page: Page, base: string, username: string, password: string, totpSecret?: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  if (totpSecret) {
    const field = page.getByLabel(/6位动态验证码|6-digit code/);
    await field.waitFor();
    await field.fill(totpCode(totpSecret, new Date()));
    await page.getByRole('button', { name: /验\s*证|Verify/ }).click();
  }
  await page.locator('.app-header').waitFor();
}

export async function setLanguage(page: Page, lang: 'zh' | 'en'): Promise<void> {
  await page.evaluate((l) => localStorage.setItem('hukou.lang', l), lang);
}
