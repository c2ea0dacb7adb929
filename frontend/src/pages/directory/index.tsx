import { Space, Tag, Typography } from 'antd';
import { ProTable } from '@ant-design/pro-components';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { pagedRequest } from '../../components/pagedRequest';
import { StatusTag } from '../../components/StatusTag';
import { useServerMessage } from '../../components/useServerMessage';
import type { OrganisationKind } from '../../services/auth';
import { listDirectory, type DirectoryMember } from '../../services/organisations';

const BUSINESS_KINDS: OrganisationKind[] = ['core_enterprise', 'supplier', 'bank'];
const ALL_KINDS: OrganisationKind[] = ['platform', 'core_enterprise', 'supplier', 'bank', 'regulator'];

/** 会员名录: the members one may do business with, by name and unified social credit code (the
 * number the trade contract, transfer and financing forms take). The platform operator and the
 * regulator see every organisation, with whether it is admitted. */
export default function DirectoryPage() {
  const { access } = useSession();
  const { t } = useI18n();
  const notify = useServerMessage();
  const kinds = access.readsAll ? ALL_KINDS : BUSINESS_KINDS;
  return (
    <>
      <PageHeader title={t('menu.directory')} subtitle={t(access.readsAll ? 'directory.subtitleAll' : 'directory.subtitle')} />
      <ProTable<DirectoryMember>
        rowKey="id"
        data-testid="directory-table"
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        search={{ labelWidth: 'auto' }}
        request={pagedRequest(listDirectory, notify.error)}
        columns={[
          {
            title: t('directory.search'), dataIndex: 'search', hideInTable: true,
            fieldProps: { 'data-testid': 'directory-search' },
          },
          { title: t('directory.name'), dataIndex: 'name', search: false, render: (_, row) => <Typography.Text strong>{row.name}</Typography.Text> },
          {
            title: t('directory.creditCode'), dataIndex: 'credit_code', search: false,
            render: (_, row) => (
              <Typography.Text copyable={{ tooltips: [t('directory.copy'), t('directory.copied')] }} style={{ fontFamily: 'monospace' }} data-testid={`directory-code-${row.id}`}>
                {row.credit_code}
              </Typography.Text>
            ),
          },
          {
            title: t('directory.kind'), dataIndex: 'kind', valueType: 'select', width: 140,
            valueEnum: Object.fromEntries(kinds.map((kind) => [kind, { text: t(`kind.${kind}`) }])),
            render: (_, row) => <Tag color="blue">{t(`kind.${row.kind}`)}</Tag>,
          },
          {
            title: t('common.status'), dataIndex: 'status', valueType: 'select', width: 110, search: access.readsAll ? undefined : false,
            valueEnum: { active: { text: t('status.org.active') }, suspended: { text: t('status.org.suspended') } },
            render: (_, row) => <StatusTag domain="organisation" value={row.status} />,
          },
          {
            title: t('directory.admitted'), dataIndex: 'admitted', search: false, width: 110, hideInTable: !access.readsAll,
            render: (_, row) => (
              <Space>{row.admitted ? <Tag color="success">{t('directory.admittedYes')}</Tag> : <Tag>{t('directory.admittedNo')}</Tag>}</Space>
            ),
          },
        ]}
      />
    </>
  );
}
