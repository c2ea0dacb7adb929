import { http, type Page, type Query } from './http';
import type { Schemas } from './schema';

export type AuditEntry = Schemas['AuditEntryOutput'];
export type AuditVerify = Schemas['AuditChainVerifyOutput'];


/** GET /api/audit/entries */
export const listAuditEntries = (query?: Query) => http.get<Page<AuditEntry>>('/api/audit/entries', query);
/** GET /api/audit/verify */
export const verifyAuditChain = () => http.get<AuditVerify>('/api/audit/verify');
