import { describe, expect, it } from 'vitest';
import messages, { type MessageKey } from '../../locales/messages';
import { kycDecisionNote } from './decision';

describe('kycDecisionNote', () => {
  it('tells an operator (经办) looking at a waiting case who decides it', () => {
    const key = kycDecisionNote(false, 'submitted');
    expect(key).toBe('kyc.whoDecides');
    const [zh, en] = messages[key as MessageKey];
    expect(zh).toContain('复核');
    expect(en).toContain('approver');
  });

  it('says nothing to a reviewer, who has the buttons, nor once the case is decided', () => {
    expect(kycDecisionNote(true, 'submitted')).toBeNull();
    expect(kycDecisionNote(false, 'approved')).toBeNull();
    expect(kycDecisionNote(false, 'rejected')).toBeNull();
  });
});
