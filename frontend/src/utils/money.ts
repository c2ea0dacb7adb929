/**
 * Money is an integer number of fen everywhere. These are the only conversions for people, done
 * on BigInt and strings: no float ever touches an amount.
 */

export type Fen = number | string | bigint;

export function toBigInt(fen: Fen): bigint {
  if (typeof fen === 'bigint') return fen;
  if (typeof fen === 'number') {
    if (!Number.isSafeInteger(fen)) throw new RangeError(`amount in fen is not a safe integer: ${fen}`);
    return BigInt(fen);
  }
  if (!/^-?\d+$/.test(fen.trim())) throw new RangeError(`amount in fen is not an integer: ${fen}`);
  return BigInt(fen.trim());
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 100000000 → "1,000,000.00" */
export function formatYuanPlain(fen: Fen): string {
  const value = toBigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = abs / 100n;
  const cents = abs % 100n;
  return `${negative ? '-' : ''}${groupThousands(yuan.toString())}.${cents.toString().padStart(2, '0')}`;
}

/** 100000000 → "¥1,000,000.00" */
export function formatYuan(fen: Fen | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return '—';
  const plain = formatYuanPlain(fen);
  return plain.startsWith('-') ? `-¥${plain.slice(1)}` : `¥${plain}`;
}

/**
 * What a person types as yuan → fen. Accepts "1,000,000", "1000000.5", "¥ 12.34"; refuses
 * more than two decimals, signs, exponents and anything else (null).
 */
export function parseYuanToFen(input: string | null | undefined): bigint | null {
  if (input === null || input === undefined) return null;
  const cleaned = input.replace(/[¥￥,，\s]/g, '');
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return null;
  const [, whole, decimals = ''] = match;
  return BigInt(whole) * 100n + BigInt(decimals.padEnd(2, '0') || '0');
}

/** fen → the plain yuan string an input shows ("1234.50"), without separators. */
export function fenToYuanInput(fen: Fen): string {
  return formatYuanPlain(fen).replace(/,/g, '');
}

/** JSON-safe fen for the API: a number while it is a safe integer. */
export function fenForApi(fen: bigint): number {
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('amount too large');
  return Number(fen);
}
