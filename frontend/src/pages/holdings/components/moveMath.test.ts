import { describe, expect, it } from 'vitest';
import { splitState, transferState } from './moveMath';

describe('split form: the remaining balance as you type', () => {
  const balance = 100_000_000n; // ¥1,000,000.00

  it('shows the whole balance before anything is typed', () => {
    const state = splitState(balance, [undefined]);
    expect(state.remaining).toBe(balance);
    expect(state.valid).toBe(false);
  });
  it('subtracts each valid part and sends the remainder last', () => {
    const state = splitState(balance, ['200,000', '300000.50']);
    expect(state.allocated).toBe(50_000_050n);
    expect(state.remaining).toBe(49_999_950n);
    expect(state.valid).toBe(true);
    expect(state.amountsFen).toEqual([20_000_000n, 30_000_050n, 49_999_950n]);
  });
  it('ignores an invalid part in the sum and marks it', () => {
    const state = splitState(balance, ['100', '12.345']);
    expect(state.problems).toEqual([null, 'invalid']);
    expect(state.remaining).toBe(balance - 10_000n);
    expect(state.valid).toBe(false);
  });
  it('needs something left on the piece', () => {
    expect(splitState(balance, ['1000000']).valid).toBe(false);
    expect(splitState(balance, ['600000', '500000']).remaining).toBe(-10_000_000n);
    expect(splitState(balance, ['0']).problems).toEqual(['notPositive']);
  });
});

describe('transfer form', () => {
  it('shows what remains and recognises the whole balance', () => {
    expect(transferState(10_000n, '40').remaining).toBe(6_000n);
    expect(transferState(10_000n, '100')).toMatchObject({ whole: true, valid: true, remaining: 0n });
    expect(transferState(10_000n, '100.01')).toMatchObject({ problem: 'exceeds', valid: false });
    expect(transferState(10_000n, 'abc')).toMatchObject({ problem: 'invalid' });
    expect(transferState(10_000n, '')).toMatchObject({ remaining: 10_000n, valid: false, problem: null });
  });
});
