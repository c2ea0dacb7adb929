import { useEffect, useRef, useState } from 'react';
import { Alert, Descriptions, Space, Spin, Steps, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, LoadingOutlined } from '@ant-design/icons';
import { getOperation, isSettled, type Operation } from '../../services/operations';
import { useI18n } from '../../locales';
import { ErrorAlert } from '../ErrorAlert';
import { TxHash } from '../TxHash';
import { formatDateTime } from '../../utils/date';

const POLL_MS = 700;
/** How long a final operation may wait for its projection (`projected`) before the lists
 * reload anyway, with a note that they may lag. */
export const PROJECTION_WAIT_MS = 30_000;

/** Follow one chain operation until its result is in the lists: final and projected (polling
 * /api/operations/<id>). `onFinal` runs then, so pages reload after the indexer and the outcome
 * hooks, never on a bare "confirmed" that the holdings do not show yet. */
export function useOperation(operationId: number | null | undefined, onFinal?: (operation: Operation) => void) {
  const [operation, setOperation] = useState<Operation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [settled, setSettled] = useState(false);
  const [lagging, setLagging] = useState(false);
  const finalRef = useRef(onFinal);
  finalRef.current = onFinal;
  useEffect(() => {
    if (!operationId) return undefined;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let finalSince: number | null = null;
    setOperation(null);
    setError(null);
    setSettled(false);
    setLagging(false);
    const poll = async () => {
      try {
        const next = await getOperation(operationId, controller.signal);
        if (stopped) return;
        setOperation(next);
        if (next.final) finalSince ??= Date.now();
        const waitedTooLong = finalSince !== null && Date.now() - finalSince >= PROJECTION_WAIT_MS;
        if (isSettled(next) || waitedTooLong) {
          setSettled(true);
          setLagging(!isSettled(next));
          finalRef.current?.(next);
          return;
        }
      } catch (cause) {
        if (stopped) return;
        setError(cause);
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [operationId]);
  return { operation, error, settled, lagging };
}

function stepIndex(operation: Operation | null): number {
  if (!operation) return 0;
  if (operation.status === 'pending') return 0;
  if (operation.status === 'submitted' || operation.status === 'mined') return 1;
  return 2;
}

/** Progress of a chain operation and its final result: the transaction hash and block, or the
 * decoded error of the contract. */
export function OperationProgress({ operationId, onFinal }: { operationId: number; onFinal?: (operation: Operation) => void }) {
  const { t, st } = useI18n();
  const { operation, error, settled, lagging } = useOperation(operationId, onFinal);
  // The result is shown once it is in the lists too (settled), so that what the user sees next
  // (the holdings, the piece) already includes it.
  const failed = settled && operation?.status === 'failed';
  const confirmed = settled && operation?.status === 'confirmed';
  const projecting = Boolean(operation?.final) && !settled;
  const current = stepIndex(operation);
  return (
    <div className="scf-operation" data-operation-id={operationId} data-status={projecting ? 'projecting' : operation?.status ?? 'loading'}>
      <Steps
        size="small"
        current={current}
        status={failed ? 'error' : confirmed ? 'finish' : 'process'}
        items={[
          { title: t('ops.step.submitted') },
          { title: t('ops.step.onChain'), icon: operation && !operation.final && current === 1 ? <LoadingOutlined /> : undefined },
          { title: failed ? t('ops.step.failed') : t('ops.step.confirmed') },
        ]}
        style={{ marginBottom: 16 }}
      />
      {error ? <ErrorAlert error={error} /> : null}
      {!operation && !error ? <Spin /> : null}
      {operation && !operation.final ? (
        <Space><LoadingOutlined /> <Typography.Text type="secondary">{t('ops.waiting')}</Typography.Text></Space>
      ) : null}
      {projecting ? (
        <Space className="scf-op-projecting"><LoadingOutlined /> <Typography.Text type="secondary">{t('ops.projecting')}</Typography.Text></Space>
      ) : null}
      {lagging ? <Alert type="warning" showIcon message={t('ops.lagging')} style={{ marginBottom: 12 }} /> : null}
      {confirmed ? (
        <Alert type="success" showIcon icon={<CheckCircleFilled />} message={t('ops.confirmed')} style={{ marginBottom: 12 }} className="scf-op-confirmed" />
      ) : null}
      {failed ? (
        <Alert
          type="error"
          showIcon
          icon={<CloseCircleFilled />}
          className="scf-op-failed"
          message={t('ops.failed')}
          description={operation?.error ? (
            <div>
              {operation.error.name ? <Typography.Text code>{operation.error.name}</Typography.Text> : null}{' '}
              {st(operation.error.message)}
              {operation.error.args && Object.keys(operation.error.args as object).length ? (
                <pre style={{ margin: '8px 0 0', whiteSpace: 'pre-wrap' }}>{JSON.stringify(operation.error.args, null, 2)}</pre>
              ) : null}
            </div>
          ) : null}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {operation ? (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('ops.operationId')}>#{operation.id} · {operation.contract}.{operation.function}</Descriptions.Item>
          <Descriptions.Item label={t('ops.txHash')}><TxHash value={operation.tx_hash} full /></Descriptions.Item>
          <Descriptions.Item label={t('ops.block')}>{operation.block_number ?? '—'}</Descriptions.Item>
          {operation.confirmed_at ? <Descriptions.Item label={t('ops.confirmedAt')}>{formatDateTime(operation.confirmed_at)}</Descriptions.Item> : null}
        </Descriptions>
      ) : null}
    </div>
  );
}
