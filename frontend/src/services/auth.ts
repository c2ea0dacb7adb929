import { http } from './http';
import type { Organisation, User } from './organisations';

export type OrganisationKind = 'platform' | 'core_enterprise' | 'supplier' | 'bank' | 'regulator';
export type Role = 'operator' | 'approver' | 'admin' | 'viewer';

export interface Me {
  user: User;
  organisation: Organisation;
  roles: Role[];
  access: {
    can_write: boolean;
    can_freeze: boolean;
    is_platform_operator: boolean;
    is_regulator: boolean;
    reads_all_organisations: boolean;
  };
}

/** GET /api/auth/csrf — sets the csrftoken cookie. */
export const getCsrf = () => http.get<{ csrf_token: string }>('/api/auth/csrf');
/** POST /api/auth/login */
export const login = (username: string, password: string) => http.post<Me>('/api/auth/login', { username, password });
/** POST /api/auth/logout */
export const logout = () => http.post<void>('/api/auth/logout');
/** GET /api/auth/me */
export const getMe = () => http.get<Me>('/api/auth/me');
