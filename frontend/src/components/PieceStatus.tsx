import { Space, Tag } from 'antd';
import { StatusTag } from './StatusTag';
import { useI18n } from '../locales';

/** A piece's chain status, plus "frozen" when a judicial freeze holds it. */
export function PieceStatus({ status, frozen }: { status: string; frozen?: boolean }) {
  const { t } = useI18n();
  return (
    <Space size={4}>
      <StatusTag domain="piece" value={status} />
      {frozen ? <Tag color="volcano" data-status="frozen">{t('status.piece.frozen')}</Tag> : null}
    </Space>
  );
}
