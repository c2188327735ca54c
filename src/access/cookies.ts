import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Session cookies. `__Host-` names force Secure, Path=/ and no Domain in browsers (RFC 6265bis
 * §4.1.3.2); browsers treat http://localhost as secure, so this works in development too.
 * The session cookie is HttpOnly; the CSRF cookie is readable by the page, which echoes it in
 * `X-CSRF-Token` (signed double-submit: the value is an HMAC of the session token).
 */
export const SESSION_COOKIE = '__Host-hukou_session';
export const CSRF_COOKIE = '__Host-hukou_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
    }
  }
  return null;
}

function cookie(name: string, value: string, maxAgeSeconds: number, httpOnly: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; Secure; SameSite=Strict${httpOnly ? '; HttpOnly' : ''}`;
}

export function setSessionCookies(reply: FastifyReply, sessionToken: string, csrfToken: string, expiresAt: Date, now: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  reply.header('set-cookie', [cookie(SESSION_COOKIE, sessionToken, maxAge, true), cookie(CSRF_COOKIE, csrfToken, maxAge, false)]);
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.header('set-cookie', [cookie(SESSION_COOKIE, '', 0, true), cookie(CSRF_COOKIE, '', 0, false)]);
}
