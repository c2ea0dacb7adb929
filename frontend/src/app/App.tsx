import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import zhCNLocale from 'antd/es/locale/zh_CN';
import enUSLocale from 'antd/es/locale/en_US';
import { I18nProvider, useI18n } from '../locales';
import { SessionProvider, useSession } from './session';
import { ChainActionProvider } from '../components/chain/ChainActionProvider';
import { BasicLayout } from '../layouts/BasicLayout';
import { ROUTES } from './routes';
import LoginPage from '../pages/login';
import PasswordChangePage from '../pages/password';

// Public: the page a document's QR code opens, for anyone, signed in or not.
const VerifyPage = lazy(() => import('../pages/verify'));

function RequireSession() {
  const { me, loading, ensureLoaded } = useSession();
  const location = useLocation();
  useEffect(ensureLoaded, [ensureLoaded]); // first page public, then here through history
  if (loading) return <Spin style={{ display: 'block', margin: '120px auto' }} />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.password_change_required) return <PasswordChangePage />;
  return <BasicLayout />;
}

function Forbidden() {
  const { t } = useI18n();
  return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
}

function AppRoutes() {
  const { access } = useSession();
  const { t } = useI18n();
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/verify" element={<VerifyPage />} />
      <Route element={<RequireSession />}>
        {ROUTES.map((route) => {
          const Page = route.page;
          const allowed = !route.access || access[route.access];
          return <Route key={route.path} path={route.path} element={allowed ? <Page /> : <Forbidden />} />;
        })}
        <Route path="*" element={<Result status="404" title="404" subTitle={t('common.notFound')} />} />
      </Route>
    </Routes>
  );
}

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'zh-CN' ? zhCNLocale : enUSLocale}
      theme={{
        token: {
          colorPrimary: '#1f5fbf',
          borderRadius: 6,
          fontFamily: "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
        },
      }}
    >
      <AntApp>
        <SessionProvider>
          <ChainActionProvider>
            <BrowserRouter>
              <Suspense fallback={<Spin />}>
                <AppRoutes />
              </Suspense>
            </BrowserRouter>
          </ChainActionProvider>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
