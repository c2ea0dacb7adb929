import { http } from './http';
import type { Organisation, User } from './organisations';
import type { Refine, Schemas } from './schema';

export type OrganisationKind = Schemas['OrganisationCreateInputKindEnum'];
export type Role = Schemas['RolesEnum'];
/** What the user may do, computed by the server from the API's own permission classes. */
export type Capabilities = Schemas['CapabilitiesOutput'];

export type Me = Refine<Schemas['MeOutput'], { user: User; organisation: Organisation }>;

/** GET /api/auth/csrf — sets the csrftoken cookie. */
export const getCsrf = () => http.get<Schemas['CsrfOutput']>('/api/auth/csrf');
/** POST /api/auth/login */
export const login = (username: string, password: string) =>
  http.post<Me>('/api/auth/login', { username, password } satisfies Schemas['CredentialsInput']);
/** POST /api/auth/logout */
export const logout = () => http.post<void>('/api/auth/logout');
/** GET /api/auth/me */
export const getMe = () => http.get<Me>('/api/auth/me');
/** POST /api/auth/password — replace one's own password (ends a forced change). */
export const changePassword = (oldPassword: string, password: string) =>
  http.post<Me>('/api/auth/password', { old_password: oldPassword, password } satisfies Schemas['PasswordChangeInput']);
