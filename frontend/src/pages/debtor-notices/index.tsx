import { Link } from 'react-router-dom';
import { Tag, Typography } from 'antd';
import { ProTable } from '@ant-design/pro-components';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { Money } from '../../components/Money';
import { TxHash } from '../../components/TxHash';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { listDebtorNotices, type DebtorNotice } from '../../services/receivables';
import { formatDate, formatDateTime } from '../../utils/date';

export default function DebtorNoticesPage() {
  const { t } = useI18n();
  const notify = useServerMessage();
  return (
    <>
      <PageHeader title={t('menu.debtorNotices')} subtitle={t('notices.subtitle')} />
      <ProTable<DebtorNotice>
        rowKey="id"
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        search={{ labelWidth: 'auto' }}
        request={pagedRequest(listDebtorNotices, notify.error)}
        expandable={{ expandedRowRender: (n) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{n.text}</Typography.Paragraph> }}
        columns={[
          { title: t('common.time'), dataIndex: 'created_at', search: false, render: (_, n) => formatDateTime(n.created_at) },
          {
            title: t('notices.kind'), dataIndex: 'kind', valueType: 'select',
            valueEnum: { transfer: { text: t('notices.kind.transfer') }, split: { text: t('notices.kind.split') }, financing: { text: t('notices.kind.financing') } },
            render: (_, n) => <Tag>{t(`notices.kind.${n.kind}`)}</Tag>,
          },
          { title: t('notices.from'), dataIndex: ['from_organisation', 'name'], search: false },
          { title: t('notices.to'), dataIndex: ['to_organisation', 'name'], search: false },
          { title: t('common.amount'), dataIndex: 'amount_fen', search: false, align: 'right', render: (_, n) => <Money fen={n.amount_fen} strong /> },
          { title: t('piece.root'), dataIndex: 'root', render: (_, n) => <Link to={`/lineage/${n.to_token_id}`}>#{n.root_id} → #{n.to_token_id}</Link> },
          { title: t('piece.maturity'), dataIndex: 'maturity_date', search: false, render: (_, n) => formatDate(n.maturity_date) },
          { title: t('ops.txHash'), dataIndex: 'tx_hash', search: false, render: (_, n) => <TxHash value={n.tx_hash} /> },
        ]}
      />
    </>
  );
}
