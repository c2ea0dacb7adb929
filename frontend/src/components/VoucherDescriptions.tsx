import { Descriptions, Space, Typography } from 'antd';
import { useI18n } from '../locales';
import type { Voucher } from '../services/receivables';
import { Money } from './Money';
import { StatusTag } from './StatusTag';
import { TxHash } from './TxHash';
import { formatDate } from '../utils/date';

export function VoucherDescriptions({ voucher }: { voucher: Voucher }) {
  const { t, st } = useI18n();
  return (
    <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
      <Descriptions.Item label={t('voucher.face')}>
        <Space direction="vertical" size={0}><Money fen={voucher.face_value_fen} strong /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{voucher.face_value_in_capitals}</Typography.Text></Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('piece.maturity')}>{formatDate(voucher.maturity_date)}</Descriptions.Item>
      <Descriptions.Item label={t('voucher.debtor')}>{voucher.debtor.name}</Descriptions.Item>
      <Descriptions.Item label={t('voucher.supplier')}>{voucher.supplier.name}</Descriptions.Item>
      <Descriptions.Item label={t('voucher.bank')}>{voucher.bank.name}</Descriptions.Item>
      <Descriptions.Item label={t('common.status')}><StatusTag domain="voucher" value={voucher.status} display={voucher.status_display} /></Descriptions.Item>
      <Descriptions.Item label={t('voucher.contract')} span={2}>{voucher.trade_contract.number} · {voucher.trade_contract.title} · <Money fen={voucher.trade_contract.amount_fen} /></Descriptions.Item>
      <Descriptions.Item label={t('voucher.invoices')} span={2}>
        {voucher.invoices.map((invoice) => (
          <div key={invoice.id}>{invoice.code ? `${invoice.code}-` : ''}{invoice.number} · <Money fen={invoice.amount_fen} /> · {formatDate(invoice.issued_on)}</div>
        ))}
      </Descriptions.Item>
      {voucher.token_id ? <Descriptions.Item label={t('piece.token')}>#{voucher.token_id}</Descriptions.Item> : null}
      {voucher.tx_hash ? <Descriptions.Item label={t('ops.txHash')}><TxHash value={voucher.tx_hash} /></Descriptions.Item> : null}
      {voucher.error ? <Descriptions.Item label={t('ops.error')} span={2}><Typography.Text type="danger">{voucher.error.name} {st(voucher.error.message)}</Typography.Text></Descriptions.Item> : null}
      {voucher.rejection_reason ? <Descriptions.Item label={t('common.reason')} span={2}>{voucher.rejection_reason}</Descriptions.Item> : null}
    </Descriptions>
  );
}
