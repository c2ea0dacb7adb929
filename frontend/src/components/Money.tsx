import { formatYuan, type Fen } from '../utils/money';

/** An amount in fen shown as yuan: ¥1,000,000.00 (tabular figures, never a float). */
export function Money({ fen, strong, className }: { fen: Fen | null | undefined; strong?: boolean; className?: string }) {
  const text = formatYuan(fen);
  return (
    <span className={`scf-money${className ? ` ${className}` : ''}`} style={{ fontVariantNumeric: 'tabular-nums', fontWeight: strong ? 600 : undefined, whiteSpace: 'nowrap' }}>
      {text}
    </span>
  );
}
