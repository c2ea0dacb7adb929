import { describe, expect, it } from 'vitest';
import { computeDiscount, divRoundHalfUp, parseDecimal, ratePercentText, ratePercentToFraction } from './pricing';

const quote = (faceFen: bigint, ratePercent: string, valueDate: string, maturityDate: string, feesFen = 0n) =>
  computeDiscount({ faceFen, ratePercent, valueDate, maturityDate, feesFen });

describe('discount pricing (interest = face × rate × days / 360)', () => {
  // Expected figures computed by the server's banking.pricing.discount_quote.
  it.each([
    [100000000n, '3.85', '2026-01-01', '2026-04-01', 0n, 90, 962500n, 99037500n],
    [100n, '36', '2026-01-01', '2026-01-06', 0n, 5, 1n, 99n], // exactly 0.5 fen: half up
    [999n, '1', '2026-01-01', '2026-01-19', 0n, 18, 0n, 999n], // 0.4995 fen: down
    [123456789n, '4.35', '2026-03-01', '2026-08-29', 5000n, 181, 2700103n, 120751686n],
    [50000000n, '3.1234', '2026-02-27', '2026-03-01', 0n, 2, 8676n, 49991324n], // across Feb in a non-leap year
  ])('face %s at %s%% from %s to %s, fees %s', (face, rate, from, to, fees, days, interest, net) => {
    const result = quote(face, rate, from, to, fees);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.days).toBe(days);
    expect(result.value.interestFen).toBe(interest);
    expect(result.value.netFen).toBe(net);
  });

  it('rounds once, at the end, not per term', () => {
    // 1 fen × 100% × 180 / 360 = 0.5 → 1 (per-term rounding of 1 × 1 × 0.5 would differ only at the end anyway)
    const result = quote(3n, '10', '2026-01-01', '2026-07-01'); // 3 × 0.1 × 181 / 360 = 0.150833…
    expect(result.ok && result.value.interestFen).toBe(0n);
    const big = quote(999_999_999_999n, '35.9999', '2026-01-01', '2027-01-01');
    expect(big.ok && big.value.interestFen).toBe(364998986111n); // 999999999999 × 0.359999 × 365 / 360 = 364998986110.746… (server's figure)
  });

  it('shows the exact interest before rounding', () => {
    const result = quote(100n, '36', '2026-01-01', '2026-01-06');
    expect(result.ok && result.value.exactInterestFen).toBe('0.5000');
    expect(result.ok && result.value.exactInterestYuan).toBe('0.005');
    const whole = quote(100000000n, '3.85', '2026-01-01', '2026-04-01');
    expect(whole.ok && whole.value.exactInterestYuan).toBe('9,625.00');
  });

  it('refuses what the server refuses', () => {
    expect(quote(0n, '3', '2026-01-01', '2026-02-01')).toEqual({ ok: false, problem: 'face' });
    expect(quote(100n, 'abc', '2026-01-01', '2026-02-01')).toEqual({ ok: false, problem: 'rate' });
    expect(quote(100n, '-1', '2026-01-01', '2026-02-01')).toEqual({ ok: false, problem: 'rate' });
    expect(quote(100n, '36.0001', '2026-01-01', '2026-02-01')).toEqual({ ok: false, problem: 'rateTooHigh' });
    expect(quote(100n, '3.12345', '2026-01-01', '2026-02-01')).toEqual({ ok: false, problem: 'rateTooPrecise' });
    expect(quote(100n, '3', '2026-02-01', '2026-02-01')).toEqual({ ok: false, problem: 'dates' });
    expect(quote(100n, '3', '2026-01-01', '2026-02-01', 100n)).toEqual({ ok: false, problem: 'netNotPositive' });
  });

  it('converts the percentage for the API and back', () => {
    expect(ratePercentToFraction('3.85')).toBe('0.0385');
    expect(ratePercentToFraction('36')).toBe('0.36');
    expect(ratePercentToFraction('4.3500')).toBe('0.0435');
    expect(ratePercentToFraction('0.0001')).toBe('0.000001');
    expect(ratePercentText('0.038500')).toBe('3.85%');
    expect(ratePercentText('0.360000')).toBe('36%');
  });

  it('divides half up on BigInt', () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(15n, 10n)).toBe(2n);
    expect(parseDecimal('1.50')).toEqual({ num: 150n, den: 100n });
  });
});
