import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n, type MessageKey } from '../../../locales';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Money } from '../../../components/Money';
import { MoneyInput } from '../../../components/MoneyInput';
import { proposeQuote, type FinancingQuote } from '../../../services/banking';
import { applyServerErrors } from '../../../utils/formErrors';
import { fenForApi, formatYuan, parseYuanToFen } from '../../../utils/money';
import { computeDiscount, DAY_COUNT_BASIS, ratePercentText, ratePercentToFraction, type PricingProblem } from '../../../utils/pricing';

interface PricingValues {
  rate: string;
  fees: string;
  value_date: Dayjs;
}

const PROBLEMS: Record<PricingProblem, MessageKey> = {
  face: 'pricing.problem.face',
  rate: 'pricing.problem.rate',
  rateTooHigh: 'pricing.problem.rateTooHigh',
  rateTooPrecise: 'pricing.problem.rateTooPrecise',
  fees: 'pricing.problem.fees',
  dates: 'pricing.problem.dates',
  netNotPositive: 'pricing.problem.netNotPositive',
};

/** The discount formula term by term as the officer types (exact BigInt arithmetic, rounded
 * half up once at the end, as the server does); after saving, the server's own figures. */
export function PricingPanel({ applicationId, faceFen, maturityDate, canPropose, onProposed }: {
  applicationId: number;
  faceFen: number;
  maturityDate: string;
  canPropose: boolean;
  onProposed: (quote: FinancingQuote) => void;
}) {
  const { t, st } = useI18n();
  const [form] = Form.useForm<PricingValues>();
  const [error, setError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  const [saved, setSaved] = useState<FinancingQuote | null>(null);
  const [busy, setBusy] = useState(false);
  const rate = Form.useWatch('rate', form) ?? '';
  const fees = Form.useWatch('fees', form) ?? '';
  const valueDate: Dayjs | undefined = Form.useWatch('value_date', form);
  const feesFen = fees.trim() === '' ? 0n : parseYuanToFen(fees);
  const result = rate.trim() === '' || feesFen === null || !valueDate
    ? null
    : computeDiscount({ faceFen: BigInt(faceFen), ratePercent: rate, valueDate: valueDate.format('YYYY-MM-DD'), maturityDate, feesFen });

  const submit = async () => {
    if (!result?.ok) return;
    const fraction = ratePercentToFraction(rate);
    if (fraction === null || feesFen === null || !valueDate) return;
    setBusy(true);
    setError(null);
    try {
      const quote = await proposeQuote(applicationId, { annual_rate: fraction, fees_fen: fenForApi(feesFen), value_date: valueDate.format('YYYY-MM-DD') });
      setSaved(quote);
      onProposed(quote);
    } catch (cause) {
      setError({ error: cause, leftover: applyServerErrors(form, cause, { annual_rate: 'rate', fees_fen: 'fees' }, st) });
    } finally {
      setBusy(false);
    }
  };

  const term = (text: string) => <span className="scf-term">{text}</span>;
  return (
    <Card title={t('pricing.title')} data-testid="pricing-panel">
      {error ? <ErrorAlert error={error.error} extra={error.leftover} /> : null}
      <Form form={form} layout="inline" initialValues={{ value_date: dayjs(), fees: '0.00' }} style={{ rowGap: 12, marginBottom: 16 }}>
        <Form.Item name="rate" label={t('pricing.rate')} rules={[{ required: true, message: t('pricing.problem.rate') }]}>
          <Input suffix="%" inputMode="decimal" style={{ width: 140 }} placeholder="3.85" data-testid="pricing-rate" />
        </Form.Item>
        <Form.Item name="fees" label={t('quote.fees')}>
          <MoneyInput style={{ width: 160 }} data-testid="pricing-fees" />
        </Form.Item>
        <Form.Item name="value_date" label={t('quote.valueDate')}>
          <DatePicker allowClear={false} />
        </Form.Item>
      </Form>
      <div className="scf-formula" data-testid="pricing-formula">
        {result === null ? <Typography.Text type="secondary">{t('pricing.typeRate')}</Typography.Text> : null}
        {result && !result.ok ? <Typography.Text type="danger">{t(PROBLEMS[result.problem])}</Typography.Text> : null}
        {result?.ok ? (
          <>
            <div>
              {t('pricing.interest')} = {t('pricing.face')} {term(formatYuan(faceFen))} × {t('pricing.rate')} {term(`${rate.trim()}%`)} × {term(`${result.value.days} ${t('pricing.daysUnit')}`)} / {term(String(DAY_COUNT_BASIS))}
            </div>
            <div>
              &nbsp;&nbsp;= ¥{result.value.exactInterestYuan} → {t('pricing.roundHalfUp')} <strong data-testid="pricing-interest">{formatYuan(result.value.interestFen)}</strong>
            </div>
            <div>
              {t('pricing.net')} = {term(formatYuan(faceFen))} − {term(formatYuan(result.value.interestFen))} − {t('quote.fees')} {term(formatYuan(result.value.feesFen))} = <strong data-testid="pricing-net">{formatYuan(result.value.netFen)}</strong>
            </div>
          </>
        ) : null}
      </div>
      {canPropose ? (
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" disabled={!result?.ok} loading={busy} onClick={() => void submit()} data-testid="pricing-submit">{t('pricing.submit')}</Button>
          <Typography.Text type="secondary">{t('pricing.submitHelp')}</Typography.Text>
        </Space>
      ) : <Alert style={{ marginTop: 16 }} type="info" showIcon message={t('pricing.makerOnly')} />}
      {saved ? (
        <Alert style={{ marginTop: 16 }} type="success" showIcon message={t('pricing.saved')} data-testid="pricing-saved"
          description={(
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('quote.rate')}>{ratePercentText(saved.annual_rate)}</Descriptions.Item>
              <Descriptions.Item label={t('quote.days')}>{saved.days} / {saved.day_count_basis}</Descriptions.Item>
              <Descriptions.Item label={t('quote.interest')}><Money fen={saved.interest_fen} /></Descriptions.Item>
              <Descriptions.Item label={t('quote.fees')}><Money fen={saved.fees_fen} /></Descriptions.Item>
              <Descriptions.Item label={t('quote.net')}><Money fen={saved.net_proceeds_fen} strong /></Descriptions.Item>
              <Descriptions.Item label={t('pricing.serverFormula')} span={2}><Typography.Text type="secondary" style={{ fontSize: 12 }}>{st(saved.formula)}</Typography.Text></Descriptions.Item>
            </Descriptions>
          )} />
      ) : null}
    </Card>
  );
}
