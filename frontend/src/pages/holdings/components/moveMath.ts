/** The arithmetic of the split and transfer form, in fen (BigInt), kept apart for its tests. */
import { parseYuanToFen } from '../../../utils/money';

export type PartProblem = 'invalid' | 'notPositive' | null;

export interface SplitState {
  /** Each typed part in fen (null while it is not a valid amount). */
  parts: (bigint | null)[];
  problems: PartProblem[];
  allocated: bigint;
  /** What stays on the piece itself: balance − the parts split off. */
  remaining: bigint;
  /** Ready to send: every part valid and positive, something left on the piece. */
  valid: boolean;
  /** amounts_fen for the API: the parts, then the remainder (the last part stays on the piece). */
  amountsFen: bigint[];
}

export function splitState(balanceFen: bigint, typed: (string | undefined)[]): SplitState {
  const parts = typed.map((text) => (text === undefined || text.trim() === '' ? null : parseYuanToFen(text)));
  const problems: PartProblem[] = typed.map((text, i) => {
    if (text === undefined || text.trim() === '') return null;
    const value = parts[i];
    if (value === null) return 'invalid';
    if (value <= 0n) return 'notPositive';
    return null;
  });
  const allocated = parts.reduce<bigint>((sum, part) => sum + (part && part > 0n ? part : 0n), 0n);
  const remaining = balanceFen - allocated;
  const complete = parts.length > 0 && parts.every((part) => part !== null && part > 0n);
  const valid = complete && remaining > 0n;
  return {
    parts,
    problems,
    allocated,
    remaining,
    valid,
    amountsFen: valid ? [...(parts as bigint[]), remaining] : [],
  };
}

export interface TransferState {
  amount: bigint | null;
  remaining: bigint | null;
  whole: boolean;
  problem: 'invalid' | 'notPositive' | 'exceeds' | null;
  valid: boolean;
}

export function transferState(balanceFen: bigint, typed: string | undefined): TransferState {
  if (typed === undefined || typed.trim() === '') return { amount: null, remaining: balanceFen, whole: false, problem: null, valid: false };
  const amount = parseYuanToFen(typed);
  if (amount === null) return { amount: null, remaining: null, whole: false, problem: 'invalid', valid: false };
  if (amount <= 0n) return { amount, remaining: balanceFen, whole: false, problem: 'notPositive', valid: false };
  if (amount > balanceFen) return { amount, remaining: balanceFen - amount, whole: false, problem: 'exceeds', valid: false };
  return { amount, remaining: balanceFen - amount, whole: amount === balanceFen, problem: null, valid: true };
}
