import { Button, Table, Tag, Tooltip, Typography } from 'antd';
import { TrophyOutlined } from '@ant-design/icons';
import { useI18n } from '../../../locales';
import { Money } from '../../../components/Money';
import { StatusTag } from '../../../components/StatusTag';
import type { FinancingQuote } from '../../../services/banking';
import { formatDate } from '../../../utils/date';
import { ratePercentText } from '../../../utils/pricing';

/** The banks' quotes side by side; the highest net proceeds marked. */
export function QuoteComparison({ quotes, onAccept }: { quotes: FinancingQuote[]; onAccept?: (quote: FinancingQuote) => void }) {
  const { t, st } = useI18n();
  const visible = quotes.filter((quote) => quote.status !== 'proposed');
  const best = visible.filter((q) => q.status === 'offered').reduce<FinancingQuote | null>((top, q) => (top === null || BigInt(q.net_proceeds_fen) > BigInt(top.net_proceeds_fen) ? q : top), null);
  return (
    <Table<FinancingQuote> scroll={{ x: 'max-content' }}
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={visible}
      locale={{ emptyText: t('quote.none') }}
      data-testid="quote-comparison"
      columns={[
        { title: t('quote.bank'), dataIndex: ['bank', 'name'], render: (name: string, q) => <>{name} {best?.id === q.id ? <Tag color="gold" icon={<TrophyOutlined />}>{t('quote.best')}</Tag> : null}</> },
        { title: t('quote.rate'), dataIndex: 'annual_rate', align: 'right', render: (rate: string) => ratePercentText(rate) },
        { title: t('quote.valueDate'), dataIndex: 'value_date', render: (d: string) => formatDate(d) },
        { title: t('quote.days'), dataIndex: 'days', align: 'right' },
        { title: t('quote.interest'), dataIndex: 'interest_fen', align: 'right', render: (fen: number) => <Money fen={fen} /> },
        { title: t('quote.fees'), dataIndex: 'fees_fen', align: 'right', render: (fen: number) => <Money fen={fen} /> },
        { title: t('quote.net'), dataIndex: 'net_proceeds_fen', align: 'right', render: (fen: number, q) => <Tooltip title={st(q.formula)}><span><Money fen={fen} strong /></span></Tooltip> },
        { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag domain="quote" value={s} /> },
        {
          title: '', key: 'accept', render: (_: unknown, q) => q.status === 'offered' && onAccept
            ? <Button size="small" type="primary" onClick={() => onAccept(q)} data-testid={`accept-quote-${q.id}`}>{t('quote.accept')}</Button>
            : q.rejection_reason ? <Typography.Text type="secondary">{st(q.rejection_reason)}</Typography.Text> : null,
        },
      ]}
    />
  );
}
