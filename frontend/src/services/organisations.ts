import { http, type Page, type Query } from './http';
import type { OrganisationKind, Role } from './auth';

export interface Organisation {
  id: number;
  kind: OrganisationKind;
  kind_display: string;
  name: string;
  credit_code: string;
  legal_representative: string;
  registered_address: string;
  bank_account: { name: string; bank: string; number: string };
  status: 'active' | 'suspended';
  suspension_reason: string;
  chain_address: string | null;
  chain_roles: number;
  created_at: string;
}

export interface User {
  id: number;
  username: string;
  email: string;
  display_name: string;
  organisation: number;
  roles: Role[];
  is_active: boolean;
  last_login: string | null;
}

export interface OrganisationCreateInput {
  kind: OrganisationKind;
  name: string;
  credit_code: string;
  legal_representative: string;
  registered_address: string;
  bank_account_name?: string;
  bank_name?: string;
  bank_account_number?: string;
  admin_username?: string;
  admin_password?: string;
  admin_email?: string;
  /** Mobile or resident ID number of the administrator (stored only as a keyed hash). */
  admin_person_id?: string;
}

export type OrganisationUpdateInput = Partial<
  Pick<OrganisationCreateInput, 'name' | 'legal_representative' | 'registered_address' | 'bank_account_name' | 'bank_name' | 'bank_account_number'>
>;

/** GET /api/organisations (?kind, status, q, page) */
export const listOrganisations = (query?: Query) => http.get<Page<Organisation>>('/api/organisations', query);
/** GET /api/organisations/<id> */
export const getOrganisation = (id: number) => http.get<Organisation>(`/api/organisations/${id}`);
/** POST /api/organisations/create */
export const createOrganisation = (input: OrganisationCreateInput) => http.post<Organisation>('/api/organisations/create', input);
/** POST /api/organisations/<id>/update */
export const updateOrganisation = (id: number, input: OrganisationUpdateInput) =>
  http.post<Organisation>(`/api/organisations/${id}/update`, input);
/** POST /api/organisations/<id>/suspend */
export const suspendOrganisation = (id: number, reason: string) =>
  http.post<Organisation>(`/api/organisations/${id}/suspend`, { reason });
/** POST /api/organisations/<id>/reinstate */
export const reinstateOrganisation = (id: number) => http.post<Organisation>(`/api/organisations/${id}/reinstate`);

/** GET /api/users (my organisation's) */
export const listUsers = (query?: Query) => http.get<Page<User>>('/api/users', query);
