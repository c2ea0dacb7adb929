import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
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
}

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

  useEffect(() => {
    refresh().catch(() => setLoading(false));
  }, [refresh]);

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
    () => ({ me, access: deriveAccess(me), loading, signIn, signOut, refresh }),
    [me, loading, signIn, signOut, refresh],
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
