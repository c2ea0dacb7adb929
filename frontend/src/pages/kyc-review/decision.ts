import type { MessageKey } from '../../locales/messages';
import type { KycStatus } from '../../services/kyc';

/** What a user who may not decide a KYC case is told instead of seeing no buttons: who decides
 * (a platform approver, 复核) while the case waits; nothing once it is decided or for a
 * reviewer (who sees the buttons). Returns a message key, or null. */
export function kycDecisionNote(canReviewKyc: boolean, status: KycStatus): MessageKey | null {
  if (status !== 'submitted' || canReviewKyc) return null;
  return 'kyc.whoDecides';
}
