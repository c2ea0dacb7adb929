import { useNavigate } from 'react-router-dom';
import { Space, Tag } from 'antd';
import { ProTable } from '@ant-design/pro-components';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { Money } from '../../components/Money';
import { StatusTag } from '../../components/StatusTag';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { listApplications, type ApplicationStatus, type FinancingApplication } from '../../services/banking';
import { parseYuanToFen } from '../../utils/money';
import { formatDate, formatDateTime } from '../../utils/date';

const STATUSES: ApplicationStatus[] = ['submitted', 'locking', 'accepting', 'approving', 'financed', 'disbursed', 'declined', 'withdrawn', 'failed'];

export default function BankQueuePage() {
  const { t } = useI18n();
  const notify = useServerMessage();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title={t('menu.bankQueue')} subtitle={t('queue.subtitle')} />
      <ProTable<FinancingApplication>
        rowKey="id"
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        form={{ initialValues: { status: 'submitted' } }}
        request={pagedRequest(listApplications, notify.error, (params) => {
          const { amount_min: min, amount_max: max, maturity, ...rest } = params as Record<string, unknown>;
          const range = Array.isArray(maturity) ? maturity as string[] : [];
          return {
            ...(rest as Record<string, string>),
            amount_min: typeof min === 'string' ? parseYuanToFen(min)?.toString() : undefined,
            amount_max: typeof max === 'string' ? parseYuanToFen(max)?.toString() : undefined,
            maturity_from: range[0],
            maturity_to: range[1],
          };
        })}
        onRow={(row) => ({ onClick: () => navigate(`/bank/applications/${row.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '#', dataIndex: 'id', width: 60, search: false },
          { title: t('review.applicant'), dataIndex: 'applicant_name', render: (_, row) => row.applicant.name },
          { title: t('financing.amount'), dataIndex: 'amount_fen', search: false, align: 'right', render: (_, row) => <Money fen={row.amount_fen} strong /> },
          { title: t('queue.amountMin'), dataIndex: 'amount_min', hideInTable: true, fieldProps: { prefix: '¥' } },
          { title: t('queue.amountMax'), dataIndex: 'amount_max', hideInTable: true, fieldProps: { prefix: '¥' } },
          { title: t('piece.maturity'), dataIndex: 'maturity', valueType: 'dateRange', render: (_, row) => formatDate(row.maturity_date) },
          {
            title: t('common.status'), dataIndex: 'status', valueType: 'select',
            valueEnum: Object.fromEntries(STATUSES.map((s) => [s, { text: t(`status.app.${s}`) }])),
            render: (_, row) => <StatusTag domain="application" value={row.status} />,
          },
          { title: t('financing.banks'), dataIndex: 'banks', search: false, render: (_, row) => <Space size={4} wrap>{row.banks.map((b) => <Tag key={b.bank.id}>{b.bank.name}</Tag>)}</Space> },
          { title: t('queue.multi'), dataIndex: 'multi_bank', search: false, render: (_, row) => (row.multi_bank ? t('common.yes') : t('common.no')) },
          { title: t('common.createdAt'), dataIndex: 'created_at', search: false, render: (_, row) => formatDateTime(row.created_at) },
          { title: '', valueType: 'option', render: (_, row) => <a key="v" onClick={() => navigate(`/bank/applications/${row.id}`)} data-testid={`review-${row.id}`}>{t('queue.review')}</a> },
        ]}
      />
    </>
  );
}
