import { describe, expect, it } from 'vitest';
import { deriveAccess, NO_ACCESS } from './access';
import type { Capabilities, Me } from './services/auth';

const none = Object.fromEntries(Object.keys(NO_ACCESS).map((k) => [k, false])) as Record<string, boolean>;

function me(kind: Me['organisation']['kind'], roles: Me['roles'], capabilities: Partial<Capabilities>): Me {
  const allFalse = Object.fromEntries(
    ['record_trade', 'record_invoice', 'issue_voucher', 'approve_issue', 'respond_voucher', 'move_pieces', 'freeze',
      'read_credit_lines', 'propose_credit_line', 'decide_credit_line', 'read_financing', 'apply_financing', 'quote',
      'decide_financing', 'disburse', 'confirm_clearing', 'prepare_kyc', 'see_kyc_queue', 'review_kyc',
      'propose_approval', 'decide_approval', 'verify_audit', 'manage_organisations', 'manage_users',
      'edit_organisation'].map((k) => [k, false]),
  ) as Capabilities;
  return {
    user: { id: 1, username: 'u', email: '', display_name: '', organisation: 1, roles, is_active: true, last_login: '' },
    organisation: { id: 1, kind, status: 'active' } as Me['organisation'],
    roles,
    access: { can_write: true, can_freeze: false, is_platform_operator: false, is_regulator: false, reads_all_organisations: false },
    capabilities: { ...allFalse, ...capabilities },
    password_change_required: false,
    totp_enrolled: false,
  };
}

describe('deriveAccess', () => {
  it('takes what the user may do from the server, not from the role', () => {
    // An operator whose server says "no moves" (say the organisation is suspended) gets no button.
    const operator = deriveAccess(me('supplier', ['operator'], {}));
    expect(operator.canMovePieces).toBe(false);
    expect(operator.canApplyForFinancing).toBe(false);

    const allowed = deriveAccess(me('supplier', ['viewer'], { move_pieces: true, quote: true }));
    expect(allowed.canMovePieces).toBe(true);
    expect(allowed.canPriceFinancing).toBe(true);
    expect(allowed.canApplyForFinancing).toBe(false);
  });

  it('maps each capability to one flag', () => {
    const pairs: [keyof Capabilities, keyof typeof NO_ACCESS][] = [
      ['issue_voucher', 'canIssueVoucher'], ['approve_issue', 'canApproveVoucher'], ['respond_voucher', 'canRespondToVouchers'],
      ['move_pieces', 'canMovePieces'], ['freeze', 'canFreeze'], ['apply_financing', 'canApplyForFinancing'],
      ['quote', 'canPriceFinancing'], ['decide_financing', 'canDecideFinancing'], ['disburse', 'canDisburse'],
      ['confirm_clearing', 'canConfirmFunding'], ['propose_credit_line', 'canGrantCreditLines'],
      ['decide_credit_line', 'canDecideCreditLines'], ['review_kyc', 'canReviewKyc'], ['manage_users', 'canManageUsers'],
      ['manage_organisations', 'canAdminOrganisations'], ['decide_approval', 'canDecideApprovals'],
      ['edit_organisation', 'canEditOrganisation'], ['verify_audit', 'canVerifyAudit'],
    ];
    const base = deriveAccess(me('bank', [], {}));
    for (const [capability, flag] of pairs) {
      const access = deriveAccess(me('bank', [], { [capability]: true }));
      expect(access[flag], capability).toBe(true);
      expect(base[flag], capability).toBe(false);
    }
  });

  it('signed out: nothing', () => {
    for (const [key, value] of Object.entries(NO_ACCESS)) {
      if (typeof value === 'boolean') expect(value, key).toBe(none[key]);
    }
  });
});
