import { fetchAll, http, type Page, type Query } from './http';
import type { OrgRef } from './receivables';

export interface OperationBrief {
  operation_id: number;
  status: string;
  operation_url: string;
  function: string;
  tx_hash: string;
  block_number: number | null;
  error: { name: string; args: unknown; message: string } | null;
}

export interface CreditLine {
  id: number;
  bank: OrgRef;
  core_enterprise: OrgRef;
  status: 'active' | 'frozen' | 'expired';
  status_display: string;
  limit_fen: number;
  limit_yuan: string;
  expires_on: string;
  use: {
    limit_fen: number;
    limit_yuan: string;
    used_fen: number;
    used_yuan: string;
    available_fen: number;
    available_yuan: string;
    expiry: number;
    frozen: boolean;
    block: number | null;
  };
  created_at: string;
  updated_at: string;
}

export interface CreditLineChange {
  id: number;
  kind: 'set' | 'freeze' | 'unfreeze' | 'expire';
  kind_display: string;
  status: 'proposed' | 'rejected' | 'submitted' | 'applied' | 'failed';
  status_display: string;
  bank: OrgRef;
  core_enterprise: OrgRef;
  line: number | null;
  limit_fen: number | null;
  limit_yuan: string | null;
  expires_on: string | null;
  previous_limit_fen: number | null;
  previous_limit_yuan: string | null;
  previous_expires_on: string | null;
  previous_status: string;
  approval: { id: number; status: string; url: string } | null;
  operation: OperationBrief | null;
  proposed_by: string | null;
  decided_by: string | null;
  decided_at: string | null;
  rejection_reason: string;
  error: unknown;
  created_at: string;
  applied_at: string | null;
}

export type ApplicationStatus =
  | 'locking' | 'submitted' | 'accepting' | 'approving' | 'declining' | 'withdrawing'
  | 'financed' | 'disbursed' | 'declined' | 'withdrawn' | 'failed';

export type QuoteStatus = 'proposed' | 'offered' | 'accepted' | 'financed' | 'rejected' | 'lapsed' | 'failed';

export interface FinancingQuote {
  id: number;
  application: number;
  bank: OrgRef;
  status: QuoteStatus;
  status_display: string;
  face_fen: number;
  face_yuan: string;
  annual_rate: string;
  value_date: string;
  maturity_date: string;
  days: number;
  day_count_basis: number;
  interest_fen: number;
  interest_yuan: string;
  fees_fen: number;
  fees_yuan: string;
  net_proceeds_fen: number;
  net_proceeds_yuan: string;
  formula: string;
  approval: { id: number; status: string; url: string } | null;
  proposed_by: string;
  decided_by: string | null;
  decided_at: string | null;
  accepted_at: string | null;
  rejection_reason: string;
  created_at: string;
}

export interface FinancingApplication {
  id: number;
  status: ApplicationStatus;
  status_display: string;
  multi_bank: boolean;
  applicant: OrgRef;
  applied_by: string;
  token_id: number;
  root_id: number;
  amount_fen: number;
  amount_yuan: string;
  maturity: number;
  maturity_date: string;
  locked_token_id: number | null;
  lock_bank: OrgRef | null;
  banks: { bank: OrgRef; status: 'open' | 'selected' | 'declined' | 'lapsed'; reason: string; decided_at: string | null }[];
  accepted_quote: number | null;
  invoice_numbers: string[];
  trade_reference: string;
  disbursement: { payment_reference: string; disbursed_on: string; amount_fen: number; amount_yuan: string } | null;
  last_error: Record<string, unknown>;
  operations: { kind: string; bank: number; quote: number | null; operation: OperationBrief; created_at: string }[];
  created_at: string;
  updated_at: string;
}

export interface LineageStep {
  token_id: number;
  parent_id: number;
  root_id: number;
  owner: string;
  owner_name: string;
  balance_fen: number;
  balance_yuan: string;
  status: string;
  frozen: boolean;
}

export interface FinancingApplicationDetail extends FinancingApplication {
  kyc: { organisation_status: string; kyc_status: string; kyc_expires_on: string | null; kyc_reviewed_at: string | null; on_chain: boolean };
  lineage: LineageStep[];
  root: {
    root_id: number;
    debtor: string;
    debtor_name: string;
    bank: string;
    bank_name: string;
    maturity: number;
    maturity_date: string;
    face_value_fen: number;
    face_value_yuan: string;
    settled_amount_fen: number;
    settled_amount_yuan: string;
    trade_hash: string;
    invoice_hashes: string[];
    issue_tx_hash: string;
  } | null;
  quotes: FinancingQuote[];
}

/** 202 bodies of banking's chain-backed actions: the operation in brief, plus the domain object. */
export type Accepted202<T> = OperationBrief & T;

export interface ClearingBatch {
  id: number;
  core_enterprise: OrgRef;
  status: 'awaiting_funding' | 'settling' | 'partially_settled' | 'settled';
  status_display: string;
  root_ids: number[];
  total_fen: number;
  total_yuan: string;
  chain_time: number;
  payment_reference: string;
  paid_on: string | null;
  confirmed_by: string | null;
  confirmed_at: string | null;
  created_at: string;
}
export interface ClearingItem {
  token_id: number;
  root_id: number;
  maturity: number;
  holder_address: string;
  holder: OrgRef | null;
  amount_fen: number;
  amount_yuan: string;
  chain_status: string;
  frozen: boolean;
  overdue: boolean;
  status: string;
  status_display: string;
  blocked_reason: string;
  operation: OperationBrief | null;
  error: unknown;
  settled_at: string | null;
}
export interface ClearingBatchDetail extends ClearingBatch {
  items: ClearingItem[];
  operations: { kind: string; sequence: number; pieces: number; operation: OperationBrief }[];
}

// credit lines
/** GET /api/credit-lines */
export const listCreditLines = (query?: Query) => http.get<Page<CreditLine>>('/api/credit-lines', query);
/** POST /api/credit-lines/<id>/freeze (202) */
export const freezeCreditLine = (id: number) => http.post<Accepted202<{ change_id: number }>>(`/api/credit-lines/${id}/freeze`);
/** POST /api/credit-lines/<id>/unfreeze (202) */
export const unfreezeCreditLine = (id: number) => http.post<Accepted202<{ change_id: number }>>(`/api/credit-lines/${id}/unfreeze`);
/** GET /api/credit-line-changes */
export const listCreditLineChanges = (query?: Query) => http.get<Page<CreditLineChange>>('/api/credit-line-changes', query);
/** POST /api/credit-line-changes/create {core_enterprise, limit_fen, expires_on} */
export const proposeCreditLineChange = (input: { core_enterprise: number; limit_fen: number; expires_on: string }) =>
  http.post<CreditLineChange>('/api/credit-line-changes/create', input);
/** POST /api/credit-line-changes/<id>/approve (202) */
export const approveCreditLineChange = (id: number) => http.post<Accepted202<{ change_id: number }>>(`/api/credit-line-changes/${id}/approve`);
/** POST /api/credit-line-changes/<id>/reject {reason} */
export const rejectCreditLineChange = (id: number, reason: string) => http.post<CreditLineChange>(`/api/credit-line-changes/${id}/reject`, { reason });

// financing
/** GET /api/financing/applications (?status, amount_min/max, maturity_from/to, applicant_name, …) */
export const listApplications = (query?: Query) => http.get<Page<FinancingApplication>>('/api/financing/applications', query);
/** GET /api/financing/applications/<id> */
export const getApplication = (id: number) => http.get<FinancingApplicationDetail>(`/api/financing/applications/${id}`);
/** POST /api/financing/applications/create — 202 (one bank: locked on chain) or 201 (several banks) */
export const createApplication = (input: { token_id: number; amount_fen: number; bank_ids: number[]; invoice_numbers: string[]; trade_reference?: string }) =>
  http.post<FinancingApplicationDetail | Accepted202<{ application_id: number; application: FinancingApplicationDetail }>>('/api/financing/applications/create', input);
/** POST /api/financing/applications/<id>/withdraw */
export const withdrawApplication = (id: number) =>
  http.post<FinancingApplicationDetail | Accepted202<{ application_id: number }>>(`/api/financing/applications/${id}/withdraw`);
/** POST /api/financing/applications/<id>/quote {annual_rate, fees_fen, value_date} */
export const proposeQuote = (id: number, input: { annual_rate: string; fees_fen: number; value_date?: string }) =>
  http.post<FinancingQuote>(`/api/financing/applications/${id}/quote`, input);
/** POST /api/financing/applications/<id>/decline {reason} */
export const declineApplication = (id: number, reason: string) =>
  http.post<FinancingApplicationDetail | Accepted202<{ application_id: number }>>(`/api/financing/applications/${id}/decline`, { reason });
/** POST /api/financing/applications/<id>/disburse {payment_reference, disbursed_on} */
export const disburseApplication = (id: number, input: { payment_reference: string; disbursed_on: string }) =>
  http.post<FinancingApplicationDetail>(`/api/financing/applications/${id}/disburse`, input);
/** GET /api/financing/quotes */
export const listQuotes = (query?: Query) => http.get<Page<FinancingQuote>>('/api/financing/quotes', query);
/** POST /api/financing/quotes/<id>/approve — 202 when the piece passes to the bank, 200 for an offer */
export const approveQuote = (id: number) => http.post<FinancingQuote | Accepted202<{ quote_id: number; quote: FinancingQuote }>>(`/api/financing/quotes/${id}/approve`);
/** POST /api/financing/quotes/<id>/reject {reason} */
export const rejectQuote = (id: number, reason: string) =>
  http.post<FinancingQuote | Accepted202<{ quote_id: number; quote: FinancingQuote }>>(`/api/financing/quotes/${id}/reject`, { reason });
/** POST /api/financing/quotes/<id>/accept (202) */
export const acceptQuote = (id: number) => http.post<Accepted202<{ quote_id: number; quote: FinancingQuote }>>(`/api/financing/quotes/${id}/accept`);

// clearing
/** GET /api/clearing/batches */
export const listClearingBatches = (query?: Query) => http.get<Page<ClearingBatch>>('/api/clearing/batches', query);
/** GET /api/clearing/batches/<id> */
export const getClearingBatch = (id: number) => http.get<ClearingBatchDetail>(`/api/clearing/batches/${id}`);
/** POST /api/clearing/batches/<id>/confirm {payment_reference, paid_on} (202, several operations) */
export const confirmClearingBatch = (id: number, input: { payment_reference: string; paid_on: string }) =>
  http.post<{ batch_id: number; batch: ClearingBatchDetail; operations: OperationBrief[] }>(`/api/clearing/batches/${id}/confirm`, input);

/** Is this answer a 202 of a chain operation (banking's shape)? */
export function isOperation(value: unknown): value is OperationBrief {
  return typeof value === 'object' && value !== null && typeof (value as { operation_id?: unknown }).operation_id === 'number';
}

// whole lists (fetchAll: every page up to its bound, or ListTruncatedError)
/** Every credit line I can see. */
export const allCreditLines = (query?: Query) => fetchAll<CreditLine>('/api/credit-lines', query);
/** Every credit-line change I can see. */
export const allCreditLineChanges = (query?: Query) => fetchAll<CreditLineChange>('/api/credit-line-changes', query);
/** Every financing application matching the query. */
export const allApplications = (query?: Query) => fetchAll<FinancingApplication>('/api/financing/applications', query);
/** Every clearing batch I can see. */
export const allClearingBatches = (query?: Query) => fetchAll<ClearingBatch>('/api/clearing/batches', query);
