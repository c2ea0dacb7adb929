import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge, Button, Segmented, Space, Typography } from 'antd';
import { ProTable, type ActionType } from '@ant-design/pro-components';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { listNotifications, markNotificationRead, type Notification } from '../../services/notifications';
import { formatDateTime } from '../../utils/date';

/** A server link such as "/api/vouchers/3" or "/vouchers/3": the page that shows it, if any. */
function pageLink(link: string): string | null {
  if (!link) return null;
  if (link.startsWith('/api/')) return null;
  return link.startsWith('/') ? link : null;
}

export default function NotificationsPage() {
  const { t, st } = useI18n();
  const notify = useServerMessage();
  const ref = useRef<ActionType>(null);
  const [unreadOnly, setUnreadOnly] = useState<'all' | 'unread'>('all');
  return (
    <>
      <PageHeader title={t('notif.title')} extra={
        <Segmented
          value={unreadOnly}
          onChange={(value) => { setUnreadOnly(value as 'all' | 'unread'); ref.current?.reload(); }}
          options={[{ label: t('common.all'), value: 'all' }, { label: t('notif.unreadOnly'), value: 'unread' }]}
        />
      } />
      <ProTable<Notification>
        actionRef={ref}
        rowKey="id"
        search={false}
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        params={{ unread: unreadOnly === 'unread' ? true : undefined }}
        request={pagedRequest(listNotifications, notify.error)}
        columns={[
          {
            title: t('notif.title'), dataIndex: 'title', render: (_, row) => (
              <Space direction="vertical" size={0}>
                <Space>{row.read_at ? null : <Badge status="processing" />}<Typography.Text strong={!row.read_at}>{st(row.title)}</Typography.Text></Space>
                {row.body ? <Typography.Text type="secondary">{st(row.body)}</Typography.Text> : null}
              </Space>
            ),
          },
          { title: t('common.time'), dataIndex: 'created_at', width: 180, render: (_, row) => formatDateTime(row.created_at) },
          {
            title: t('common.actions'), valueType: 'option', width: 180, render: (_, row) => [
              pageLink(row.link) ? <Link key="open" to={pageLink(row.link) as string}>{t('notif.open')}</Link> : null,
              row.read_at ? <Typography.Text key="read" type="secondary">{t('notif.read')}</Typography.Text> : (
                <Button key="mark" size="small" onClick={async () => {
                  try {
                    await markNotificationRead(row.id);
                    ref.current?.reload();
                  } catch (error) {
                    notify.error(error);
                  }
                }}>{t('notif.markRead')}</Button>
              ),
            ],
          },
        ]}
      />
    </>
  );
}
