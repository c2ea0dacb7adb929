import { useCallback, useEffect, useMemo, useState, type Key, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Col, Row, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { Money } from '../../components/Money';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PieceStatus } from '../../components/PieceStatus';
import { PieceReservation } from '../../components/PieceReservation';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { allPieces, listHoldings, type HoldingGroup, type HoldingsPage, type Piece } from '../../services/receivables';
import { formatDate } from '../../utils/date';
import { formatYuan } from '../../utils/money';
import { PieceMoveDrawer } from './components/PieceMoveDrawer';

const groupKey = (group: HoldingGroup) => `${group.debtor.address}-${group.maturity_date}`;

export default function HoldingsPage() {
  const { access } = useSession();
  const { t, st } = useI18n();
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
    {
      title: t('piece.status'), dataIndex: 'status', render: (_: unknown, piece: Piece) => (
        <Space size={4} wrap>
          <PieceStatus status={piece.status} frozen={piece.frozen} />
          <PieceReservation reservation={piece.reserved_by} />
        </Space>
      ),
    },
    {
      title: t('common.actions'), key: 'actions', width: 280, render: (_: unknown, piece: Piece) => {
        // The server says why no movement can succeed now (locked, frozen, matured, reserved,
        // in flight); a part in flight still leaves the rest to transfer, not to split or finance.
        const whole = piece.blocked ? st(piece.blocked.message) : null;
        const partial = piece.reserved_by ? st(piece.reserved_by.label) : null;
        const action = (reason: string | null, button: ReactNode) => reason
          ? <Tooltip title={reason}><span data-testid="action-blocked">{button}</span></Tooltip>
          : button;
        if (!access.canMovePieces) return <Link to={`/lineage/${piece.token_id}`}>{t('menu.lineage')}</Link>;
        return (
          <Space size={4} wrap>
            {action(whole, <Button size="small" disabled={Boolean(whole)} onClick={() => setMoving({ piece, mode: 'transfer' })} data-testid={`transfer-${piece.token_id}`}>{t('move.transfer')}</Button>)}
            {action(whole ?? partial, <Button size="small" disabled={Boolean(whole ?? partial)} onClick={() => setMoving({ piece, mode: 'split' })} data-testid={`split-${piece.token_id}`}>{t('move.split')}</Button>)}
            {access.canApplyForFinancing ? action(whole ?? partial, <Button size="small" type="primary" ghost disabled={Boolean(whole ?? partial)} onClick={() => navigate(`/financing?token=${piece.token_id}`)} data-testid={`finance-${piece.token_id}`}>{t('financing.apply')}</Button>) : null}
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
