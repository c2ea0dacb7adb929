import { Typography } from 'antd';
import { shortHash } from '../utils/date';

/** A transaction hash or chain address: shortened, full on hover, copyable. */
export function TxHash({ value, full }: { value: string | null | undefined; full?: boolean }) {
  if (!value) return <span>—</span>;
  return (
    <Typography.Text code copyable={{ text: value }} title={value} className="scf-hash" data-hash={value}>
      {full ? value : shortHash(value)}
    </Typography.Text>
  );
}
