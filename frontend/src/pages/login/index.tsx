import { useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Button, Card, Form, Input, Space, Typography } from 'antd';
import { GlobalOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerErrors } from '../../utils/formErrors';

interface LoginValues {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { me, signIn, ensureLoaded } = useSession();
  const { t, st, lang, setLang } = useI18n();
  const [form] = Form.useForm<LoginValues>();
  const [error, setError] = useState<unknown>(null);
  const [leftover, setLeftover] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  useEffect(ensureLoaded, [ensureLoaded]);
  if (me) return <Navigate to={from} replace />;

  const onFinish = async (values: LoginValues) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(values.username, values.password);
      navigate(from, { replace: true });
    } catch (cause) {
      setError(cause);
      setLeftover(applyServerErrors(form, cause, {}, st));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="scf-login">
      <Card className="scf-login-card" variant="borderless">
        <Space direction="vertical" size={4} style={{ width: '100%', marginBottom: 24 }}>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>{t('app.title')}</Typography.Title>
            <Button size="small" type="text" icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')} data-testid="switch-lang">
              {t('header.switchLang')}
            </Button>
          </Space>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </Space>
        <ErrorAlert error={error} extra={leftover} />
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} autoComplete="on">
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus id="username" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in">
            {t('auth.signIn')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
