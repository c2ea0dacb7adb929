import { Space, Steps, Typography } from 'antd';
import { useI18n } from '../locales';
import type { LineageStep } from '../services/banking';
import { Money } from './Money';
import { PieceStatus } from './PieceStatus';

/** A piece's ancestry from its root down to it. */
export function LineageSteps({ steps }: { steps: LineageStep[] }) {
  const { t } = useI18n();
  // The API may list from the piece up to the root: show the root first.
  const ordered = steps.length > 1 && steps[0].token_id !== steps[0].root_id ? [...steps].reverse() : steps;
  return (
    <Steps
      direction="vertical"
      size="small"
      current={ordered.length - 1}
      items={ordered.map((step) => ({
        title: <Space>{step.token_id === step.root_id ? t('piece.root') : t('piece.token')} #{step.token_id}<Money fen={step.balance_fen} /></Space>,
        description: <Space wrap><Typography.Text>{step.owner_name || step.owner}</Typography.Text><PieceStatus status={step.status} frozen={step.frozen} /></Space>,
      }))}
    />
  );
}
