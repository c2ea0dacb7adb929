import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { deriveAccess, type Access } from '../access';
import * as auth from '../services/auth';
import { ApiError } from '../services/http';

interface Session {
  me: auth.Me | null;
  access: Access;
  loading: boolean;
  signIn: (username: string, password: string) => Promise<auth.Me>;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
  /** Ask the server who is signed in, once (the pages that need a session call it). */
  ensureLoaded: () => void;
}

/** Pages anyone may open without a session (routes outside the signed-in layout). */
export const PUBLIC_PATHS = ['/verify'];
export const isPublicPath = (pathname: string) => PUBLIC_PATHS.includes(pathname.replace(/\/+$/, '') || '/');

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<auth.Me | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      setMe(await auth.getMe());
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) setMe(null);
      else throw error;
    } finally {
      setLoading(false);
    }
  }, []);

  // Asked once, on the first page that needs it: the public pages (the verification page a
  // document's QR code opens) never ask, so an anonymous visitor sees no 401.
  const asked = useRef(false);
  const ensureLoaded = useCallback(() => {
    if (asked.current) return;
    asked.current = true;
    refresh().catch(() => setLoading(false));
  }, [refresh]);

  useEffect(() => {
    if (!isPublicPath(window.location.pathname)) ensureLoaded();
  }, [ensureLoaded]);

  const signIn = useCallback(async (username: string, password: string) => {
    await auth.getCsrf();
    const next = await auth.login(username, password);
    setMe(next);
    return next;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await auth.logout();
    } finally {
      setMe(null);
    }
  }, []);

  const value = useMemo<Session>(
    () => ({ me, access: deriveAccess(me), loading, signIn, signOut, refresh, ensureLoaded }),
    [me, loading, signIn, signOut, refresh, ensureLoaded],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export function useAccess(): Access {
  return useSession().access;
}
