import { describe, expect, it } from 'vitest';
import { fenToYuanInput, formatYuan, parseYuanToFen } from './money';

describe('money in fen, shown in yuan', () => {
  it('formats with thousands separators and two decimals', () => {
    expect(formatYuan(100000000)).toBe('¥1,000,000.00');
    expect(formatYuan(5)).toBe('¥0.05');
    expect(formatYuan('12345678901234567')).toBe('¥123,456,789,012,345.67');
    expect(formatYuan(-150)).toBe('-¥1.50');
    expect(formatYuan(null)).toBe('—');
  });
  it('refuses non-integer fen', () => {
    expect(() => formatYuan(1.5)).toThrow();
    expect(() => formatYuan('1.5')).toThrow();
  });
  it('parses what people type, never through a float', () => {
    expect(parseYuanToFen('1,000,000')).toBe(100000000n);
    expect(parseYuanToFen('¥ 12.3')).toBe(1230n);
    expect(parseYuanToFen('0.07')).toBe(7n);
    expect(parseYuanToFen('90071992547409.93')).toBe(9007199254740993n);
    expect(parseYuanToFen('1.234')).toBeNull();
    expect(parseYuanToFen('-1')).toBeNull();
    expect(parseYuanToFen('1e5')).toBeNull();
    expect(parseYuanToFen('')).toBeNull();
    expect(fenToYuanInput(123450)).toBe('1234.50');
  });
});
