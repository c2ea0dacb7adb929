import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { ErrorAlert } from '../../components/ErrorAlert';
import { changePassword } from '../../services/auth';
import { applyServerErrors } from '../../utils/formErrors';

interface PasswordValues {
  old_password: string;
  password: string;
  confirm: string;
}

/** Shown instead of every page while the server says the password an administrator chose must
 * be replaced (`password_change_required`): the API answers nothing else until then. */
export default function PasswordChangePage() {
  const { me, refresh, signOut } = useSession();
  const { t, st } = useI18n();
  const [form] = Form.useForm<PasswordValues>();
  const [error, setError] = useState<unknown>(null);
  const [leftover, setLeftover] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const onFinish = async (values: PasswordValues) => {
    setBusy(true);
    setError(null);
    try {
      await changePassword(values.old_password, values.password);
      await refresh();
    } catch (cause) {
      setError(cause);
      setLeftover(applyServerErrors(form, cause, {}, st));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="scf-login">
      <Card className="scf-login-card" variant="borderless" data-testid="password-change">
        <Space direction="vertical" size={4} style={{ width: '100%', marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('password.title')}</Typography.Title>
          <Typography.Text type="secondary">{me?.user.username}</Typography.Text>
        </Space>
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('password.why')} />
        <ErrorAlert error={error} extra={leftover} />
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="old_password" label={t('password.old')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="old_password" />
          </Form.Item>
          <Form.Item name="password" label={t('password.new')} extra={t('password.rules')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" id="new_password" />
          </Form.Item>
          <Form.Item name="confirm" label={t('password.confirm')} dependencies={['password']} rules={[
            { required: true, message: t('auth.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) => (!value || getFieldValue('password') === value
                ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
            }),
          ]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" id="confirm_password" />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">{t('password.submit')}</Button>
            <Button onClick={() => signOut()}>{t('auth.signOut')}</Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
