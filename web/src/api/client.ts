/**
 * The one way the app calls the API: same-origin JSON with the session cookie, the CSRF token on
 * writes, the officer's stated purpose (X-Purpose) on reads of personal data. When the session has
 * expired or owes its second factor, the call waits for the re-authentication dialog (the page and
 * its half-filled form stay as they are) and is then retried once — with the same idempotency key,
 * so a write the server already did is not done twice.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export type ReauthReason = 'SESSION_EXPIRED' | 'SECOND_FACTOR_REQUIRED';
let reauthenticate: ((reason: ReauthReason) => Promise<void>) | null = null;
/** Installed by the auth provider while someone is signed in; resolves once they have signed in again. */
export function onReauthNeeded(handler: ((reason: ReauthReason) => Promise<void>) | null): void {
  reauthenticate = handler;
}

export interface CallOptions {
  body?: unknown;
  /** `case:<reference>` or `application:<id>`: why an officer reads this record. */
  purpose?: string;
  /** No re-authentication dialog (the login calls themselves). */
  noReauth?: boolean;
}

const REAUTH_CODES = new Set(['SESSION_EXPIRED', 'SECOND_FACTOR_REQUIRED', 'UNAUTHENTICATED']);

export async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.purpose) headers['x-purpose'] = options.purpose;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached.', null, null);
  }
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  let error: ApiError;
  try {
    const body = (await res.json()) as { error: { code: string; message: string; details: unknown; requestId: string } };
    error = new ApiError(res.status, body.error.code, body.error.message, body.error.details, body.error.requestId);
  } catch {
    error = new ApiError(res.status, res.status >= 500 ? 'INTERNAL' : 'UNKNOWN', res.statusText, null, null);
  }
  if (!options.noReauth && reauthenticate && REAUTH_CODES.has(error.code)) {
    await reauthenticate(error.code === 'SECOND_FACTOR_REQUIRED' ? 'SECOND_FACTOR_REQUIRED' : 'SESSION_EXPIRED');
    return call<T>(method, path, { ...options, noReauth: true });
  }
  throw error;
}

export const get = <T>(path: string, options?: CallOptions) => call<T>('GET', path, options);
export const post = <T>(path: string, body?: unknown, options?: CallOptions) => call<T>('POST', path, { ...options, body: body ?? {} });

/** A fresh client transaction id for one write (kept across its retries). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; plain http on a LAN address has only getRandomValues
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
