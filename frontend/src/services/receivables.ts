import { fetchAll, http, type Accepted, type Page, type Query } from './http';

export interface OrgRef {
  id: number;
  name: string;
  kind: string;
}
export interface ChainParty {
  address: string;
  organisation_id: number | null;
  name: string | null;
}
export interface DocumentRef {
  sha256: string;
  content_type: string;
  size: number;
  original_name: string;
  download_url: string;
}
export interface ChainError {
  name: string;
  args: unknown;
  message: string;
}
export interface OperationRef {
  id: number;
  status: string;
  url: string;
}

export interface TradeContract {
  id: number;
  debtor: OrgRef;
  supplier: OrgRef;
  number: string;
  title: string;
  amount_fen: number;
  amount_yuan: string;
  signed_on: string;
  chain_hash: string;
  document: DocumentRef | null;
  invoice_count: number | null;
  created_at: string;
  invoices?: Invoice[];
}

export interface Invoice {
  id: number;
  trade_contract: number;
  trade_contract_number: string;
  number: string;
  code: string;
  amount_fen: number;
  amount_yuan: string;
  issued_on: string;
  chain_hash: string;
  document: DocumentRef | null;
  backing_voucher: number | null;
  created_at: string;
}

export type VoucherStatus =
  | 'proposed' | 'declined' | 'issuing' | 'failed' | 'pending' | 'accepting' | 'accepted' | 'rejecting' | 'rejected';

export interface VoucherInvoice {
  id: number;
  number: string;
  code: string;
  amount_fen: number;
  amount_yuan: string;
  issued_on: string;
  chain_hash: string;
  released: boolean;
}

export interface Voucher {
  id: number;
  status: VoucherStatus;
  status_display: string;
  debtor: OrgRef;
  supplier: OrgRef;
  bank: OrgRef;
  trade_contract: { id: number; number: string; title: string; amount_fen: number; amount_yuan: string; signed_on: string; chain_hash: string };
  invoices: VoucherInvoice[];
  face_value_fen: number;
  face_value_yuan: string;
  face_value_in_capitals: string;
  maturity_date: string;
  maturity_at: number;
  approval_id: number | null;
  approval_status: string | null;
  proposed_by: string;
  approved_by: string | null;
  token_id: number | null;
  tx_hash: string;
  block_number: number | null;
  chain_status: string | null;
  settled_fen: number | null;
  issue_operation: OperationRef | null;
  response_operation: OperationRef | null;
  error: ChainError | null;
  rejection_reason: string;
  responded_at: string | null;
  created_at: string;
}

export type PieceStatus = 'pending' | 'active' | 'locked' | 'settled' | 'cancelled' | 'overdue';

export interface Piece {
  token_id: number;
  root_id: number;
  parent_id: number;
  holder: ChainParty;
  balance_fen: number;
  balance_yuan: string;
  status: PieceStatus;
  status_display: string;
  frozen: boolean;
  locked_for: ChainParty | null;
  debtor: ChainParty | null;
  maturity_date: string | null;
  face_value_fen: number | null;
  voucher_id: number | null;
  held_by_me: boolean;
  voucher?: unknown;
}

export interface LineageNode {
  token_id: number;
  parent_id: number;
  depth: number;
  holder: ChainParty;
  balance_fen: number;
  balance_yuan: string;
  status: PieceStatus;
  frozen: boolean;
  locked_for: string;
  created_tx_hash: string;
  created_block: number | null;
}

export interface Lineage {
  token_id: number;
  root_id: number;
  debtor: OrgRef | null;
  maturity_date: string | null;
  face_value_fen: number;
  face_value_yuan: string;
  outstanding_fen: number;
  outstanding_yuan: string;
  settled_fen: number;
  settled_yuan: string;
  conserved: boolean;
  ancestry: LineageNode[];
  tree_visible: boolean;
  tree: LineageNode[] | null;
}

export interface HoldingGroup {
  debtor: ChainParty;
  maturity_date: string | null;
  pieces: number;
  total_fen: number;
  total_yuan: string;
  token_ids: number[];
}
export interface HoldingsPage extends Page<HoldingGroup> {
  total_fen: number;
  total_yuan: string;
  total_pieces: number;
}

export interface VoucherMaturity {
  debtor: OrgRef;
  maturity_date: string;
  vouchers: number;
  face_value_fen: number;
  face_value_yuan: string;
}

export type PieceOperationKind = 'transfer' | 'split' | 'freeze' | 'unfreeze';
export interface PieceOperation {
  id: number;
  kind: PieceOperationKind;
  status: 'submitted' | 'confirmed' | 'failed';
  token_id: number;
  root_id: number;
  voucher_id: number | null;
  organisation: OrgRef;
  holder: OrgRef | null;
  to_organisation: OrgRef | null;
  amount_fen: number | null;
  amount_yuan: string | null;
  amounts_fen: number[];
  whole_piece: boolean;
  reason: string;
  reason_hash: string;
  new_token_ids: number[];
  operation: OperationRef | null;
  tx_hash: string;
  block_number: number | null;
  error: ChainError | null;
  requested_by: string;
  created_at: string;
}

export interface DebtorNotice {
  id: number;
  kind: 'transfer' | 'split' | 'financing';
  kind_display: string;
  debtor: OrgRef;
  from_organisation: OrgRef;
  to_organisation: OrgRef;
  voucher_id: number | null;
  root_id: number;
  from_token_id: number;
  to_token_id: number;
  amount_fen: number;
  amount_yuan: string;
  amount_in_capitals: string;
  maturity_date: string | null;
  tx_hash: string;
  block_number: number;
  text: string;
  created_at: string;
}

export interface VoucherAccepted extends Accepted {
  final: boolean;
  voucher_id: number;
  voucher_status: string;
  token_id: number | null;
}
export interface PieceOperationAccepted extends Accepted {
  final: boolean;
  piece_operation_id: number;
  piece_operation_status: string;
  new_token_ids: number[];
}

export interface VoucherIssueInput {
  trade_contract: number;
  bank: number;
  face_value_fen: number;
  maturity_date: string;
  invoices: number[];
}

// trade background
/** GET /api/trade-contracts */
export const listTradeContracts = (query?: Query) => http.get<Page<TradeContract>>('/api/trade-contracts', query);
/** GET /api/trade-contracts/<id> (with its invoices) */
export const getTradeContract = (id: number) => http.get<TradeContract>(`/api/trade-contracts/${id}`);
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
export const getPiece = (tokenId: number) => http.get<Piece>(`/api/pieces/${tokenId}`);
/** GET /api/pieces/<token_id>/lineage */
export const getLineage = (tokenId: number) => http.get<Lineage>(`/api/pieces/${tokenId}/lineage`);
/** POST /api/pieces/<token_id>/transfer {to_organisation | to_credit_code, amount_fen} (202) */
export const transferPiece = (tokenId: number, input: { to_organisation?: number; to_credit_code?: string; amount_fen: number }) =>
  http.post<PieceOperationAccepted>(`/api/pieces/${tokenId}/transfer`, input);
/** POST /api/pieces/<token_id>/split {amounts_fen} (202) */
export const splitPiece = (tokenId: number, amountsFen: number[]) =>
  http.post<PieceOperationAccepted>(`/api/pieces/${tokenId}/split`, { amounts_fen: amountsFen });
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
