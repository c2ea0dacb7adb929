import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Descriptions, Modal, Space, Typography } from 'antd';
import { useI18n } from '../locales';
import { amountsInCapitals, type AmountInWords } from '../services/money';
import { toBigInt, type Fen } from '../utils/money';
import { ErrorAlert } from './ErrorAlert';
import { Money } from './Money';

export interface Party {
  name: string;
  credit_code: string;
}

export interface MovementAmount {
  label: string;
  fen: Fen;
}

/** What an irreversible movement is about to do, for the user to read before it goes. */
export interface MovementSummary {
  title: string;
  /** The OK button: the action itself ("确认转让"). */
  okText: string;
  /** Who receives (the receiver, the banks, the supplier), each by name and credit code. */
  receivers?: Party[];
  receiverLabel?: string;
  /** What moves, then what stays with the holder (its remainder). */
  amounts: MovementAmount[];
  /** Anything else worth reading (the piece, its debtor and maturity). */
  details?: { label: string; value: ReactNode }[];
}

function AmountRow({ fen, words }: { fen: Fen; words: AmountInWords | undefined }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" size={0}>
      <Money fen={fen} strong />
      <Typography.Text type="secondary" className="scf-capitals" data-testid="amount-capitals">
        {words ? `${t('confirm.capitalsPrefix')}${words.capitals}` : '…'}
      </Typography.Text>
    </Space>
  );
}

/** The confirmation (Modal) before any movement that cannot be undone once on chain: the
 * receiver's name and credit code, each amount in figures and in capitals (大写, written by the
 * server), and what remains with the holder. */
export function MovementConfirm({ summary, onConfirm, onCancel }: {
  summary: MovementSummary | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [words, setWords] = useState<AmountInWords[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = summary ? summary.amounts.map((amount) => String(toBigInt(amount.fen))).join(',') : '';

  useEffect(() => {
    setWords(null);
    setError(null);
    if (!key) return;
    let stopped = false;
    amountsInCapitals(key.split(','))
      .then((amounts) => { if (!stopped) setWords(amounts); })
      .catch((cause) => { if (!stopped) setError(cause); });
    return () => {
      stopped = true;
    };
  }, [key]);

  return (
    <Modal
      open={Boolean(summary)}
      title={summary?.title}
      okText={summary?.okText}
      cancelText={t('common.cancel')}
      onOk={onConfirm}
      onCancel={onCancel}
      okButtonProps={{ disabled: !words && !error, ...{ 'data-testid': 'confirm-ok' } }}
      cancelButtonProps={{ ...{ 'data-testid': 'confirm-cancel' } }}
      destroyOnHidden
      width={560}
    >
      {summary ? (
        <div data-testid="movement-confirm">
          <ErrorAlert error={error} />
          <Descriptions size="small" column={1} bordered labelStyle={{ width: 180 }}>
            {summary.receivers?.length ? (
              <Descriptions.Item label={summary.receiverLabel ?? t('confirm.receiver')}>
                <Space direction="vertical" size={4}>
                  {summary.receivers.map((party) => (
                    <Space key={party.credit_code} direction="vertical" size={0} data-testid="confirm-receiver">
                      <Typography.Text strong>{party.name}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}>{t('confirm.creditCode')}{party.credit_code}</Typography.Text>
                    </Space>
                  ))}
                </Space>
              </Descriptions.Item>
            ) : null}
            {summary.amounts.map((amount, index) => (
              <Descriptions.Item key={amount.label} label={amount.label}>
                <AmountRow fen={amount.fen} words={words?.[index]} />
              </Descriptions.Item>
            ))}
            {summary.details?.map((detail) => (
              <Descriptions.Item key={detail.label} label={detail.label}>{detail.value}</Descriptions.Item>
            ))}
          </Descriptions>
          <Alert type="warning" showIcon message={t('confirm.irreversible')} style={{ marginTop: 16 }} />
        </div>
      ) : null}
    </Modal>
  );
}

/** `const { confirm, modal } = useMovementConfirm()`: render `modal`, then
 * `if (await confirm(summary)) …` goes on only once the user confirmed. */
export function useMovementConfirm() {
  const [summary, setSummary] = useState<MovementSummary | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const settle = useCallback((ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setSummary(null);
  }, []);
  const confirm = useCallback((next: MovementSummary) => new Promise<boolean>((resolve) => {
    resolver.current?.(false);
    resolver.current = resolve;
    setSummary(next);
  }), []);
  const modal = <MovementConfirm summary={summary} onConfirm={() => settle(true)} onCancel={() => settle(false)} />;
  return { confirm, modal };
}
