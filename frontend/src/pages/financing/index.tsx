import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Card, Col, Popconfirm, Row, Space, Table, Tag } from 'antd';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { StatusTag } from '../../components/StatusTag';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { useServerMessage } from '../../components/useServerMessage';
import { allApplications, acceptQuote, getApplication, isOperation, withdrawApplication, type FinancingApplication, type FinancingApplicationDetail, type FinancingQuote } from '../../services/banking';
import { allVouchers, allPieces, type Piece, type Voucher } from '../../services/receivables';
import { formatDate, formatDateTime } from '../../utils/date';
import { ApplyForm } from './components/ApplyForm';
import { QuoteComparison } from './components/QuoteComparison';

const WITHDRAWABLE = new Set(['submitted']);

export default function FinancingPage() {
  const { access } = useSession();
  const { t } = useI18n();
  const chain = useChainActions();
  const notify = useServerMessage();
  const [search] = useSearchParams();
  const initialToken = search.get('token') ? Number(search.get('token')) : undefined;
  const [applications, setApplications] = useState<FinancingApplication[]>([]);
  const [details, setDetails] = useState<Record<number, FinancingApplicationDetail>>({});
  const [pieces, setPieces] = useState<Piece[]>([]);
  const [vouchers, setVouchers] = useState<Voucher[]>([]);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const [apps, mine, received] = await Promise.all([
        allApplications(),
        allPieces({ held_by_me: true }),
        allVouchers(),
      ]);
      setApplications(apps);
      setPieces(mine);
      setVouchers(received);
      setDetails({});
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, chain.version]);

  const loadDetail = async (id: number) => {
    try {
      const detail = await getApplication(id);
      setDetails((prev) => ({ ...prev, [id]: detail }));
    } catch (cause) {
      notify.error(cause);
    }
  };

  const accept = async (quote: FinancingQuote) => {
    try {
      await chain.run(`${t('quote.accept')} · ${quote.bank.name}`, () => acceptQuote(quote.id));
    } catch (cause) {
      notify.error(cause);
    }
  };

  const withdraw = async (app: FinancingApplication) => {
    try {
      const answer = await withdrawApplication(app.id);
      if (isOperation(answer)) chain.track(answer.operation_id, t('financing.withdraw'));
      else void load();
    } catch (cause) {
      notify.error(cause);
    }
  };

  return (
    <>
      <PageHeader title={t('menu.financing')} subtitle={t('financing.subtitle')} />
      <ErrorAlert error={error} />
      <Row gutter={16}>
        {access.canApplyForFinancing ? (
          <Col xs={24} xl={8} style={{ marginBottom: 16 }}>
            <ApplyForm pieces={pieces} vouchers={vouchers} initialToken={initialToken} onDone={() => void load()} />
          </Col>
        ) : null}
        <Col xs={24} xl={access.canApplyForFinancing ? 16 : 24}>
          <Card title={t('financing.mine')}>
            <Table<FinancingApplication>
              rowKey="id"
              size="small"
              scroll={{ x: 'max-content' }}
              dataSource={applications}
              pagination={{ pageSize: 20 }}
              expandable={{
                onExpand: (expanded, row) => { if (expanded) void loadDetail(row.id); },
                expandedRowRender: (row) => details[row.id]
                  ? <QuoteComparison quotes={details[row.id].quotes} onAccept={access.canApplyForFinancing && row.multi_bank && row.status === 'submitted' ? (q) => void accept(q) : undefined} />
                  : null,
              }}
              columns={[
                { title: '#', dataIndex: 'id', width: 60 },
                { title: t('financing.piece'), dataIndex: 'token_id', render: (id: number) => <span style={{ whiteSpace: 'nowrap' }}>#{id}</span> },
                { title: t('financing.amount'), dataIndex: 'amount_fen', align: 'right', render: (fen: number) => <Money fen={fen} /> },
                { title: t('piece.maturity'), dataIndex: 'maturity_date', render: (d: string) => formatDate(d) },
                { title: t('financing.banks'), dataIndex: 'banks', render: (_: unknown, row) => <Space size={4} wrap>{row.banks.map((b) => <Tag key={b.bank.id}>{b.bank.name}</Tag>)}</Space> },
                { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag domain="application" value={s} /> },
                { title: t('common.createdAt'), dataIndex: 'created_at', render: (d: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d)}</span> },
                {
                  title: '', key: 'a', render: (_: unknown, row) => access.canApplyForFinancing && WITHDRAWABLE.has(row.status) ? (
                    <Popconfirm title={t('financing.withdrawConfirm')} onConfirm={() => void withdraw(row)}>
                      <Button size="small">{t('financing.withdraw')}</Button>
                    </Popconfirm>
                  ) : null,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
