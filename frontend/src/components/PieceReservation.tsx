import { Tag, Tooltip } from 'antd';
import { useI18n } from '../locales';
import type { Piece } from '../services/receivables';
import { formatYuan } from '../utils/money';

/** What the platform holds a piece for though the chain does not know it yet: "已被融资申请 #12
 * 占用", or an operation on its way to the chain (with the part it holds). The server's own
 * message is the tooltip. */
export function PieceReservation({ reservation }: { reservation: Piece['reserved_by'] }) {
  const { t, st } = useI18n();
  if (!reservation) return null;
  const text = reservation.kind === 'financing_application'
    ? t('reserved.financing', { id: reservation.id })
    : t('reserved.operation', { id: reservation.id });
  const part = reservation.amount_fen !== null ? ` · ${t('reserved.partial', { amount: formatYuan(reservation.amount_fen) })}` : '';
  return (
    <Tooltip title={st(reservation.label)}>
      <Tag color="orange" data-testid={`reserved-${reservation.kind}-${reservation.id}`} data-status="reserved">{text}{part}</Tag>
    </Tooltip>
  );
}
