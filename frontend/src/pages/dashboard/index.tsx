import { useEffect, useMemo, useState } from 'react';
import { Card, Col, Row, Segmented, Space, Statistic, Typography } from 'antd';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { allPieceOperations, allPieces, allVouchers, type Piece } from '../../services/receivables';
import { allApplications, allClearingBatches } from '../../services/banking';
import { formatYuan } from '../../utils/money';
import { BarChart, type Series } from './components/BarChart';

type Grain = 'day' | 'month';

interface Event {
  series: string;
  at: string;
  fen: bigint;
}

function periodOf(at: string, grain: Grain): string {
  const d = new Date(at);
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  return grain === 'month' ? `${y}-${m}` : `${m}-${String(d.getDate()).padStart(2, '0')}`;
}

function lastPeriods(grain: Grain, count: number): string[] {
  const out: string[] = [];
  const now = new Date();
  for (let i = count - 1; i >= 0; i -= 1) {
    const d = grain === 'month' ? new Date(now.getFullYear(), now.getMonth() - i, 1) : new Date(now.getFullYear(), now.getMonth(), now.getDate() - i);
    out.push(periodOf(d.toISOString(), grain));
  }
  return out;
}

export default function DashboardPage() {
  const { t } = useI18n();
  const [events, setEvents] = useState<Event[]>([]);
  const [overdue, setOverdue] = useState<Piece[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [grain, setGrain] = useState<Grain>('day');

  useEffect(() => {
    void (async () => {
      try {
        const [vouchers, operations, applications, batches, overduePieces] = await Promise.all([
          allVouchers(),
          allPieceOperations({ status: 'confirmed' }),
          allApplications({ status: ['financed', 'disbursed'] }),
          allClearingBatches(),
          allPieces({ status: 'overdue' }),
        ]);
        const out: Event[] = [];
        for (const v of vouchers) if (v.token_id) out.push({ series: 'issued', at: v.created_at, fen: BigInt(v.face_value_fen) });
        for (const op of operations) if (op.kind === 'transfer' && op.amount_fen) out.push({ series: 'transferred', at: op.created_at, fen: BigInt(op.amount_fen) });
        for (const app of applications) out.push({ series: 'financed', at: app.updated_at, fen: BigInt(app.amount_fen) });
        for (const b of batches) if (b.status === 'settled' || b.status === 'partially_settled') out.push({ series: 'settled', at: b.confirmed_at ?? b.created_at, fen: BigInt(b.total_fen) });
        for (const p of overduePieces) out.push({ series: 'overdue', at: p.maturity_date ?? new Date().toISOString(), fen: BigInt(p.balance_fen) });
        setEvents(out);
        setOverdue(overduePieces);
      } catch (cause) {
        setError(cause);
      }
    })();
  }, []);

  const series: Series[] = [
    { key: 'issued', label: t('dash.issued'), color: '#1f5fbf' },
    { key: 'transferred', label: t('dash.transferred'), color: '#13a8a8' },
    { key: 'financed', label: t('dash.financed'), color: '#722ed1' },
    { key: 'settled', label: t('dash.settled'), color: '#52c41a' },
    { key: 'overdue', label: t('dash.overdue'), color: '#f5222d' },
  ];

  const { periods, values, totals, counts } = useMemo(() => {
    const periods = lastPeriods(grain, grain === 'day' ? 14 : 12);
    const index = new Map(periods.map((p, i) => [p, i]));
    const values: Record<string, bigint[]> = {};
    const totals: Record<string, bigint> = {};
    const counts: Record<string, number> = {};
    for (const s of ['issued', 'transferred', 'financed', 'settled', 'overdue']) {
      values[s] = periods.map(() => 0n);
      totals[s] = 0n;
      counts[s] = 0;
    }
    for (const e of events) {
      totals[e.series] += e.fen;
      counts[e.series] += 1;
      const i = index.get(periodOf(e.at, grain));
      if (i !== undefined) values[e.series][i] += e.fen;
    }
    return { periods, values, totals, counts };
  }, [events, grain]);

  return (
    <>
      <PageHeader title={t('menu.dashboard')} subtitle={t('dash.subtitle')} extra={
        <Segmented<Grain> value={grain} onChange={setGrain} options={[{ value: 'day', label: t('dash.byDay') }, { value: 'month', label: t('dash.byMonth') }]} />
      } />
      <ErrorAlert error={error} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {series.map((s) => (
          <Col key={s.key} flex="1 1 180px">
            <Card size="small">
              <Statistic title={<Space><span style={{ display: 'inline-block', width: 10, height: 10, background: s.color, borderRadius: 2 }} />{s.label}</Space>}
                value={formatYuan(totals[s.key])} valueStyle={{ fontSize: 18 }} />
              <Typography.Text type="secondary">{t('dash.count', { n: counts[s.key] })}</Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      <Card title={t('dash.chart')}>
        <Space wrap style={{ marginBottom: 8 }}>
          {series.map((s) => <Space key={s.key} size={4}><span style={{ display: 'inline-block', width: 10, height: 10, background: s.color, borderRadius: 2 }} />{s.label}</Space>)}
        </Space>
        <BarChart periods={periods} series={series} values={values} />
      </Card>
      {overdue.length ? <Card title={t('dash.overdue')} style={{ marginTop: 16 }}>{overdue.map((p) => <div key={p.token_id}>#{p.token_id} · {p.holder.name} · {formatYuan(p.balance_fen)}</div>)}</Card> : null}
    </>
  );
}
