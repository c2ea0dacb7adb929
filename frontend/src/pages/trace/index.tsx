import { Link, useNavigate } from 'react-router-dom';
import { Input } from 'antd';
import { ProTable } from '@ant-design/pro-components';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { Money } from '../../components/Money';
import { StatusTag } from '../../components/StatusTag';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { listVouchers, type Voucher, type VoucherStatus } from '../../services/receivables';
import { formatDate } from '../../utils/date';

const STATUSES: VoucherStatus[] = ['proposed', 'issuing', 'pending', 'accepted', 'rejected', 'declined', 'failed'];

export default function TracePage() {
  const { t } = useI18n();
  const notify = useServerMessage();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title={t('menu.trace')} subtitle={t('trace.subtitle')} extra={
        <Input.Search placeholder={t('lineage.search')} enterButton style={{ width: 260 }} data-testid="trace-search"
          onSearch={(value) => { const id = value.replace(/[#\s]/g, ''); if (/^\d+$/.test(id)) navigate(`/lineage/${id}`); }} />
      } />
      <ProTable<Voucher>
        rowKey="id"
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        request={pagedRequest(listVouchers, notify.error, (params) => {
          const { maturity, ...rest } = params as Record<string, unknown>;
          const range = Array.isArray(maturity) ? maturity as string[] : [];
          return { ...(rest as Record<string, string>), maturity_from: range[0], maturity_to: range[1] };
        })}
        columns={[
          { title: t('voucher.id'), dataIndex: 'id', search: false, width: 70 },
          { title: t('piece.token'), dataIndex: 'token_id', search: false, render: (_, v) => (v.token_id ? <Link to={`/lineage/${v.token_id}`}>#{v.token_id}</Link> : '—') },
          { title: t('voucher.debtor'), dataIndex: ['debtor', 'name'], search: false },
          { title: t('voucher.supplier'), dataIndex: ['supplier', 'name'], search: false },
          { title: t('voucher.bank'), dataIndex: ['bank', 'name'], search: false },
          { title: t('voucher.face'), dataIndex: 'face_value_fen', search: false, align: 'right', render: (_, v) => <Money fen={v.face_value_fen} /> },
          { title: t('piece.maturity'), dataIndex: 'maturity', valueType: 'dateRange', render: (_, v) => formatDate(v.maturity_date) },
          {
            title: t('common.status'), dataIndex: 'status', valueType: 'select',
            valueEnum: Object.fromEntries(STATUSES.map((s) => [s, { text: t(`status.voucher.${s}`) }])),
            render: (_, v) => <StatusTag domain="voucher" value={v.status} />,
          },
          { title: '', valueType: 'option', render: (_, v) => (v.token_id ? <Link key="l" to={`/lineage/${v.token_id}`} data-testid={`trace-${v.token_id}`}>{t('trace.trace')}</Link> : null) },
        ]}
      />
    </>
  );
}
