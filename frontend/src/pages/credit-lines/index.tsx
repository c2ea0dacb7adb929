import { ProTable } from '@ant-design/pro-components';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { Money } from '../../components/Money';
import { StatusTag } from '../../components/StatusTag';
import { CreditLineUse } from '../../components/CreditLineUse';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { listCreditLineChanges, listCreditLines, type CreditLine, type CreditLineChange } from '../../services/banking';
import { formatDate, formatDateTime } from '../../utils/date';

export default function CreditLinesPage() {
  const { t } = useI18n();
  const notify = useServerMessage();
  return (
    <>
      <PageHeader title={t('menu.creditLines')} subtitle={t('credit.subtitle')} />
      <ProTable<CreditLine>
        rowKey="id"
        search={false}
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        request={pagedRequest(listCreditLines, notify.error)}
        columns={[
          { title: t('voucher.bank'), dataIndex: ['bank', 'name'] },
          { title: t('credit.limit'), dataIndex: 'limit_fen', align: 'right', render: (_, l) => <Money fen={l.use.limit_fen} strong /> },
          { title: t('credit.use'), dataIndex: 'use', render: (_, l) => <CreditLineUse line={l} /> },
          { title: t('credit.expiresOn'), dataIndex: 'expires_on', render: (_, l) => formatDate(l.expires_on) },
          { title: t('common.status'), dataIndex: 'status', render: (_, l) => <StatusTag domain="creditLine" value={l.status} /> },
        ]}
      />
      <div style={{ height: 16 }} />
      <ProTable<CreditLineChange>
        headerTitle={t('credit.history')}
        rowKey="id"
        search={false}
        options={false}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        request={pagedRequest(listCreditLineChanges, notify.error)}
        columns={[
          { title: t('voucher.bank'), dataIndex: ['bank', 'name'] },
          { title: t('credit.change'), dataIndex: 'kind_display', render: (_, c) => t(`credit.kind.${c.kind}`) },
          { title: t('credit.limit'), dataIndex: 'limit_fen', align: 'right', render: (_, c) => (c.limit_fen === null ? '—' : <Money fen={c.limit_fen} />) },
          { title: t('credit.expiresOn'), dataIndex: 'expires_on', render: (_, c) => formatDate(c.expires_on) },
          { title: t('common.status'), dataIndex: 'status', render: (_, c) => <StatusTag domain="lineChange" value={c.status} /> },
          { title: t('common.time'), dataIndex: 'applied_at', render: (_, c) => formatDateTime(c.applied_at ?? c.created_at) },
        ]}
      />
    </>
  );
}
