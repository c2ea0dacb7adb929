import { Link } from 'react-router-dom';
import { ProTable } from '@ant-design/pro-components';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { Money } from '../../components/Money';
import { StatusTag } from '../../components/StatusTag';
import { VoucherDescriptions } from '../../components/VoucherDescriptions';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { listVouchers, type Voucher, type VoucherStatus } from '../../services/receivables';
import { formatDate } from '../../utils/date';

const STATUSES: VoucherStatus[] = ['proposed', 'issuing', 'pending', 'accepted', 'rejected', 'declined', 'failed'];

export default function VouchersIssuedPage() {
  const { t } = useI18n();
  const notify = useServerMessage();
  return (
    <>
      <PageHeader title={t('menu.vouchersIssued')} subtitle={t('issued.subtitle')} />
      <ProTable<Voucher>
        rowKey="id"
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        request={pagedRequest(listVouchers, notify.error, (params) => {
          const { maturity, ...rest } = params as Record<string, unknown>;
          const range = Array.isArray(maturity) ? maturity as string[] : [];
          return { ...(rest as Record<string, string>), issued_by_me: true, maturity_from: range[0], maturity_to: range[1] };
        })}
        expandable={{ expandedRowRender: (v) => <VoucherDescriptions voucher={v} /> }}
        columns={[
          { title: t('piece.maturity'), dataIndex: 'maturity', valueType: 'dateRange', render: (_, v) => formatDate(v.maturity_date) },
          { title: t('voucher.supplier'), dataIndex: ['supplier', 'name'], search: false },
          { title: t('voucher.face'), dataIndex: 'face_value_fen', search: false, align: 'right', render: (_, v) => <Money fen={v.face_value_fen} strong /> },
          { title: t('voucher.bank'), dataIndex: ['bank', 'name'], search: false },
          { title: t('voucher.contract'), dataIndex: ['trade_contract', 'number'], search: false },
          {
            title: t('common.status'), dataIndex: 'status', valueType: 'select',
            valueEnum: Object.fromEntries(STATUSES.map((s) => [s, { text: t(`status.voucher.${s}`) }])),
            render: (_, v) => <StatusTag domain="voucher" value={v.status} />,
          },
          { title: t('piece.token'), dataIndex: 'token_id', search: false, render: (_, v) => (v.token_id ? <Link to={`/lineage/${v.token_id}`}>#{v.token_id}</Link> : '—') },
        ]}
      />
    </>
  );
}
