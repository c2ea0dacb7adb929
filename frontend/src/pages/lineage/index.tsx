import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, Card, Descriptions, Input, Space, Spin, Tag } from 'antd';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { getLineage, type Lineage } from '../../services/receivables';
import { formatDate } from '../../utils/date';
import { LineageTree } from './components/LineageTree';

export default function LineagePage() {
  const { tokenId } = useParams();
  const navigate = useNavigate();
  const { t } = useI18n();
  const [lineage, setLineage] = useState<Lineage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!tokenId) return;
    setLoading(true);
    setError(null);
    getLineage(Number(tokenId))
      .then(setLineage)
      .catch((cause: unknown) => { setLineage(null); setError(cause); })
      .finally(() => setLoading(false));
  }, [tokenId]);

  return (
    <>
      <PageHeader title={t('lineage.title')} subtitle={t('lineage.subtitle')} extra={
        <Input.Search placeholder={t('lineage.search')} allowClear enterButton style={{ width: 280 }} defaultValue={tokenId}
          onSearch={(value) => { const id = value.replace(/[#\s]/g, ''); if (/^\d+$/.test(id)) navigate(`/lineage/${id}`); }} data-testid="lineage-search" />
      } />
      <ErrorAlert error={error} />
      {loading ? <Spin /> : null}
      {lineage ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card>
            <Descriptions size="small" column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={t('piece.root')}>#{lineage.root_id}</Descriptions.Item>
              <Descriptions.Item label={t('piece.debtor')}>{lineage.debtor?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('piece.maturity')}>{formatDate(lineage.maturity_date)}</Descriptions.Item>
              <Descriptions.Item label={t('piece.face')}><Money fen={lineage.face_value_fen} /></Descriptions.Item>
              <Descriptions.Item label={t('lineage.outstanding')}><Money fen={lineage.outstanding_fen} /></Descriptions.Item>
              <Descriptions.Item label={t('review.settled')}><Money fen={lineage.settled_fen} /></Descriptions.Item>
              <Descriptions.Item label={t('lineage.conservation')}>
                {lineage.conserved ? <Tag color="success">{t('lineage.conserved')}</Tag> : <Tag color="error">{t('lineage.notConserved')}</Tag>}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={lineage.tree_visible ? t('lineage.wholeTree') : t('lineage.ancestry')}>
            {!lineage.tree_visible ? <Alert type="info" showIcon message={t('lineage.ancestryOnly')} style={{ marginBottom: 12 }} /> : null}
            <LineageTree nodes={lineage.tree ?? lineage.ancestry} highlight={lineage.token_id} />
          </Card>
        </Space>
      ) : null}
      {!tokenId ? <Card><Alert type="info" showIcon message={t('lineage.hint')} /></Card> : null}
    </>
  );
}
