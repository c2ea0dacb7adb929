import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Drawer, Segmented, Typography } from 'antd';
import { ProTable } from '@ant-design/pro-components';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { StatusTag } from '../../components/StatusTag';
import { TxHash } from '../../components/TxHash';
import { OperationProgress } from '../../components/chain/OperationProgress';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { listOperations, type Operation, type OperationStatus } from '../../services/operations';
import { formatDateTime } from '../../utils/date';

type Filter = 'all' | 'inFlight' | OperationStatus;

/** In progress = not final (pending, submitted or mined): one query, as the header's counter. */
function filterQuery(filter: Filter): { status?: OperationStatus; final?: string } {
  if (filter === 'all') return {};
  if (filter === 'inFlight') return { final: 'false' };
  return { status: filter };
}

export default function OperationsPage() {
  const { t } = useI18n();
  const notify = useServerMessage();
  const { version } = useChainActions();
  const [search, setSearch] = useSearchParams();
  const [filter, setFilter] = useState<Filter>(search.get('pending') ? 'inFlight' : 'all');
  const [open, setOpen] = useState<Operation | null>(null);
  return (
    <>
      <PageHeader title={t('ops.title')} extra={
        <Segmented<Filter>
          value={filter}
          onChange={(value) => { setFilter(value); setSearch({}); }}
          options={(['all', 'inFlight', 'pending', 'submitted', 'mined', 'confirmed', 'failed'] as Filter[]).map((value) => ({
            value, label: value === 'all' ? t('common.all') : t(`status.op.${value}`),
          }))}
        />
      } />
      <ProTable<Operation>
        rowKey="id"
        search={false}
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        params={{ ...filterQuery(filter), version }}
        request={pagedRequest(listOperations, notify.error, ({ version: _v, ...rest }) => { void _v; return rest as Record<string, string>; })}
        onRow={(row) => ({ onClick: () => setOpen(row), style: { cursor: 'pointer' } })}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          { title: t('ops.function'), dataIndex: 'function', render: (_, row) => <Typography.Text code>{row.contract}.{row.function}</Typography.Text> },
          { title: t('common.status'), dataIndex: 'status', width: 110, render: (_, row) => <StatusTag domain="operation" value={row.status} /> },
          { title: t('ops.txHash'), dataIndex: 'tx_hash', render: (_, row) => <TxHash value={row.tx_hash} /> },
          { title: t('ops.block'), dataIndex: 'block_number', width: 90 },
          { title: t('ops.error'), dataIndex: 'error', ellipsis: true, render: (_, row) => row.error ? <Typography.Text type="danger">{row.error.name || row.error.message}</Typography.Text> : '—' },
          { title: t('common.createdAt'), dataIndex: 'created_at', width: 170, render: (_, row) => formatDateTime(row.created_at) },
        ]}
      />
      <Drawer open={Boolean(open)} onClose={() => setOpen(null)} width={620} title={open ? `${t('ops.operationId')} #${open.id}` : ''} destroyOnHidden>
        {open ? <OperationProgress operationId={open.id} /> : null}
      </Drawer>
    </>
  );
}
