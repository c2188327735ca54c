import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256-bit random tokens (sessions, API tokens), base64url. Only their SHA-256 is stored. */
export function newToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** API tokens start `hk_` so secret scanners and people recognise them. */
export const API_TOKEN_PREFIX = 'hk_';

/**
 * CSRF token of a session: HMAC of the session token (OWASP "signed double-submit cookie" bound to
 * the session). Nothing to store; a page cannot compute it without the HttpOnly session cookie.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('hukou-csrf/1').digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
