import { fetchAll, http, type Page, type Query } from './http';
import type { Refine, Schemas } from './schema';

// Types from the server's OpenAPI schema (./generated/schema.d.ts). Status fields the serializers
// declare as plain strings are narrowed to their model's values (Refine), for the status maps.
export type OrgRef = Schemas['OrganisationRef'];
export type ChainParty = Schemas['ChainParty'];
export type DocumentRef = Schemas['ReceivablesDocument'];
export type ChainError = Schemas['ChainError'];
export type OperationRef = Schemas['OperationRef'];

export type Invoice = Schemas['InvoiceOutput'];
export type TradeContract = Schemas['TradeContractOutput'] & { invoices?: Invoice[] };
export type TradeContractDetail = Schemas['TradeContractDetailOutput'];

export type VoucherStatus =
  | 'proposed' | 'declined' | 'issuing' | 'failed' | 'pending' | 'accepting' | 'accepted' | 'rejecting' | 'rejected';
export type VoucherInvoice = Schemas['ReceivablesVoucherInvoice'];
export type Voucher = Refine<Schemas['VoucherOutput'], { status: VoucherStatus }>;

export type PieceStatus = 'pending' | 'active' | 'locked' | 'settled' | 'cancelled' | 'overdue';
export type Piece = Refine<Schemas['PieceOutput'], { status: PieceStatus }>;
export type PieceDetail = Refine<Schemas['PieceDetailOutput'], { status: PieceStatus }>;
export type LineageNode = Refine<Schemas['LineageNode'], { status: PieceStatus }>;
export type Lineage = Refine<Schemas['LineageOutput'], { ancestry: LineageNode[]; tree: LineageNode[] | null }>;

export type HoldingGroup = Schemas['HoldingGroupOutput'];
export type HoldingsPage = Schemas['PaginatedHoldingGroupOutputList'];
export type VoucherMaturity = Schemas['VoucherMaturityOutput'];

export type PieceOperationKind = 'transfer' | 'split' | 'freeze' | 'unfreeze';
export type PieceOperation = Refine<Schemas['PieceOperationOutput'], {
  kind: PieceOperationKind;
  status: 'submitted' | 'confirmed' | 'failed';
}>;
export type DebtorNotice = Refine<Schemas['DebtorNoticeOutput'], { kind: 'transfer' | 'split' | 'financing' }>;

export type VoucherAccepted = Schemas['VoucherOperationAccepted'];
export type PieceOperationAccepted = Schemas['PieceOperationAccepted'];
export type VoucherIssueInput = Schemas['VoucherIssueInput'];
export type PieceTransferInput = Schemas['PieceTransferInput'];

// trade background
/** GET /api/trade-contracts */
export const listTradeContracts = (query?: Query) => http.get<Page<TradeContract>>('/api/trade-contracts', query);
/** GET /api/trade-contracts/<id> (with its invoices) */
export const getTradeContract = (id: number) => http.get<TradeContractDetail>(`/api/trade-contracts/${id}`);
/** POST /api/trade-contracts/create (multipart, with the signed contract as `file`) */
export const createTradeContract = (form: FormData) => http.upload<TradeContract>('/api/trade-contracts/create', form);
/** GET /api/trade-contracts/<id>/download */
export const downloadTradeContract = (id: number) => http.blob(`/api/trade-contracts/${id}/download`);
/** GET /api/invoices */
export const listInvoices = (query?: Query) => http.get<Page<Invoice>>('/api/invoices', query);
/** POST /api/invoices/create (multipart, with the scan as `file`) */
export const createInvoice = (form: FormData) => http.upload<Invoice>('/api/invoices/create', form);
/** GET /api/invoices/<id>/download */
export const downloadInvoice = (id: number) => http.blob(`/api/invoices/${id}/download`);

// vouchers
/** GET /api/vouchers (?issued_by_me, awaiting_my_acceptance, status, maturity_from/to, …) */
export const listVouchers = (query?: Query) => http.get<Page<Voucher>>('/api/vouchers', query);
/** GET /api/vouchers/<id> */
export const getVoucher = (id: number) => http.get<Voucher>(`/api/vouchers/${id}`);
/** GET /api/vouchers/maturities */
export const listVoucherMaturities = (query?: Query) => http.get<Page<VoucherMaturity>>('/api/vouchers/maturities', query);
/** POST /api/vouchers/issue — the maker's proposal; the checker approves /api/approvals/<approval_id>/approve */
export const proposeVoucherIssue = (input: VoucherIssueInput) => http.post<Voucher>('/api/vouchers/issue', input);
/** POST /api/vouchers/<id>/accept (202) */
export const acceptVoucher = (id: number) => http.post<VoucherAccepted>(`/api/vouchers/${id}/accept`);
/** POST /api/vouchers/<id>/reject {reason} (202) */
export const rejectVoucher = (id: number, reason: string) => http.post<VoucherAccepted>(`/api/vouchers/${id}/reject`, { reason });

// pieces
/** GET /api/pieces (?held_by_me, root, debtor, status, frozen, …) */
export const listPieces = (query?: Query) => http.get<Page<Piece>>('/api/pieces', query);
/** GET /api/pieces/<token_id> */
export const getPiece = (tokenId: number) => http.get<PieceDetail>(`/api/pieces/${tokenId}`);
/** GET /api/pieces/<token_id>/lineage */
export const getLineage = (tokenId: number) => http.get<Lineage>(`/api/pieces/${tokenId}/lineage`);
/** POST /api/pieces/<token_id>/transfer {to_organisation | to_credit_code, amount_fen} (202) */
export const transferPiece = (tokenId: number, input: PieceTransferInput) =>
  http.post<PieceOperationAccepted>(`/api/pieces/${tokenId}/transfer`, input);
/** POST /api/pieces/<token_id>/split {amounts_fen} (202) */
export const splitPiece = (tokenId: number, amountsFen: number[]) =>
  http.post<PieceOperationAccepted>(`/api/pieces/${tokenId}/split`, { amounts_fen: amountsFen } satisfies Schemas['PieceSplitInput']);
/** POST /api/pieces/<token_id>/freeze {reason} (202) */
export const freezePiece = (tokenId: number, reason: string) => http.post<PieceOperationAccepted>(`/api/pieces/${tokenId}/freeze`, { reason });
/** POST /api/pieces/<token_id>/unfreeze {reason} (202) */
export const unfreezePiece = (tokenId: number, reason: string) => http.post<PieceOperationAccepted>(`/api/pieces/${tokenId}/unfreeze`, { reason });
/** GET /api/holdings (grouped by debtor and maturity, with totals) */
export const listHoldings = (query?: Query) => http.get<HoldingsPage>('/api/holdings', query);
/** GET /api/piece-operations */
export const listPieceOperations = (query?: Query) => http.get<Page<PieceOperation>>('/api/piece-operations', query);
/** GET /api/debtor-notices */
export const listDebtorNotices = (query?: Query) => http.get<Page<DebtorNotice>>('/api/debtor-notices', query);

// whole lists (fetchAll: every page up to its bound, or ListTruncatedError)
/** Every trade contract I can see. */
export const allTradeContracts = (query?: Query) => fetchAll<TradeContract>('/api/trade-contracts', query);
/** Every voucher I can see. */
export const allVouchers = (query?: Query) => fetchAll<Voucher>('/api/vouchers', query);
/** Every (debtor, maturity date) group of vouchers. */
export const allVoucherMaturities = (query?: Query) => fetchAll<VoucherMaturity>('/api/vouchers/maturities', query);
/** Every piece matching the query (e.g. `{ held_by_me: true }`). */
export const allPieces = (query?: Query) => fetchAll<Piece>('/api/pieces', query);
/** Every piece operation matching the query. */
export const allPieceOperations = (query?: Query) => fetchAll<PieceOperation>('/api/piece-operations', query);
