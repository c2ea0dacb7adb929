import { useState } from 'react';
import { Alert, Button, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { ProTable } from '@ant-design/pro-components';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { TxHash } from '../../components/TxHash';
import { listAuditEntries, verifyAuditChain, type AuditEntry, type AuditVerify } from '../../services/audit';
import { formatDateTime } from '../../utils/date';

export default function AuditPage() {
  const { access } = useSession();
  const { t, st } = useI18n();
  const notify = useServerMessage();
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  return (
    <>
      <PageHeader title={t('audit.title')} extra={access.canVerifyAudit ? (
        <Button icon={<SafetyOutlined />} onClick={async () => {
          try {
            setVerify(await verifyAuditChain());
          } catch (error) {
            notify.error(error);
          }
        }} data-testid="audit-verify">{t('audit.verify')}</Button>
      ) : null} />
      {verify ? (
        <Alert style={{ marginBottom: 16 }} showIcon type={verify.intact ? 'success' : 'error'}
          message={verify.intact ? t('audit.intact', { n: verify.checked }) : t('audit.broken', { n: verify.first_broken_sequence ?? '?', problem: st(verify.problem ?? '') })}
          description={verify.chain === 'anchored' ? t('audit.anchored', { n: verify.anchored_sequence ?? '?' })
            : t(verify.chain === 'no_anchor' ? 'audit.noAnchor' : 'audit.chainUnavailable')} />
      ) : null}
      <ProTable<AuditEntry>
        rowKey="sequence"
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        request={pagedRequest(listAuditEntries, notify.error)}
        expandable={{
          expandedRowRender: (row) => (
            <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
              <div><Typography.Text strong>{t('audit.before')}</Typography.Text><pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(row.before, null, 2)}</pre></div>
              <div><Typography.Text strong>{t('audit.after')}</Typography.Text><pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(row.after, null, 2)}</pre></div>
              <div style={{ gridColumn: '1 / 3' }}>{t('audit.entryHash')}: <TxHash value={row.entry_hash} full /></div>
            </div>
          ),
        }}
        columns={[
          { title: t('audit.sequence'), dataIndex: 'sequence', width: 70, search: false },
          { title: t('common.time'), dataIndex: 'created_at', width: 170, search: false, render: (_, row) => formatDateTime(row.created_at) },
          { title: t('audit.actor'), dataIndex: 'actor_username', width: 140, search: false },
          { title: t('audit.action'), dataIndex: 'action_prefix', render: (_, row) => <Typography.Text code>{row.action}</Typography.Text> },
          { title: t('audit.object'), dataIndex: 'object_type', render: (_, row) => `${row.object_type} #${row.object_id}` },
          { title: t('common.id'), dataIndex: 'object_id', hideInTable: true },
          { title: t('ops.txHash'), dataIndex: 'tx_hash', search: false, render: (_, row) => <TxHash value={row.tx_hash} /> },
        ]}
      />
    </>
  );
}
