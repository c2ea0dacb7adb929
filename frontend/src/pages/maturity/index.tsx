import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge, Button, Calendar, Card, Col, DatePicker, Form, Input, Modal, Row, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { StatusTag } from '../../components/StatusTag';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { allVoucherMaturities, type VoucherMaturity } from '../../services/receivables';
import { allClearingBatches, confirmClearingBatch, type ClearingBatch } from '../../services/banking';
import { applyServerErrors } from '../../utils/formErrors';
import { formatDate, formatDateTime } from '../../utils/date';
import { formatYuan } from '../../utils/money';

export default function MaturityPage() {
  const { access } = useSession();
  const { t, st } = useI18n();
  const chain = useChainActions();
  const [maturities, setMaturities] = useState<VoucherMaturity[]>([]);
  const [batches, setBatches] = useState<ClearingBatch[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState<ClearingBatch | null>(null);
  const [form] = Form.useForm<{ payment_reference: string; paid_on: Dayjs }>();
  const [formError, setFormError] = useState<{ error: unknown; leftover: string[] } | null>(null);

  const load = useCallback(async () => {
    try {
      const [due, clearing] = await Promise.all([
        allVoucherMaturities(),
        allClearingBatches(),
      ]);
      setMaturities(due);
      setBatches(clearing);
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, chain.version]);

  const byDate = useMemo(() => {
    const map = new Map<string, bigint>();
    for (const row of maturities) map.set(row.maturity_date, (map.get(row.maturity_date) ?? 0n) + BigInt(row.face_value_fen));
    return map;
  }, [maturities]);

  return (
    <>
      <PageHeader title={t('menu.maturity')} subtitle={t('maturity.subtitle')} />
      <ErrorAlert error={error} />
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card title={t('maturity.calendar')} style={{ marginBottom: 16 }}>
            <Calendar
              key={maturities[0]?.maturity_date ?? 'today'}
              defaultValue={maturities[0] ? dayjs(maturities[0].maturity_date) : undefined}
              fullscreen={false}
              cellRender={(date, info) => {
                if (info.type !== 'date') return info.originNode;
                const due = byDate.get(date.format('YYYY-MM-DD'));
                return due ? <Badge status="warning" title={formatYuan(due)} /> : null;
              }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('maturity.upcoming')} style={{ marginBottom: 16 }}>
            <Table<VoucherMaturity> scroll={{ x: 'max-content' }} size="small" rowKey={(r) => `${r.debtor.id}-${r.maturity_date}`} dataSource={maturities} pagination={{ pageSize: 8 }}
              columns={[
                { title: t('piece.maturity'), dataIndex: 'maturity_date', render: (d: string) => <Typography.Text strong={dayjs(d).diff(dayjs(), 'day') <= 30}>{formatDate(d)}</Typography.Text> },
                { title: t('maturity.vouchers'), dataIndex: 'vouchers', align: 'right' },
                { title: t('maturity.toFund'), dataIndex: 'face_value_fen', align: 'right', render: (f: number) => <Money fen={f} strong /> },
              ]} />
          </Card>
        </Col>
      </Row>
      <Card title={t('maturity.batches')}>
        <Table<ClearingBatch> scroll={{ x: 'max-content' }} rowKey="id" dataSource={batches} pagination={false} locale={{ emptyText: t('maturity.noBatches') }}
          columns={[
            { title: '#', dataIndex: 'id', width: 60 },
            { title: t('common.createdAt'), dataIndex: 'created_at', render: (d: string) => formatDateTime(d) },
            { title: t('maturity.roots'), dataIndex: 'root_ids', render: (ids: number[]) => ids.map((id) => `#${id}`).join(' ') },
            { title: t('common.total'), dataIndex: 'total_fen', align: 'right', render: (f: number) => <Money fen={f} strong /> },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag domain="clearing" value={s} /> },
            { title: t('maturity.paid'), dataIndex: 'payment_reference', render: (ref: string, b) => (ref ? `${ref} · ${formatDate(b.paid_on)}` : '—') },
            {
              title: '', key: 'a', render: (_: unknown, b) => b.status === 'awaiting_funding' && access.canConfirmFunding
                ? <Button size="small" type="primary" onClick={() => { setConfirming(b); setFormError(null); }}>{t('maturity.confirm')}</Button> : null,
            },
          ]} />
      </Card>
      <Modal open={Boolean(confirming)} title={t('maturity.confirm')} onCancel={() => setConfirming(null)} destroyOnHidden
        onOk={async () => {
          if (!confirming) return;
          const values = await form.validateFields();
          try {
            const answer = await confirmClearingBatch(confirming.id, { payment_reference: values.payment_reference, paid_on: values.paid_on.format('YYYY-MM-DD') });
            setConfirming(null);
            const last = answer.operations[answer.operations.length - 1];
            if (last) chain.track(last.operation_id, `${t('maturity.confirm')} #${answer.batch_id}`);
            else void load();
          } catch (cause) {
            setFormError({ error: cause, leftover: applyServerErrors(form, cause, {}, st) });
          }
        }}>
        {formError ? <ErrorAlert error={formError.error} extra={formError.leftover} /> : null}
        <Typography.Paragraph>{t('maturity.confirmHelp', { total: confirming ? formatYuan(confirming.total_fen) : '' })}</Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false} initialValues={{ paid_on: dayjs() }}>
          <Form.Item name="payment_reference" label={t('review.paymentReference')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="paid_on" label={t('maturity.paidOn')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}
