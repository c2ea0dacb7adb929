import { fetchAll, http, type Page, type Query } from './http';
import type { Refine, Schemas } from './schema';

// Types from the server's OpenAPI schema (./generated/schema.d.ts). Status fields the serializers
// declare as plain strings are narrowed to their model's values (Refine), for the status maps.
export type OperationBrief = Refine<Schemas['OperationAccepted'], { error: { name: string; args: unknown; message: string } | null }>;

export type CreditLine = Refine<Schemas['CreditLineOutput'], { status: 'active' | 'frozen' | 'expired' }>;
export type CreditLineChange = Refine<Schemas['CreditLineChangeOutput'], {
  kind: 'set' | 'freeze' | 'unfreeze' | 'expire';
  status: 'proposed' | 'rejected' | 'submitted' | 'applied' | 'failed';
  operation: OperationBrief | null;
}>;

export type ApplicationStatus =
  | 'locking' | 'submitted' | 'accepting' | 'approving' | 'declining' | 'withdrawing'
  | 'financed' | 'disbursed' | 'declined' | 'withdrawn' | 'failed';

export type QuoteStatus = 'proposed' | 'offered' | 'accepted' | 'financed' | 'rejected' | 'lapsed' | 'failed';

export type FinancingQuote = Refine<Schemas['FinancingQuoteOutput'], { status: QuoteStatus }>;

type ApplicationRefinements = {
  status: ApplicationStatus;
  banks: (Omit<Schemas['FinancingApplicationOutput']['banks'][number], 'status'> & { status: 'open' | 'selected' | 'declined' | 'lapsed' })[];
  operations: (Omit<Schemas['FinancingApplicationOutput']['operations'][number], 'operation'> & { operation: OperationBrief })[];
};
export type FinancingApplication = Refine<Schemas['FinancingApplicationOutput'], ApplicationRefinements>;
export type LineageStep = Schemas['FinancingLineageStep'];
export type FinancingApplicationDetail = Refine<Schemas['FinancingApplicationDetailOutput'], ApplicationRefinements & { quotes: FinancingQuote[] }>;

/** 202 bodies of banking's chain-backed actions: the operation in brief, plus the domain object. */
export type Accepted202<T> = OperationBrief & T;

export type ClearingBatch = Refine<Schemas['ClearingBatchOutput'], { status: 'awaiting_funding' | 'settling' | 'partially_settled' | 'settled' }>;
export type ClearingItem = Refine<Schemas['ClearingItemOutput'], { operation: OperationBrief | null }>;
export type ClearingBatchDetail = Refine<Schemas['ClearingBatchDetailOutput'], {
  status: ClearingBatch['status'];
  items: ClearingItem[];
  operations: (Omit<Schemas['ClearingBatchDetailOutput']['operations'][number], 'operation'> & { operation: OperationBrief })[];
}>;

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
/** POST /api/financing/applications/create — 202 (one bank: locked on chain) or 201 (several banks);
 * the banks by id or by credit code (as the member directory shows them) */
export const createApplication = (input: Schemas['FinancingApplicationCreateInput']) =>
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
