/**
 * Who may see and do what in the browser, from /api/auth/me. What a user may *do* is the
 * server's `capabilities` (scf/accounts/capabilities.py: each one evaluated by the permission
 * classes of the endpoint that does it), mapped one to one below and never re-derived here.
 * Only navigation (which workbench pages an organisation kind has) is decided from the kind.
 * The server enforces every rule again; this only decides what to show.
 */
import type { Capabilities, Me, OrganisationKind, Role } from './services/auth';

export interface Access {
  signedIn: boolean;
  kind: OrganisationKind | null;
  roles: Role[];
  isPlatform: boolean;
  isCore: boolean;
  isSupplier: boolean;
  isBank: boolean;
  isRegulator: boolean;
  /** An active organisation other than the regulator. */
  canWrite: boolean;
  /** 经办: proposes (maker). */
  isMaker: boolean;
  /** 复核: decides (checker). */
  isChecker: boolean;
  isAdmin: boolean;
  readsAll: boolean;
  // platform operator
  canSeeKycQueue: boolean;
  canReviewKyc: boolean;
  canAdminOrganisations: boolean;
  canSeeHealth: boolean;
  // every organisation prepares its own KYC
  canPrepareKyc: boolean;
  // core enterprise
  canSeeCreditLines: boolean;
  canIssueVoucher: boolean;
  canApproveVoucher: boolean;
  canSeeIssuedVouchers: boolean;
  canSeeDebtorNotices: boolean;
  canConfirmFunding: boolean;
  // supplier (and banks holding financed pieces)
  canSeeHoldings: boolean;
  canRespondToVouchers: boolean;
  canMovePieces: boolean;
  canApplyForFinancing: boolean;
  canSeeLineage: boolean;
  // bank
  canSeeBankQueue: boolean;
  canPriceFinancing: boolean;
  canDecideFinancing: boolean;
  canSeePortfolio: boolean;
  canGrantCreditLines: boolean;
  canDecideCreditLines: boolean;
  canSeeBankCreditLines: boolean;
  canSeeFinancing: boolean;
  // regulator
  canSeeDashboard: boolean;
  canTrace: boolean;
  canSeeAudit: boolean;
  canFreeze: boolean;
  canSeeApprovals: boolean;
  canDecideApprovals: boolean;
  canDisburse: boolean;
  canManageUsers: boolean;
  canEditOrganisation: boolean;
  canVerifyAudit: boolean;
  canRecordTrade: boolean;
  canRecordInvoice: boolean;
}

const NO_CAPABILITIES: Capabilities = {
  record_trade: false, record_invoice: false, issue_voucher: false, approve_issue: false,
  respond_voucher: false, move_pieces: false, freeze: false, read_credit_lines: false,
  propose_credit_line: false, decide_credit_line: false, read_financing: false,
  apply_financing: false, quote: false, decide_financing: false, disburse: false,
  confirm_clearing: false, prepare_kyc: false, see_kyc_queue: false, review_kyc: false,
  propose_approval: false, decide_approval: false, verify_audit: false,
  manage_organisations: false, manage_users: false, edit_organisation: false,
};

export function deriveAccess(me: Me | null): Access {
  const kind = me?.organisation.kind ?? null;
  const roles = me?.roles ?? [];
  const can = me?.capabilities ?? NO_CAPABILITIES;
  const isPlatform = kind === 'platform';
  const isCore = kind === 'core_enterprise';
  const isSupplier = kind === 'supplier';
  const isBank = kind === 'bank';
  const isRegulator = kind === 'regulator';
  return {
    signedIn: Boolean(me),
    kind,
    roles,
    isPlatform,
    isCore,
    isSupplier,
    isBank,
    isRegulator,
    canWrite: Boolean(me?.access.can_write),
    isMaker: roles.includes('operator'),
    isChecker: roles.includes('approver'),
    isAdmin: roles.includes('admin'),
    readsAll: Boolean(me?.access.reads_all_organisations),
    // what the user may do: the server's capabilities, one to one
    canSeeKycQueue: can.see_kyc_queue,
    canReviewKyc: can.review_kyc,
    canAdminOrganisations: can.manage_organisations,
    // the platform has no KYC of its own to prepare: no "my KYC" page
    canPrepareKyc: can.prepare_kyc && !isPlatform,
    canIssueVoucher: can.issue_voucher,
    canApproveVoucher: can.approve_issue,
    canConfirmFunding: can.confirm_clearing,
    canRespondToVouchers: can.respond_voucher,
    canMovePieces: can.move_pieces,
    canApplyForFinancing: can.apply_financing,
    canPriceFinancing: can.quote,
    canDecideFinancing: can.decide_financing,
    canGrantCreditLines: can.propose_credit_line,
    canDecideCreditLines: can.decide_credit_line,
    canFreeze: can.freeze,
    canSeeApprovals: can.propose_approval || can.decide_approval,
    canDecideApprovals: can.decide_approval,
    canDisburse: can.disburse,
    canManageUsers: can.manage_users,
    canEditOrganisation: can.edit_organisation,
    canVerifyAudit: can.verify_audit,
    canRecordTrade: can.record_trade,
    canRecordInvoice: can.record_invoice,
    // navigation: which workbench pages an organisation kind has
    canSeeHealth: isPlatform, // the server shows health details to the platform only
    canSeeCreditLines: isCore,
    canSeeIssuedVouchers: isCore,
    canSeeDebtorNotices: isCore,
    canSeeHoldings: isSupplier || isBank,
    canSeeLineage: Boolean(me),
    canSeeBankQueue: isBank,
    canSeePortfolio: isBank,
    canSeeBankCreditLines: isBank,
    canSeeFinancing: isSupplier,
    canSeeDashboard: isRegulator || isPlatform,
    canTrace: isRegulator || isPlatform,
    canSeeAudit: Boolean(me),
  };
}

export const NO_ACCESS: Access = deriveAccess(null);

export type AccessKey = { [K in keyof Access]: Access[K] extends boolean ? K : never }[keyof Access];
