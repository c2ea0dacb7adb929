import { http, type Page, type Query } from './http';

export interface AuditEntry {
  sequence: number;
  created_at: string;
  actor: number | null;
  actor_username: string;
  organisation: number | null;
  action: string;
  object_type: string;
  object_id: string;
  before: unknown;
  after: unknown;
  tx_hash: string;
  prev_hash: string;
  entry_hash: string;
}

export interface AuditVerify {
  intact: boolean;
  checked: number;
  first_broken_sequence: number | null;
  problem: string | null;
}

/** GET /api/audit/entries */
export const listAuditEntries = (query?: Query) => http.get<Page<AuditEntry>>('/api/audit/entries', query);
/** GET /api/audit/verify */
export const verifyAuditChain = () => http.get<AuditVerify>('/api/audit/verify');
