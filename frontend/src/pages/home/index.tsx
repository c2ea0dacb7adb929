import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Col, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useSession } from '../../app/session';
import { ROUTES } from '../../app/routes';
import { useI18n } from '../../locales';
import { listOperations } from '../../services/operations';
import { listNotifications } from '../../services/notifications';
import { listApprovals } from '../../services/approvals';

export default function HomePage() {
  const { me, access } = useSession();
  const { t } = useI18n();
  const [counts, setCounts] = useState<{ ops: number; unread: number; awaiting: number | null }>({ ops: 0, unread: 0, awaiting: null });
  useEffect(() => {
    let stopped = false;
    void (async () => {
      try {
        const [inFlight, unread, awaiting] = await Promise.all([
          listOperations({ final: false }),
          listNotifications({ unread: true }),
          access.canDecideApprovals ? listApprovals({ awaiting_me: true }) : Promise.resolve(null),
        ]);
        if (!stopped) setCounts({ ops: inFlight.count, unread: unread.count, awaiting: awaiting?.count ?? null });
      } catch {
        // counters only
      }
    })();
    return () => {
      stopped = true;
    };
  }, [access.canDecideApprovals]);
  if (!me) return null;
  const links = ROUTES.filter((route) => route.path !== '/' && !route.hideInMenu && (!route.access || access[route.access]));
  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="page-title">
          {t('home.greeting', { name: me.user.display_name || me.user.username })}
        </Typography.Title>
        <Space wrap>
          <Typography.Text>{me.organisation.name}</Typography.Text>
          <Tag color="blue">{t(`kind.${me.organisation.kind}`)}</Tag>
          {me.roles.map((role) => <Tag key={role}>{t(`role.${role}`)}</Tag>)}
        </Space>
      </Card>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}>
          <Card><Link to="/operations?pending=1"><Statistic title={t('home.pendingOps')} value={counts.ops} /></Link></Card>
        </Col>
        <Col xs={24} md={8}>
          <Card><Link to="/notifications"><Statistic title={t('home.unread')} value={counts.unread} /></Link></Card>
        </Col>
        {counts.awaiting !== null ? (
          <Col xs={24} md={8}>
            <Card><Link to="/approvals"><Statistic title={t('home.awaitingMe')} value={counts.awaiting} /></Link></Card>
          </Col>
        ) : null}
      </Row>
      <Card title={t('home.quickLinks')}>
        <Row gutter={[12, 12]}>
          {links.map((route) => (
            <Col key={route.path} xs={12} md={6} lg={4}>
              <Link to={route.path}>
                <Card size="small" hoverable style={{ textAlign: 'center' }}>
                  <div style={{ fontSize: 22, color: '#1f5fbf' }}>{route.icon}</div>
                  <div>{t(route.label)}</div>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </Card>
    </>
  );
}
