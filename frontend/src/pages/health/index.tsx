import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Row, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { getHealth, type Health, type HealthCheck } from '../../services/health';

type Level = 'ok' | 'degraded' | 'down';
const TAG_COLOR: Record<Level, string> = { ok: 'success', degraded: 'warning', down: 'error' };

function levelOf(check: HealthCheck): Level {
  if (!check.ok) return 'down';
  return check.degraded ? 'degraded' : 'ok';
}

function renderValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export default function HealthPage() {
  const { t, st } = useI18n();
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setHealth(await getHealth());
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <PageHeader title={t('health.title')} extra={<Button icon={<ReloadOutlined />} onClick={() => void load()}>{t('common.refresh')}</Button>} />
      <ErrorAlert error={error} />
      {health ? (
        <>
          <Card style={{ marginBottom: 16 }}>
            {t('health.overall')}: <Tag color={TAG_COLOR[health.status]} data-testid="health-status">{t(`health.${health.status}`)}</Tag>
          </Card>
          <Row gutter={[16, 16]}>
            {Object.entries(health.checks ?? {}).map(([name, check]) => (
              <Col key={name} xs={24} lg={8}>
                <Card title={name} extra={<Tag color={TAG_COLOR[levelOf(check)]}>{t(`health.${levelOf(check)}`)}</Tag>}>
                  {check.error ? <ErrorAlert error={new Error(check.error)} /> : null}
                  {check.warning ? <Alert type="warning" showIcon message={st(check.warning)} style={{ marginBottom: 8 }} /> : null}
                  <Descriptions size="small" column={1}>
                    {Object.entries(check).filter(([key]) => !['ok', 'error', 'contracts', 'degraded', 'warning'].includes(key)).map(([key, value]) => (
                      <Descriptions.Item key={key} label={key}>{st(renderValue(value))}</Descriptions.Item>
                    ))}
                    {check.contracts && typeof check.contracts === 'object' ? Object.entries(check.contracts as Record<string, string>).map(([contract, address]) => (
                      <Descriptions.Item key={contract} label={contract}><code style={{ fontSize: 11 }}>{address}</code></Descriptions.Item>
                    )) : null}
                  </Descriptions>
                </Card>
              </Col>
            ))}
          </Row>
        </>
      ) : null}
    </>
  );
}
