/**
 * Discount pricing (贴现), as the server computes it (banking/pricing.py):
 *   interest = face × annual rate × days / 360   (the Chinese bill-discount convention)
 *   net proceeds = face − interest − fees
 * in exact rational arithmetic on BigInt, rounded ROUND_HALF_UP to the fen once, at the end.
 * The officer types the rate as a percentage ("3.85" meaning 3.85 % a year).
 */
import { daysBetween } from './date';

export const DAY_COUNT_BASIS = 360n;
/** The server refuses rates above 36 % a year; it stores 6 decimals of the rate (4 of the %). */
export const MAX_RATE_PERCENT = '36';
export const RATE_PERCENT_DECIMALS = 4;

export interface Ratio {
  num: bigint;
  den: bigint;
}

/** "3.85" → 385/100 (percent). Null when it is not a non-negative decimal. */
export function parseDecimal(text: string | null | undefined): Ratio | null {
  if (text === null || text === undefined) return null;
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole, decimals = ''] = match;
  const den = 10n ** BigInt(decimals.length);
  return { num: BigInt(whole) * den + BigInt(decimals || '0'), den };
}

/** n / d rounded half up (n ≥ 0, d > 0). */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (d <= 0n || n < 0n) throw new RangeError('divRoundHalfUp needs n ≥ 0 and d > 0');
  return (2n * n + d) / (2n * d);
}

/** The decimal expansion of n / d to `places` digits (truncated), for showing an exact term. */
export function ratioToDecimalString(n: bigint, d: bigint, places: number): string {
  const scale = 10n ** BigInt(places);
  const scaled = (n * scale) / d;
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(places, '0');
  return places > 0 ? `${whole}.${frac}` : whole.toString();
}

/** "3850.000000" → "3850.00", "0.005000" → "0.005": at least `keep` decimals. */
function trimDecimals(text: string, keep: number): string {
  const [whole, frac = ''] = text.split('.');
  let end = frac.length;
  while (end > keep && frac[end - 1] === '0') end -= 1;
  return end ? `${whole}.${frac.slice(0, end)}` : whole;
}

function groupIntegerPart(text: string): string {
  const [whole, frac] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** The annual rate as a fraction of one ("3.85" % → "0.0385"), for the API. */
export function ratePercentToFraction(percent: string): string | null {
  const rate = parseDecimal(percent);
  if (!rate) return null;
  const decimals = rate.den.toString().length - 1 + 2;
  return ratioToDecimalString(rate.num, rate.den * 100n, decimals).replace(/(\.\d*?[1-9])0+$/, '$1').replace(/\.0+$/, '');
}

export type PricingProblem =
  | 'face'
  | 'rate'
  | 'rateTooHigh'
  | 'rateTooPrecise'
  | 'fees'
  | 'dates'
  | 'netNotPositive';

export interface PricingInput {
  faceFen: bigint;
  ratePercent: string;
  valueDate: string; // YYYY-MM-DD
  maturityDate: string; // YYYY-MM-DD
  feesFen: bigint;
}

export interface PricingResult {
  days: number;
  rate: Ratio; // percent
  /** face × rate × days / 360 before rounding, in fen, with 4 decimals, to show the exact term. */
  exactInterestFen: string;
  /** The same in yuan with 6 decimals and thousands separators ("1,234.567891"). */
  exactInterestYuan: string;
  interestFen: bigint;
  feesFen: bigint;
  netFen: bigint;
}

export function computeDiscount(input: PricingInput): { ok: true; value: PricingResult } | { ok: false; problem: PricingProblem } {
  if (input.faceFen <= 0n) return { ok: false, problem: 'face' };
  const rate = parseDecimal(input.ratePercent);
  if (!rate) return { ok: false, problem: 'rate' };
  const decimals = input.ratePercent.trim().split('.')[1] ?? '';
  if (decimals.replace(/0+$/, '').length > RATE_PERCENT_DECIMALS) return { ok: false, problem: 'rateTooPrecise' };
  if (rate.num * 1n > BigInt(MAX_RATE_PERCENT) * rate.den) return { ok: false, problem: 'rateTooHigh' };
  if (input.feesFen < 0n) return { ok: false, problem: 'fees' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.valueDate) || !/^\d{4}-\d{2}-\d{2}$/.test(input.maturityDate)) {
    return { ok: false, problem: 'dates' };
  }
  const days = daysBetween(input.valueDate, input.maturityDate);
  if (days <= 0) return { ok: false, problem: 'dates' };
  // face × (num / den / 100) × days / 360
  const numerator = input.faceFen * rate.num * BigInt(days);
  const denominator = rate.den * 100n * DAY_COUNT_BASIS;
  const interestFen = divRoundHalfUp(numerator, denominator);
  const netFen = input.faceFen - interestFen - input.feesFen;
  if (netFen <= 0n) return { ok: false, problem: 'netNotPositive' };
  return {
    ok: true,
    value: {
      days,
      rate,
      exactInterestFen: ratioToDecimalString(numerator, denominator, 4),
      exactInterestYuan: groupIntegerPart(trimDecimals(ratioToDecimalString(numerator, denominator * 100n, 6), 2)),
      interestFen,
      feesFen: input.feesFen,
      netFen,
    },
  };
}

/** The server's annual rate ("0.038500") as a percentage for people: "3.85%". */
export function ratePercentText(fraction: string): string {
  const rate = parseDecimal(fraction);
  if (!rate) return fraction;
  const places = Math.max(0, rate.den.toString().length - 1 - 2);
  const text = ratioToDecimalString(rate.num * 100n, rate.den, places);
  const trimmed = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return `${trimmed}%`;
}
