import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, get, onReauthNeeded, post, setCsrfToken, type ReauthReason } from '../api/client';
import type { Login, Role, WhoAmI } from '../api/types';
import { ReauthModal } from './ReauthModal';

export interface Session {
  whoami: WhoAmI | null;
  /** Still asking the server who we are (first load). */
  loading: boolean;
  role: Role | null;
  /** Password step: true when the account still owes its TOTP code. */
  logIn(username: string, password: string): Promise<Login['state']>;
  verifyTotp(code: string): Promise<Login['state']>;
  logOut(): Promise<void>;
  refresh(): Promise<void>;
}

const AuthContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(AuthContext);
  if (!s) throw new Error('useSession outside AuthProvider');
  return s;
}

const OFFICER_ROLES: readonly Role[] = ['counter_officer', 'registration_officer', 'supervisor'];
export const isOfficer = (role: Role | null | undefined) => !!role && OFFICER_ROLES.includes(role);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [whoami, setWhoami] = useState<WhoAmI | null>(null);
  const [loading, setLoading] = useState(true);
  const [reauth, setReauth] = useState<{ reason: ReauthReason; resolve: () => void; reject: (e: unknown) => void } | null>(null);
  const pending = useRef<Promise<void> | null>(null);

  const refresh = useCallback(async () => {
    try {
      const me = await get<WhoAmI>('/api/v1/auth/whoami', { noReauth: true });
      setCsrfToken(me.csrfToken);
      setWhoami(me.secondFactor === 'pending' ? null : me);
    } catch {
      setWhoami(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // While signed in, an expired session or a second-factor prompt opens the dialog instead of losing the page.
  useEffect(() => {
    if (!whoami) {
      onReauthNeeded(null);
      return;
    }
    onReauthNeeded((reason) => {
      pending.current ??= new Promise<void>((resolve, reject) => setReauth({ reason, resolve, reject })).finally(() => {
        pending.current = null;
        setReauth(null);
      });
      return pending.current;
    });
    return () => onReauthNeeded(null);
  }, [whoami]);

  const logIn = useCallback(async (username: string, password: string) => {
    const res = await post<Login>('/api/v1/auth/login', { username, password }, { noReauth: true });
    setCsrfToken(res.csrfToken);
    if (res.state === 'authenticated') await refresh();
    return res.state;
  }, [refresh]);

  const verifyTotp = useCallback(async (code: string) => {
    const res = await post<Login>('/api/v1/auth/totp', { code }, { noReauth: true });
    setCsrfToken(res.csrfToken);
    if (res.state === 'authenticated') await refresh();
    return res.state;
  }, [refresh]);

  const logOut = useCallback(async () => {
    try {
      await post('/api/v1/auth/logout', undefined, { noReauth: true });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
    setCsrfToken(null);
    setWhoami(null);
  }, []);

  const value = useMemo<Session>(
    () => ({ whoami, loading, role: whoami?.account?.role ?? null, logIn, verifyTotp, logOut, refresh }),
    [whoami, loading, logIn, verifyTotp, logOut, refresh],
  );

  return (
    <AuthContext.Provider value={value}>
      {children}
      {reauth && whoami?.account && (
        <ReauthModal
          reason={reauth.reason}
          username={whoami.account.username}
          secondFactor={whoami.account.secondFactorEnrolled}
          onDone={() => reauth.resolve()}
          onCancel={() => {
            reauth.reject(new ApiError(401, 'SESSION_EXPIRED', 'signed out', null, null));
            setCsrfToken(null);
            setWhoami(null);
          }}
        />
      )}
    </AuthContext.Provider>
  );
}
