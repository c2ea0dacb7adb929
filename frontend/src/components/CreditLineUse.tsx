import { Progress, Space, Typography } from 'antd';
import { useI18n } from '../locales';
import type { CreditLine } from '../services/banking';
import { Money } from './Money';

/** Used / available of a line, as a bar; the percentage is for the bar only (no money math). */
export function CreditLineUse({ line }: { line: CreditLine }) {
  const { t } = useI18n();
  const limit = BigInt(line.use.limit_fen);
  const used = BigInt(line.use.used_fen);
  const percent = limit > 0n ? Number((used * 1000n) / limit) / 10 : 0;
  return (
    <Space direction="vertical" size={0} style={{ width: '100%', minWidth: 220 }}>
      <Progress percent={percent} size="small" status={line.use.frozen ? 'exception' : 'normal'} showInfo={false} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('credit.used')} <Money fen={line.use.used_fen} /> · {t('credit.available')} <Money fen={line.use.available_fen} />
      </Typography.Text>
    </Space>
  );
}
