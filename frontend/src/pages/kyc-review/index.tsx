import { useCallback, useEffect, useState } from 'react';
import { Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { getKycCase, listKycReviewQueue, type KycCase } from '../../services/kyc';
import { formatDateTime } from '../../utils/date';
import { KycCaseDetail } from './components/KycCaseDetail';

export default function KycReviewPage() {
  const { t } = useI18n();
  const { version } = useChainActions();
  const [queue, setQueue] = useState<KycCase[]>([]);
  const [count, setCount] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<KycCase | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const page = await listKycReviewQueue();
      setQueue(page.results);
      setCount(page.count);
      setError(null);
    } catch (cause) {
      setError(cause);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, version]);

  return (
    <>
      <PageHeader title={t('kyc.queue')} subtitle={t('kyc.queueCount', { n: count })} />
      <ErrorAlert error={error} />
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('kyc.queue')}>
            <List
              loading={loading}
              dataSource={queue}
              locale={{ emptyText: <Empty description={t('kyc.emptyQueue')} /> }}
              renderItem={(item) => (
                <List.Item
                  onClick={() => setSelected(item)}
                  style={{ cursor: 'pointer', background: selected?.id === item.id ? '#e6f0ff' : undefined, paddingInline: 8 }}
                  data-testid={`kyc-queue-item-${item.id}`}
                >
                  <List.Item.Meta
                    title={<Space><span>{item.organisation.name}</span><Tag color="blue">{t(`kind.${item.organisation.kind}`)}</Tag></Space>}
                    description={<Typography.Text type="secondary">{t('kyc.submittedAt')} {formatDateTime(item.submitted_at)} · {t('kyc.revision')} {item.revision}</Typography.Text>}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          {selected ? (
            <KycCaseDetail
              key={selected.id}
              kycCase={selected}
              onChanged={(next) => {
                setSelected(next);
                void load();
                void getKycCase(next.id).then(setSelected).catch(() => undefined);
              }}
            />
          ) : (
            <Card><Empty description={t('kyc.selectCase')} /></Card>
          )}
        </Col>
      </Row>
    </>
  );
}
