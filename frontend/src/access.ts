/**
 * Who may see and do what in the browser, derived once from /api/auth/me. The server enforces
 * every rule again (scf/accounts/permissions.py); this only decides what to show.
 */
import type { Me, OrganisationKind, Role } from './services/auth';

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
}

export const NO_ACCESS: Access = deriveAccess(null);

export function deriveAccess(me: Me | null): Access {
  const kind = me?.organisation.kind ?? null;
  const roles = me?.roles ?? [];
  const has = (...wanted: Role[]) => wanted.some((role) => roles.includes(role));
  const canWrite = Boolean(me?.access.can_write);
  const isPlatform = kind === 'platform';
  const isCore = kind === 'core_enterprise';
  const isSupplier = kind === 'supplier';
  const isBank = kind === 'bank';
  const isRegulator = kind === 'regulator';
  const isMaker = has('operator');
  const isChecker = has('approver');
  const isAdmin = has('admin');
  const readsAll = Boolean(me?.access.reads_all_organisations);
  return {
    signedIn: Boolean(me),
    kind,
    roles,
    isPlatform,
    isCore,
    isSupplier,
    isBank,
    isRegulator,
    canWrite,
    isMaker,
    isChecker,
    isAdmin,
    readsAll,
    canSeeKycQueue: isPlatform,
    canReviewKyc: isPlatform && isChecker && canWrite,
    canAdminOrganisations: isPlatform && isAdmin && canWrite,
    canSeeHealth: isPlatform, // the server shows health details to the platform only
    canPrepareKyc: Boolean(me) && !isPlatform && has('operator', 'admin') && canWrite,
    canSeeCreditLines: isCore,
    canApproveVoucher: isCore && isChecker && canWrite,
    canIssueVoucher: isCore && isMaker && canWrite,
    canSeeIssuedVouchers: isCore,
    canSeeDebtorNotices: isCore,
    canConfirmFunding: isCore && canWrite && isChecker,
    canSeeHoldings: isSupplier || isBank,
    canRespondToVouchers: isSupplier && canWrite && isMaker,
    canMovePieces: (isSupplier || isBank) && canWrite && isMaker,
    canApplyForFinancing: isSupplier && canWrite && isMaker,
    canSeeLineage: Boolean(me),
    canSeeBankQueue: isBank,
    canPriceFinancing: isBank && isMaker && canWrite,
    canDecideFinancing: isBank && isChecker && canWrite,
    canSeePortfolio: isBank,
    canGrantCreditLines: isBank && canWrite && isMaker,
    canDecideCreditLines: isBank && canWrite && isChecker,
    canSeeBankCreditLines: isBank,
    canSeeFinancing: isSupplier,
    canSeeDashboard: isRegulator || isPlatform,
    canTrace: isRegulator || isPlatform,
    canSeeAudit: Boolean(me),
    canFreeze: Boolean(me?.access.can_freeze),
    canSeeApprovals: (isCore || isBank || isPlatform || isSupplier) && (isMaker || isChecker),
  };
}

export type AccessKey = { [K in keyof Access]: Access[K] extends boolean ? K : never }[keyof Access];
