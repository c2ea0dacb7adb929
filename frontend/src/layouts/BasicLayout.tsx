import { Suspense, useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Badge, Button, Dropdown, Layout, Menu, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { BellOutlined, GlobalOutlined, LinkOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useSession } from '../app/session';
import { ROUTES } from '../app/routes';
import { useI18n } from '../locales';
import { useChainActions } from '../components/chain/ChainActionProvider';
import { listOperations } from '../services/operations';
import { listNotifications } from '../services/notifications';

const { Header, Sider, Content } = Layout;
const POLL_MS = 15_000;

function useCounters() {
  const { version } = useChainActions();
  const location = useLocation();
  const [pending, setPending] = useState(0);
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const [inFlight, notes] = await Promise.all([
          listOperations({ final: false }),
          listNotifications({ unread: true }),
        ]);
        if (stopped) return;
        setPending(inFlight.count);
        setUnread(notes.count);
      } catch {
        // The counters are a convenience: the pages themselves show errors.
      }
    };
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [version, location.pathname]);
  return { pending, unread };
}

export function BasicLayout() {
  const { me, access, signOut } = useSession();
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const { pending, unread } = useCounters();
  const [collapsed, setCollapsed] = useState(false);
  if (!me) return null;

  const items = ROUTES.filter((route) => !route.hideInMenu && (!route.access || access[route.access])).map((route) => ({
    key: route.path,
    icon: route.icon,
    label: <Link to={route.path}>{t(route.label)}</Link>,
  }));
  const selected = ROUTES.filter((route) => !route.hideInMenu && (route.path === '/' ? location.pathname === '/' : location.pathname.startsWith(route.path)))
    .map((route) => route.path)
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider width={220} collapsible collapsed={collapsed} onCollapse={setCollapsed} theme="light" breakpoint="lg" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div className="scf-brand">
          <span className="scf-brand-mark">链</span>
          {!collapsed ? <span className="scf-brand-text">{t('app.title')}</span> : null}
        </div>
        <Menu mode="inline" selectedKeys={selected} items={items} data-testid="main-menu" style={{ borderInlineEnd: 'none' }} />
      </Sider>
      <Layout>
        <Header className="scf-header">
          <Space size="middle" className="scf-header-org">
            <Typography.Text strong data-testid="org-name">{me.organisation.name}</Typography.Text>
            <Tag color="blue">{t(`kind.${me.organisation.kind}`)}</Tag>
            {me.organisation.status === 'suspended' ? <Tag color="red">{t('status.org.suspended')}</Tag> : null}
          </Space>
          <Space size="middle">
            <Tooltip title={t('header.pendingOps')}>
              <Badge count={pending} size="small" offset={[-2, 2]}>
                <Button type="text" icon={<LinkOutlined />} onClick={() => navigate('/operations?pending=1')} aria-label={t('header.pendingOps')} data-testid="pending-ops" />
              </Badge>
            </Tooltip>
            <Tooltip title={t('header.unread')}>
              <Badge count={unread} size="small" offset={[-2, 2]}>
                <Button type="text" icon={<BellOutlined />} onClick={() => navigate('/notifications')} aria-label={t('header.unread')} data-testid="unread" />
              </Badge>
            </Tooltip>
            <Button type="text" icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')} data-testid="switch-lang">
              {t('header.switchLang')}
            </Button>
            <Dropdown
              menu={{
                items: [
                  { key: 'org', icon: <UserOutlined />, label: <Link to="/organisation">{t('menu.organisation')}</Link> },
                  { type: 'divider' },
                  { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="sign-out">{t('auth.signOut')}</span>, onClick: () => void signOut().then(() => navigate('/login')) },
                ],
              }}
            >
              <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} />
                <span>{me.user.display_name || me.user.username}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{me.roles.map((role) => t(`role.${role}`)).join(' · ')}</Typography.Text>
              </Space>
            </Dropdown>
          </Space>
        </Header>
        <Content className="scf-content">
          <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
