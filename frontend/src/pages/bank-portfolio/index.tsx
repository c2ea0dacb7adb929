import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Col, Row, Statistic, Table } from 'antd';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { StatusTag } from '../../components/StatusTag';
import { listHoldings, type HoldingGroup, type HoldingsPage } from '../../services/receivables';
import { allApplications, type FinancingApplication } from '../../services/banking';
import { formatDate } from '../../utils/date';
import { formatYuan } from '../../utils/money';

export default function BankPortfolioPage() {
  const { t } = useI18n();
  const [holdings, setHoldings] = useState<HoldingsPage | null>(null);
  const [financed, setFinanced] = useState<FinancingApplication[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const [groups, apps] = await Promise.all([listHoldings(), allApplications({ status: ['financed', 'disbursed'] })]);
      setHoldings(groups);
      setFinanced(apps);
    } catch (cause) {
      setError(cause);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <PageHeader title={t('menu.portfolio')} subtitle={t('portfolio.subtitle')} />
      <ErrorAlert error={error} />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}><Card><Statistic title={t('portfolio.held')} value={holdings ? formatYuan(holdings.total_fen) : '—'} /></Card></Col>
        <Col xs={24} md={8}><Card><Statistic title={t('holdings.pieces')} value={holdings?.total_pieces ?? 0} /></Card></Col>
        <Col xs={24} md={8}><Card><Statistic title={t('portfolio.financedCount')} value={financed.length} /></Card></Col>
      </Row>
      <Card title={t('portfolio.maturities')} style={{ marginBottom: 16 }}>
        <Table<HoldingGroup> scroll={{ x: 'max-content' }} rowKey={(g) => `${g.debtor.address}-${g.maturity_date}`} dataSource={holdings?.results ?? []} pagination={false}
          columns={[
            { title: t('piece.maturity'), dataIndex: 'maturity_date', render: (d: string) => formatDate(d) },
            { title: t('piece.debtor'), dataIndex: ['debtor', 'name'] },
            { title: t('holdings.pieces'), dataIndex: 'pieces' },
            { title: t('common.total'), dataIndex: 'total_fen', align: 'right', render: (f: number) => <Money fen={f} strong /> },
            { title: t('piece.token'), dataIndex: 'token_ids', render: (ids: number[]) => ids.map((id) => <Link key={id} to={`/lineage/${id}`} style={{ marginRight: 8 }}>#{id}</Link>) },
          ]} />
      </Card>
      <Card title={t('portfolio.financed')}>
        <Table<FinancingApplication> scroll={{ x: 'max-content' }} rowKey="id" dataSource={financed} pagination={{ pageSize: 20 }}
          columns={[
            { title: '#', dataIndex: 'id', render: (id: number) => <Link to={`/bank/applications/${id}`}>#{id}</Link> },
            { title: t('review.applicant'), dataIndex: ['applicant', 'name'] },
            { title: t('financing.amount'), dataIndex: 'amount_fen', align: 'right', render: (f: number) => <Money fen={f} /> },
            { title: t('piece.maturity'), dataIndex: 'maturity_date', render: (d: string) => formatDate(d) },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag domain="application" value={s} /> },
          ]} />
      </Card>
    </>
  );
}
