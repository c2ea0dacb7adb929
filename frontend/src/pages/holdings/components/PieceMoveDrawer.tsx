import { useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Form, Segmented, Space, Statistic, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useSession } from '../../../app/session';
import { useI18n } from '../../../locales';
import { MemberPicker } from '../../../components/MemberPicker';
import { useMovementConfirm } from '../../../components/MovementConfirm';
import { Money } from '../../../components/Money';
import { MoneyInput } from '../../../components/MoneyInput';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useChainActions } from '../../../components/chain/ChainActionProvider';
import { splitPiece, transferPiece, type Piece } from '../../../services/receivables';
import type { DirectoryMember } from '../../../services/organisations';
import { applyServerErrors } from '../../../utils/formErrors';
import { fenForApi, formatYuan } from '../../../utils/money';
import { formatDate } from '../../../utils/date';
import { splitState, transferState } from './moveMath';

type Mode = 'transfer' | 'split';

interface TransferValues {
  to_credit_code: string;
  amount: string;
}
interface SplitValues {
  parts: (string | undefined)[];
}

/** Transfer (转让) or split (拆分) a piece, with what remains on it shown as the user types. */
export function PieceMoveDrawer({ piece, initialMode = 'transfer', onClose }: { piece: Piece | null; initialMode?: Mode; onClose: (changed: boolean) => void }) {
  const { t, st } = useI18n();
  const { me } = useSession();
  const chain = useChainActions();
  const { confirm, modal } = useMovementConfirm();
  const [receiver, setReceiver] = useState<DirectoryMember | null>(null);
  const [mode, setMode] = useState<Mode>(initialMode);
  const [transferForm] = Form.useForm<TransferValues>();
  const [splitForm] = Form.useForm<SplitValues>();
  const [error, setError] = useState<unknown>(null);
  const [leftover, setLeftover] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const amount = Form.useWatch('amount', transferForm);
  const parts = Form.useWatch('parts', splitForm) ?? [];
  if (!piece) return null;
  const balance = BigInt(piece.balance_fen);
  const transfer = transferState(balance, amount);
  const split = splitState(balance, parts);

  const pieceDetails = [
    { label: t('confirm.piece'), value: `#${piece.token_id}` },
    { label: t('piece.debtor'), value: piece.debtor?.name ?? '—' },
    { label: t('piece.maturity'), value: formatDate(piece.maturity_date) },
  ];

  const submit = async () => {
    setError(null);
    setLeftover([]);
    try {
      if (mode === 'transfer') {
        const values = await transferForm.validateFields();
        const state = transferState(balance, values.amount);
        if (!state.valid || state.amount === null || state.remaining === null) return;
        const confirmed = await confirm({
          title: t('confirm.transferTitle'), okText: t('confirm.transferOk'), receiverLabel: t('move.receiver'),
          receivers: [receiver ?? { name: values.to_credit_code, credit_code: values.to_credit_code }],
          amounts: [
            { label: t('confirm.transferAmount'), fen: state.amount },
            { label: t('confirm.remainsWithMe'), fen: state.remaining },
          ],
          details: pieceDetails,
        });
        if (!confirmed) return;
        setBusy(true);
        await chain.run(`${t('move.transfer')} #${piece.token_id}`, () =>
          transferPiece(piece.token_id, { to_credit_code: values.to_credit_code.trim(), amount_fen: fenForApi(state.amount as bigint) }));
      } else {
        await splitForm.validateFields();
        if (!split.valid) return;
        const parts = split.amountsFen.slice(0, -1);
        const confirmed = await confirm({
          title: t('confirm.splitTitle'), okText: t('confirm.splitOk'),
          amounts: [
            ...parts.map((fen, index) => ({ label: t('confirm.splitPart', { n: index + 1 }), fen })),
            { label: t('confirm.splitRemains'), fen: split.remaining },
          ],
          details: pieceDetails,
        });
        if (!confirmed) return;
        setBusy(true);
        await chain.run(`${t('move.split')} #${piece.token_id}`, () => splitPiece(piece.token_id, split.amountsFen.map(fenForApi)));
      }
      onClose(true);
    } catch (cause) {
      if (cause instanceof Error && 'status' in cause) {
        setError(cause);
        setLeftover(mode === 'transfer'
          ? applyServerErrors(transferForm, cause, { amount_fen: 'amount', to_organisation: 'to_credit_code' }, st)
          : applyServerErrors(splitForm, cause, { amounts_fen: 'parts' }, st));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      width={560}
      title={`${t('move.title')} · #${piece.token_id}`}
      onClose={() => onClose(false)}
      destroyOnHidden
      extra={<Button type="primary" loading={busy} onClick={() => void submit()} data-testid="move-submit"
        disabled={mode === 'transfer' ? !transfer.valid : !split.valid}>{mode === 'transfer' ? t('move.transfer') : t('move.split')}</Button>}
    >
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('piece.debtor')}>{piece.debtor?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('piece.maturity')}>{formatDate(piece.maturity_date)}</Descriptions.Item>
        <Descriptions.Item label={t('piece.balance')}><Money fen={piece.balance_fen} strong /></Descriptions.Item>
      </Descriptions>
      <Segmented<Mode> block value={mode} onChange={(value) => { setMode(value); setError(null); }} style={{ marginBottom: 16 }}
        options={[{ value: 'transfer', label: t('move.transfer') }, { value: 'split', label: t('move.split') }]} />
      <ErrorAlert error={error} extra={leftover} />
      {mode === 'transfer' ? (
        <Form form={transferForm} layout="vertical" requiredMark={false}>
          <Form.Item name="to_credit_code" label={t('move.receiver')} extra={t('move.receiverPickHelp')}
            rules={[{ required: true, message: t('move.receiverPickRequired') }]}>
            <MemberPicker kinds={['supplier', 'bank']} excludeId={me?.organisation.id} data-testid="move-receiver"
              onPick={(members) => setReceiver(members[0] ?? null)} />
          </Form.Item>
          <Form.Item name="amount" label={t('move.amount')}
            validateStatus={transfer.problem ? 'error' : undefined}
            help={transfer.problem === 'exceeds' ? t('money.exceeds') : transfer.problem === 'invalid' ? t('common.invalidAmount') : transfer.problem === 'notPositive' ? t('money.positive') : undefined}
            rules={[{ required: true, message: t('money.required') }]}>
            <MoneyInput data-testid="move-amount" />
          </Form.Item>
          <Space size="large">
            <Statistic title={t('move.remaining')} value={transfer.remaining === null ? '—' : formatYuan(transfer.remaining)} valueStyle={{ color: transfer.remaining !== null && transfer.remaining < 0n ? '#cf1322' : undefined }} className="scf-remaining" />
            {transfer.whole ? <Alert type="info" showIcon message={t('move.whole')} /> : null}
          </Space>
        </Form>
      ) : (
        <Form form={splitForm} layout="vertical" initialValues={{ parts: [undefined] }} requiredMark={false}>
          <Typography.Paragraph type="secondary">{t('move.splitHelp')}</Typography.Paragraph>
          <Form.List name="parts">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Form.Item key={field.key} label={`${t('move.part')} ${index + 1}`} required
                    validateStatus={split.problems[index] ? 'error' : undefined}
                    help={split.problems[index] === 'invalid' ? t('common.invalidAmount') : split.problems[index] === 'notPositive' ? t('money.positive') : undefined}>
                    <Space.Compact style={{ width: '100%' }}>
                      <Form.Item name={field.name} noStyle rules={[{ required: true, message: t('money.required') }]}>
                        <MoneyInput data-testid={`split-part-${index}`} />
                      </Form.Item>
                      {fields.length > 1 ? <Button icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} /> : null}
                    </Space.Compact>
                  </Form.Item>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} block style={{ marginBottom: 16 }} disabled={fields.length >= 9}>{t('move.addPart')}</Button>
              </>
            )}
          </Form.List>
          <Statistic title={t('move.remainingOnPiece')} value={formatYuan(split.remaining)} valueStyle={{ color: split.remaining <= 0n ? '#cf1322' : undefined }} className="scf-remaining" />
          {split.remaining <= 0n && split.allocated > 0n ? <Typography.Text type="danger">{t('move.splitMustLeave')}</Typography.Text> : null}
        </Form>
      )}
      {modal}
    </Drawer>
  );
}
