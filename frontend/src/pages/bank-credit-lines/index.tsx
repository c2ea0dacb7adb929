import { useCallback, useEffect, useMemo, useState } from 'react';
import { AutoComplete, Button, Card, DatePicker, Form, Input, Modal, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { MoneyInput, moneyRules } from '../../components/MoneyInput';
import { StatusTag } from '../../components/StatusTag';
import { CreditLineUse } from '../../components/CreditLineUse';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { useServerMessage } from '../../components/useServerMessage';
import {
  allCreditLineChanges, allCreditLines, approveCreditLineChange, freezeCreditLine, proposeCreditLineChange, rejectCreditLineChange, unfreezeCreditLine,
  type CreditLine, type CreditLineChange,
} from '../../services/banking';
import { applyServerErrors } from '../../utils/formErrors';
import { fenForApi, parseYuanToFen } from '../../utils/money';
import { formatDate, formatDateTime } from '../../utils/date';

interface ProposeValues {
  core_enterprise: string;
  limit: string;
  expires_on: Dayjs;
}

export default function BankCreditLinesPage() {
  const { me, access } = useSession();
  const { t, st } = useI18n();
  const chain = useChainActions();
  const notify = useServerMessage();
  const [lines, setLines] = useState<CreditLine[]>([]);
  const [changes, setChanges] = useState<CreditLineChange[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [proposing, setProposing] = useState(false);
  const [form] = Form.useForm<ProposeValues>();
  const [formError, setFormError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  const [rejecting, setRejecting] = useState<CreditLineChange | null>(null);
  const [reason, setReason] = useState('');

  const load = useCallback(async () => {
    try {
      const [l, c] = await Promise.all([allCreditLines(), allCreditLineChanges()]);
      setLines(l);
      setChanges(c);
    } catch (cause) {
      setError(cause);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, chain.version]);

  const cores = useMemo(() => [...new Map(lines.map((l) => [l.core_enterprise.id, l.core_enterprise])).values()], [lines]);

  const run = async (title: string, action: () => Promise<{ operation_id: number }>) => {
    try {
      await chain.run(title, action);
    } catch (cause) {
      notify.error(cause);
    }
  };

  return (
    <>
      <PageHeader title={t('menu.creditLinesGranted')} subtitle={t('bankCredit.subtitle')}
        extra={access.canGrantCreditLines ? <Button type="primary" onClick={() => { setProposing(true); setFormError(null); }}>{t('bankCredit.propose')}</Button> : null} />
      <ErrorAlert error={error} />
      <Card title={t('bankCredit.lines')} style={{ marginBottom: 16 }}>
        <Table<CreditLine> scroll={{ x: 'max-content' }} rowKey="id" dataSource={lines} pagination={false}
          columns={[
            { title: t('bankCredit.core'), dataIndex: ['core_enterprise', 'name'] },
            { title: t('credit.limit'), dataIndex: 'limit_fen', align: 'right', render: (_: unknown, l) => <Money fen={l.use.limit_fen} strong /> },
            { title: t('credit.use'), key: 'use', render: (_: unknown, l) => <CreditLineUse line={l} /> },
            { title: t('credit.expiresOn'), dataIndex: 'expires_on', render: (d: string) => formatDate(d) },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag domain="creditLine" value={s} /> },
            {
              title: '', key: 'a', render: (_: unknown, l) => access.canDecideCreditLines ? (
                l.status === 'frozen'
                  ? <Button size="small" onClick={() => void run(t('credit.kind.unfreeze'), () => unfreezeCreditLine(l.id))}>{t('credit.kind.unfreeze')}</Button>
                  : <Button size="small" danger onClick={() => void run(t('credit.kind.freeze'), () => freezeCreditLine(l.id))}>{t('credit.kind.freeze')}</Button>
              ) : null,
            },
          ]} />
      </Card>
      <Card title={t('credit.history')}>
        <Table<CreditLineChange> scroll={{ x: 'max-content' }} rowKey="id" dataSource={changes} pagination={{ pageSize: 20 }}
          columns={[
            { title: t('bankCredit.core'), dataIndex: ['core_enterprise', 'name'] },
            { title: t('credit.change'), dataIndex: 'kind', render: (k: string) => t(`credit.kind.${k as 'set'}`) },
            { title: t('credit.limit'), dataIndex: 'limit_fen', align: 'right', render: (f: number | null) => (f === null ? '—' : <Money fen={f} />) },
            { title: t('credit.expiresOn'), dataIndex: 'expires_on', render: (d: string | null) => formatDate(d) },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag domain="lineChange" value={s} /> },
            { title: t('approvals.proposedBy'), dataIndex: 'proposed_by', render: (by: string | null, c) => <Space direction="vertical" size={0}><span>{by ?? '—'}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(c.created_at)}</Typography.Text></Space> },
            {
              title: '', key: 'a', render: (_: unknown, c) => {
                if (c.status !== 'proposed' || !access.canDecideCreditLines) return c.rejection_reason ? st(c.rejection_reason) : null;
                if (c.proposed_by === me?.user.username) return <Typography.Text type="secondary">{t('approvals.ownProposal')}</Typography.Text>;
                return (
                  <Space>
                    <Button size="small" type="primary" onClick={() => void run(t('bankCredit.approve'), () => approveCreditLineChange(c.id))}>{t('approvals.approve')}</Button>
                    <Button size="small" danger onClick={() => { setRejecting(c); setReason(''); }}>{t('approvals.reject')}</Button>
                  </Space>
                );
              },
            },
          ]} />
      </Card>
      <Modal open={proposing} title={t('bankCredit.propose')} onCancel={() => setProposing(false)} destroyOnHidden
        onOk={async () => {
          const values = await form.validateFields();
          const fen = parseYuanToFen(values.limit);
          if (fen === null) return;
          try {
            await proposeCreditLineChange({ core_enterprise: Number(values.core_enterprise), limit_fen: fenForApi(fen), expires_on: values.expires_on.format('YYYY-MM-DD') });
            setProposing(false);
            notify.success(t('issue.proposed'));
            void load();
          } catch (cause) {
            setFormError({ error: cause, leftover: applyServerErrors(form, cause, { limit_fen: 'limit' }, st) });
          }
        }}>
        {formError ? <ErrorAlert error={formError.error} extra={formError.leftover} /> : null}
        <Form form={form} layout="vertical" preserve={false} initialValues={{ expires_on: dayjs().add(1, 'year') }}>
          <Form.Item name="core_enterprise" label={t('bankCredit.core')} extra={t('bankCredit.coreHelp')} rules={[{ required: true }]}>
            <AutoComplete options={cores.map((c) => ({ value: String(c.id), label: `${c.name} (#${c.id})` }))} />
          </Form.Item>
          <Form.Item name="limit" label={t('credit.limit')} rules={moneyRules(t)}><MoneyInput /></Form.Item>
          <Form.Item name="expires_on" label={t('credit.expiresOn')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={Boolean(rejecting)} title={t('approvals.reject')} okButtonProps={{ danger: true, disabled: !reason.trim() }} onCancel={() => setRejecting(null)}
        onOk={async () => {
          if (!rejecting) return;
          try {
            await rejectCreditLineChange(rejecting.id, reason);
            setRejecting(null);
            void load();
          } catch (cause) {
            notify.error(cause);
          }
        }}>
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('common.reason')} />
      </Modal>
    </>
  );
}
