import { http, type Page, type Query } from './http';
import type { OrganisationKind, Role } from './auth';
import type { Refine, Schemas } from './schema';
import type { ApprovalRequest } from './approvals';

export type Organisation = Refine<Schemas['OrganisationOutput'], { kind: OrganisationKind; status: 'active' | 'suspended' }>;
export type User = Refine<Schemas['UserOutput'], { roles: Role[] }>;
export type OrganisationCreateInput = Schemas['OrganisationCreateInput'];

export type OrganisationUpdateInput = Schemas['OrganisationUpdateInput'];
export type UserCreateInput = Refine<Schemas['UserCreateInput'], { roles: Role[] }>;
export type UserGrantOutput = Refine<Schemas['UserGrantOutput'], { roles: Role[] }>;

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
/** POST /api/users/create (in my organisation; approver and administrator roles wait for a checker) */
export const createUser = (input: UserCreateInput) => http.post<UserGrantOutput>('/api/users/create', input);
/** POST /api/users/grants/<id>/approve (an administrator of the grantee's organisation or the platform's) */
export const approveRoleGrant = (id: number) => http.post<ApprovalRequest>(`/api/users/grants/${id}/approve`);
/** POST /api/users/grants/<id>/reject {reason} */
export const rejectRoleGrant = (id: number, reason: string) =>
  http.post<ApprovalRequest>(`/api/users/grants/${id}/reject`, { reason });

/** A member as the directory (会员名录) shows it to its business partners. */
export type DirectoryMember = Refine<Schemas['DirectoryMemberOutput'], { kind: OrganisationKind; status: 'active' | 'suspended' }>;

/** GET /api/members/directory (?search=name or credit code, kind (repeatable), status, page) */
export const listDirectory = (query?: Query, signal?: AbortSignal) =>
  http.get<Page<DirectoryMember>>('/api/members/directory', query, signal);
