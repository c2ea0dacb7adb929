import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Statistic } from 'antd';
import { useI18n } from '../../../locales';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { MoneyInput, moneyRules } from '../../../components/MoneyInput';
import { useChainActions } from '../../../components/chain/ChainActionProvider';
import { useServerMessage } from '../../../components/useServerMessage';
import { createApplication, isOperation } from '../../../services/banking';
import type { OrgRef, Piece, Voucher } from '../../../services/receivables';
import { applyServerErrors } from '../../../utils/formErrors';
import { fenForApi, fenToYuanInput, formatYuan } from '../../../utils/money';
import { formatDate } from '../../../utils/date';
import { transferState } from '../../holdings/components/moveMath';

interface ApplyValues {
  token_id: number;
  amount: string;
  bank_ids: number[];
  invoice_numbers: string[];
  trade_reference?: string;
}

/** Apply to discount a piece (or part of it) with one bank or several. */
export function ApplyForm({ pieces, vouchers, banks, initialToken, onDone }: {
  pieces: Piece[];
  vouchers: Voucher[];
  banks: OrgRef[];
  initialToken?: number;
  onDone: () => void;
}) {
  const { t, st } = useI18n();
  const chain = useChainActions();
  const notify = useServerMessage();
  const [form] = Form.useForm<ApplyValues>();
  const [error, setError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const tokenId = Form.useWatch('token_id', form);
  const amount = Form.useWatch('amount', form);
  const bankIds = Form.useWatch('bank_ids', form) ?? [];
  const piece = pieces.find((p) => p.token_id === tokenId) ?? null;
  const voucher = useMemo(() => vouchers.find((v) => v.token_id === piece?.root_id) ?? null, [vouchers, piece]);
  const state = piece ? transferState(BigInt(piece.balance_fen), amount) : null;

  useEffect(() => {
    if (!piece) return;
    form.setFieldsValue({
      amount: fenToYuanInput(piece.balance_fen),
      invoice_numbers: voucher ? voucher.invoices.map((invoice) => (invoice.code ? `${invoice.code}:${invoice.number}` : invoice.number)) : [],
      trade_reference: voucher?.trade_contract.number ?? '',
      bank_ids: voucher ? [voucher.bank.id] : [],
    });
  }, [piece, voucher, form]);

  useEffect(() => {
    if (initialToken) form.setFieldValue('token_id', initialToken);
  }, [initialToken, form]);

  const submit = async (values: ApplyValues) => {
    if (!state?.valid || state.amount === null) return;
    setBusy(true);
    setError(null);
    try {
      const input = {
        token_id: values.token_id,
        amount_fen: fenForApi(state.amount),
        bank_ids: values.bank_ids,
        invoice_numbers: values.invoice_numbers,
        trade_reference: values.trade_reference ?? '',
      };
      const answer = await createApplication(input);
      if (isOperation(answer)) chain.track(answer.operation_id, t('financing.apply'));
      else notify.success(t('financing.sentToBanks'));
      form.resetFields();
      onDone();
    } catch (cause) {
      setError({ error: cause, leftover: applyServerErrors(form, cause, { amount_fen: 'amount' }, st) });
    } finally {
      setBusy(false);
    }
  };

  const usable = pieces.filter((p) => p.status === 'active' && !p.frozen);
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
        <Form.Item name="bank_ids" label={t('financing.banks')} extra={t('financing.banksHelp')} rules={[{ required: true, message: t('financing.banksRequired') }]}>
          <Select mode="multiple" data-testid="apply-banks" options={banks.map((bank) => ({ value: bank.id, label: bank.name }))} />
        </Form.Item>
        {bankIds.length > 1 ? <Alert type="info" showIcon message={t('financing.multiBank')} style={{ marginBottom: 16 }} /> : null}
        <Form.Item name="invoice_numbers" label={t('voucher.invoices')} rules={[{ required: true, message: t('issue.invoicesRequired') }]}>
          <Select mode="tags" tokenSeparators={[',', ' ']} />
        </Form.Item>
        <Form.Item name="trade_reference" label={t('financing.tradeReference')}>
          <Input maxLength={100} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} disabled={!state?.valid} data-testid="apply-submit">{t('financing.submit')}</Button>
      </Form>
    </Card>
  );
}
