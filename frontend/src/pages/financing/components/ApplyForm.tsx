import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Statistic } from 'antd';
import { useI18n } from '../../../locales';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { MemberPicker } from '../../../components/MemberPicker';
import { useMovementConfirm } from '../../../components/MovementConfirm';
import { MoneyInput, moneyRules } from '../../../components/MoneyInput';
import { useChainActions } from '../../../components/chain/ChainActionProvider';
import { useServerMessage } from '../../../components/useServerMessage';
import { createApplication, isOperation } from '../../../services/banking';
import type { DirectoryMember } from '../../../services/organisations';
import type { Piece, Voucher } from '../../../services/receivables';
import { applyServerErrors } from '../../../utils/formErrors';
import { fenForApi, fenToYuanInput, formatYuan } from '../../../utils/money';
import { formatDate } from '../../../utils/date';
import { transferState } from '../../holdings/components/moveMath';

interface ApplyValues {
  token_id: number;
  amount: string;
  bank_credit_codes: string[];
  invoice_numbers: string[];
  trade_reference?: string;
}

/** Apply to discount a piece (or part of it) with one bank or several, picked from the member
 * directory; the part applied for is locked once the user confirmed who and how much. */
export function ApplyForm({ pieces, vouchers, initialToken, onDone }: {
  pieces: Piece[];
  vouchers: Voucher[];
  initialToken?: number;
  onDone: () => void;
}) {
  const { t, st } = useI18n();
  const chain = useChainActions();
  const notify = useServerMessage();
  const [form] = Form.useForm<ApplyValues>();
  const [error, setError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [banks, setBanks] = useState<DirectoryMember[]>([]);
  const { confirm, modal } = useMovementConfirm();
  const tokenId = Form.useWatch('token_id', form);
  const amount = Form.useWatch('amount', form);
  const bankCodes = Form.useWatch('bank_credit_codes', form) ?? [];
  const piece = pieces.find((p) => p.token_id === tokenId) ?? null;
  const voucher = useMemo(() => vouchers.find((v) => v.token_id === piece?.root_id) ?? null, [vouchers, piece]);
  const state = piece ? transferState(BigInt(piece.balance_fen), amount) : null;

  useEffect(() => {
    if (!piece) return;
    form.setFieldsValue({
      amount: fenToYuanInput(piece.balance_fen),
      invoice_numbers: voucher ? voucher.invoices.map((invoice) => (invoice.code ? `${invoice.code}:${invoice.number}` : invoice.number)) : [],
      trade_reference: voucher?.trade_contract.number ?? '',
      bank_credit_codes: voucher ? [voucher.bank.credit_code] : [],
    });
  }, [piece, voucher, form]);

  useEffect(() => {
    if (initialToken) form.setFieldValue('token_id', initialToken);
  }, [initialToken, form]);

  const submit = async (values: ApplyValues) => {
    if (!piece || !state?.valid || state.amount === null || state.remaining === null) return;
    const confirmed = await confirm({
      title: t('confirm.financingTitle'), okText: t('confirm.financingOk'), receiverLabel: t('confirm.financingBanks'),
      receivers: values.bank_credit_codes.map((code) => banks.find((bank) => bank.credit_code === code) ?? { name: code, credit_code: code }),
      amounts: [
        { label: t('confirm.financingAmount'), fen: state.amount },
        { label: t('confirm.financingRemains'), fen: state.remaining },
      ],
      details: [
        { label: t('confirm.piece'), value: `#${piece.token_id}` },
        { label: t('piece.debtor'), value: piece.debtor?.name ?? '—' },
        { label: t('piece.maturity'), value: formatDate(piece.maturity_date) },
      ],
    });
    if (!confirmed) return;
    setBusy(true);
    setError(null);
    try {
      const input = {
        token_id: values.token_id,
        amount_fen: fenForApi(state.amount),
        bank_credit_codes: values.bank_credit_codes,
        invoice_numbers: values.invoice_numbers,
        trade_reference: values.trade_reference ?? '',
      };
      const answer = await createApplication(input);
      if (isOperation(answer)) chain.track(answer.operation_id, t('financing.apply'));
      else notify.success(t('financing.sentToBanks'));
      form.resetFields();
      onDone();
    } catch (cause) {
      setError({ error: cause, leftover: applyServerErrors(form, cause, { amount_fen: 'amount', bank_ids: 'bank_credit_codes' }, st) });
    } finally {
      setBusy(false);
    }
  };

  // What can be applied for now: the server says why a piece cannot (locked, frozen, reserved…).
  const usable = pieces.filter((p) => !p.blocked && !p.reserved_by);
  return (
    <Card title={t('financing.apply')} data-testid="apply-form">
      {error ? <ErrorAlert error={error.error} extra={error.leftover} /> : null}
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
        <Form.Item name="token_id" label={t('financing.piece')} rules={[{ required: true, message: t('financing.pieceRequired') }]}>
          <Select data-testid="apply-piece" options={usable.map((p) => ({
            value: p.token_id,
            label: `#${p.token_id} · ${p.debtor?.name ?? ''} · ${formatYuan(p.balance_fen)} · ${formatDate(p.maturity_date)}`,
          }))} />
        </Form.Item>
        <Form.Item name="amount" label={t('financing.amount')} rules={moneyRules(t)}
          validateStatus={state?.problem ? 'error' : undefined}
          help={state?.problem === 'exceeds' ? t('money.exceeds') : undefined}>
          <MoneyInput data-testid="apply-amount" />
        </Form.Item>
        {piece && state && state.remaining !== null && state.remaining > 0n ? (
          <Statistic title={t('financing.remainsWithMe')} value={formatYuan(state.remaining)} style={{ marginBottom: 16 }} className="scf-remaining" />
        ) : null}
        <Form.Item name="bank_credit_codes" label={t('financing.banks')} extra={t('financing.banksHelp')} rules={[{ required: true, message: t('financing.banksRequired') }]}>
          <MemberPicker kinds={['bank']} multiple data-testid="apply-banks" onPick={setBanks} />
        </Form.Item>
        {bankCodes.length > 1 ? <Alert type="info" showIcon message={t('financing.multiBank')} style={{ marginBottom: 16 }} /> : null}
        <Form.Item name="invoice_numbers" label={t('voucher.invoices')} rules={[{ required: true, message: t('issue.invoicesRequired') }]}>
          <Select mode="tags" tokenSeparators={[',', ' ']} />
        </Form.Item>
        <Form.Item name="trade_reference" label={t('financing.tradeReference')}>
          <Input maxLength={100} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} disabled={!state?.valid} data-testid="apply-submit">{t('financing.submit')}</Button>
      </Form>
      {modal}
    </Card>
  );
}
