import { useCallback, useEffect, useMemo, useState, type Key } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { Money } from '../../components/Money';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PieceStatus } from '../../components/PieceStatus';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { allPieces, listHoldings, type HoldingGroup, type HoldingsPage, type Piece } from '../../services/receivables';
import { formatDate } from '../../utils/date';
import { formatYuan } from '../../utils/money';
import { PieceMoveDrawer } from './components/PieceMoveDrawer';

const groupKey = (group: HoldingGroup) => `${group.debtor.address}-${group.maturity_date}`;

export default function HoldingsPage() {
  const { access } = useSession();
  const { t } = useI18n();
  const { version } = useChainActions();
  const navigate = useNavigate();
  const [holdings, setHoldings] = useState<HoldingsPage | null>(null);
  const [pieces, setPieces] = useState<Piece[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [moving, setMoving] = useState<{ piece: Piece; mode: 'transfer' | 'split' } | null>(null);
  const [expanded, setExpanded] = useState<Key[]>([]);

  const load = useCallback(async () => {
    try {
      const [groups, mine] = await Promise.all([listHoldings(), allPieces({ held_by_me: true })]);
      setHoldings(groups);
      setPieces(mine);
      setExpanded(groups.results.map(groupKey));
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, version]);

  const byToken = useMemo(() => new Map(pieces.map((piece) => [piece.token_id, piece])), [pieces]);

  const pieceColumns = [
    { title: t('piece.token'), dataIndex: 'token_id', width: 110, render: (id: number) => <Link to={`/lineage/${id}`}>#{id}</Link> },
    { title: t('piece.root'), dataIndex: 'root_id', width: 90, render: (id: number) => `#${id}` },
    { title: t('piece.balance'), dataIndex: 'balance_fen', align: 'right' as const, render: (fen: number) => <Money fen={fen} /> },
    { title: t('piece.status'), dataIndex: 'status', render: (_: unknown, piece: Piece) => <PieceStatus status={piece.status} frozen={piece.frozen} /> },
    {
      title: t('common.actions'), key: 'actions', width: 280, render: (_: unknown, piece: Piece) => {
        const movable = access.canMovePieces && piece.status === 'active' && !piece.frozen;
        return (
          <Space size={4} wrap>
            {movable ? <Button size="small" onClick={() => setMoving({ piece, mode: 'transfer' })} data-testid={`transfer-${piece.token_id}`}>{t('move.transfer')}</Button> : null}
            {movable ? <Button size="small" onClick={() => setMoving({ piece, mode: 'split' })} data-testid={`split-${piece.token_id}`}>{t('move.split')}</Button> : null}
            {movable && access.canApplyForFinancing ? <Button size="small" type="primary" ghost onClick={() => navigate(`/financing?token=${piece.token_id}`)} data-testid={`finance-${piece.token_id}`}>{t('financing.apply')}</Button> : null}
            <Link to={`/lineage/${piece.token_id}`}>{t('menu.lineage')}</Link>
          </Space>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader title={t('menu.holdings')} subtitle={t('holdings.subtitle')} />
      <ErrorAlert error={error} />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}><Card><Statistic title={t('holdings.total')} value={holdings ? formatYuan(holdings.total_fen) : '—'} /></Card></Col>
        <Col xs={24} md={8}><Card><Statistic title={t('holdings.pieces')} value={holdings?.total_pieces ?? 0} /></Card></Col>
        <Col xs={24} md={8}><Card><Statistic title={t('holdings.groups')} value={holdings?.count ?? 0} /></Card></Col>
      </Row>
      <Card>
        <Table<HoldingGroup>
          rowKey={groupKey}
          dataSource={holdings?.results ?? []}
          loading={!holdings && !error}
          pagination={false}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: (keys) => setExpanded([...keys]),
            expandedRowRender: (group) => (
              <Table<Piece> size="small" rowKey="token_id" pagination={false} columns={pieceColumns}
                dataSource={group.token_ids.map((id) => byToken.get(id)).filter((piece): piece is Piece => Boolean(piece))} />
            ),
          }}
          columns={[
            { title: t('piece.debtor'), dataIndex: ['debtor', 'name'], render: (_: unknown, group) => <Typography.Text strong>{group.debtor.name ?? group.debtor.address}</Typography.Text> },
            { title: t('piece.maturity'), dataIndex: 'maturity_date', render: (_: unknown, group) => formatDate(group.maturity_date) },
            { title: t('holdings.pieces'), dataIndex: 'pieces', width: 100 },
            { title: t('common.total'), dataIndex: 'total_fen', align: 'right', render: (_: unknown, group) => <Money fen={group.total_fen} strong /> },
          ]}
        />
      </Card>
      {moving ? <PieceMoveDrawer piece={moving.piece} initialMode={moving.mode} onClose={(changed) => { setMoving(null); if (changed) void load(); }} /> : null}
    </>
  );
}
