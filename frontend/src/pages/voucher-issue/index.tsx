import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Empty, Form, Row, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useMovementConfirm, type MovementSummary } from '../../components/MovementConfirm';
import { Money } from '../../components/Money';
import { MoneyInput, moneyRules } from '../../components/MoneyInput';
import { StatusTag } from '../../components/StatusTag';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { useServerMessage } from '../../components/useServerMessage';
import { RejectApprovalModal, operationOf } from '../approvals';
import { approveApproval, getApproval, type ApprovalRequest } from '../../services/approvals';
import { allCreditLines, type CreditLine } from '../../services/banking';
import { allTradeContracts, getTradeContract, listVouchers, proposeVoucherIssue, type Invoice, type TradeContract, type Voucher } from '../../services/receivables';
import { applyServerErrors } from '../../utils/formErrors';
import { fenForApi, parseYuanToFen } from '../../utils/money';
import { formatDate, formatDateTime } from '../../utils/date';
import { InvoiceModal, TradeContractModal } from './components/TradeForms';

interface IssueValues {
  trade_contract: number;
  bank: number;
  face_value: string;
  maturity_date: Dayjs;
  invoices: number[];
}

export default function VoucherIssuePage() {
  const { access, me } = useSession();
  const { t, st } = useI18n();
  const chain = useChainActions();
  const notify = useServerMessage();
  const [form] = Form.useForm<IssueValues>();
  const [contracts, setContracts] = useState<TradeContract[]>([]);
  const [lines, setLines] = useState<CreditLine[]>([]);
  const [invoices, setInvoices] = useState<Invoice[]>([]);
  const [proposed, setProposed] = useState<Voucher[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [formError, setFormError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  const [created, setCreated] = useState<Voucher | null>(null);
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState<ApprovalRequest | null>(null);
  const contractId = Form.useWatch('trade_contract', form);
  const { confirm, modal } = useMovementConfirm();

  /** What the issuance does: the supplier receives the face value against the bank's line. */
  const issueSummary = (supplier: { name: string; credit_code: string }, bankId: number, faceFen: bigint, approving: boolean): MovementSummary => {
    const line = lines.find((l) => l.bank.id === bankId);
    return {
      title: t(approving ? 'confirm.approveIssueTitle' : 'confirm.issueTitle'),
      okText: t(approving ? 'confirm.approveIssueOk' : 'confirm.issueOk'),
      receiverLabel: t('confirm.issueSupplier'),
      receivers: [supplier],
      amounts: [
        { label: t('confirm.issueAmount'), fen: faceFen },
        ...(line ? [{ label: t('confirm.issueCreditLeft'), fen: BigInt(line.use.available_fen) - faceFen }] : []),
      ],
      details: line ? [{ label: t('voucher.bank'), value: line.bank.name }] : [],
    };
  };

  const load = useCallback(async () => {
    try {
      const [allContracts, allLines, waiting] = await Promise.all([
        allTradeContracts(),
        allCreditLines(),
        listVouchers({ issued_by_me: true, status: 'proposed' }),
      ]);
      setContracts(allContracts);
      setLines(allLines);
      setProposed(waiting.results);
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, chain.version]);

  useEffect(() => {
    if (!contractId) {
      setInvoices([]);
      return;
    }
    getTradeContract(contractId).then((contract) => setInvoices(contract.invoices ?? [])).catch(setError);
  }, [contractId]);

  const contractOptions = useMemo(() => contracts.map((c) => ({ value: c.id, label: `${c.number} · ${c.supplier.name} · ${c.title}` })), [contracts]);

  const submit = async (values: IssueValues) => {
    setFormError(null);
    try {
      const fen = parseYuanToFen(values.face_value);
      if (fen === null) return;
      const contract = contracts.find((c) => c.id === values.trade_contract);
      if (contract && !(await confirm(issueSummary(contract.supplier, values.bank, fen, false)))) return;
      setBusy(true);
      const voucher = await proposeVoucherIssue({
        trade_contract: values.trade_contract,
        bank: values.bank,
        face_value_fen: fenForApi(fen),
        maturity_date: values.maturity_date.format('YYYY-MM-DD'),
        invoices: values.invoices,
      });
      setCreated(voucher);
      form.resetFields();
      void load();
    } catch (cause) {
      setFormError({ error: cause, leftover: applyServerErrors(form, cause, { face_value_fen: 'face_value' }, st) });
    } finally {
      setBusy(false);
    }
  };

  const approve = async (voucher: Voucher) => {
    if (!voucher.approval_id) return;
    if (!(await confirm(issueSummary(voucher.supplier, voucher.bank.id, BigInt(voucher.face_value_fen), true)))) return;
    try {
      const done = await approveApproval(voucher.approval_id);
      const operationId = operationOf(done.result);
      if (operationId) chain.track(operationId, `${t('issue.approve')} · ${voucher.supplier.name}`);
      else notify.success(t('approvals.approved'));
      void load();
    } catch (cause) {
      notify.error(cause);
      void load();
    }
  };

  return (
    <>
      <PageHeader title={t('menu.issue')} subtitle={t('issue.subtitle')} extra={access.canIssueVoucher ? (
        <Space>
          <TradeContractModal onCreated={() => void load()} />
          <InvoiceModal contracts={contracts} onCreated={() => { void load(); if (contractId) void getTradeContract(contractId).then((c) => setInvoices(c.invoices ?? [])); }} />
        </Space>
      ) : null} />
      <ErrorAlert error={error} />
      <Row gutter={16}>
        <Col xs={24} xl={11}>
          <Card title={t('issue.form')} style={{ marginBottom: 16 }}>
            {created ? (
              <Alert type="success" showIcon style={{ marginBottom: 16 }} closable onClose={() => setCreated(null)} data-testid="issue-proposed"
                message={t('issue.proposed')} description={t('issue.proposedHelp', { amount: created.face_value_yuan, supplier: created.supplier.name })} />
            ) : null}
            {!access.canIssueVoucher ? <Alert type="info" showIcon message={t('issue.makerOnly')} style={{ marginBottom: 16 }} /> : null}
            {formError ? <ErrorAlert error={formError.error} extra={formError.leftover} /> : null}
            <Form form={form} layout="vertical" onFinish={(values) => void submit(values)} disabled={!access.canIssueVoucher}
              initialValues={{ maturity_date: dayjs().add(90, 'day') }}>
              <Form.Item name="trade_contract" label={t('voucher.contract')} rules={[{ required: true, message: t('issue.contractRequired') }]}>
                <Select options={contractOptions} showSearch optionFilterProp="label" data-testid="issue-contract" placeholder={t('issue.contractPlaceholder')} />
              </Form.Item>
              <Form.Item name="invoices" label={t('voucher.invoices')} rules={[{ required: true, message: t('issue.invoicesRequired') }]}>
                <Select mode="multiple" data-testid="issue-invoices" notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('issue.noInvoices')} />}
                  options={invoices.map((invoice) => ({
                    value: invoice.id,
                    disabled: invoice.backing_voucher !== null,
                    label: `${invoice.code ? `${invoice.code}-` : ''}${invoice.number} · ¥${invoice.amount_yuan}${invoice.backing_voucher !== null ? ` · ${t('issue.invoiceUsed')}` : ''}`,
                  }))} />
              </Form.Item>
              <Form.Item name="bank" label={t('voucher.bank')} rules={[{ required: true, message: t('issue.bankRequired') }]}>
                <Select data-testid="issue-bank" options={lines.map((line) => ({
                  value: line.bank.id,
                  disabled: line.status !== 'active',
                  label: `${line.bank.name} · ${t('credit.available')} ¥${line.use.available_yuan}`,
                }))} />
              </Form.Item>
              <Form.Item name="face_value" label={t('voucher.face')} rules={moneyRules(t)}>
                <MoneyInput data-testid="issue-amount" />
              </Form.Item>
              <Form.Item name="maturity_date" label={t('piece.maturity')} rules={[{ required: true }]}>
                <DatePicker style={{ width: '100%' }} disabledDate={(d) => !d.isAfter(dayjs(), 'day')} data-testid="issue-maturity" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="issue-submit">{t('issue.submit')}</Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={13}>
          <Card title={t('issue.awaiting')}>
            <Table<Voucher>
              rowKey="id"
              size="small"
              scroll={{ x: 'max-content' }}
              dataSource={proposed}
              pagination={false}
              locale={{ emptyText: t('issue.noneAwaiting') }}
              columns={[
                { title: t('voucher.supplier'), dataIndex: ['supplier', 'name'], render: (name: string) => <span style={{ whiteSpace: 'nowrap' }}>{name}</span> },
                { title: t('voucher.face'), dataIndex: 'face_value_fen', align: 'right', render: (fen: number) => <Money fen={fen} /> },
                { title: t('piece.maturity'), dataIndex: 'maturity_date', render: (d: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDate(d)}</span> },
                { title: t('approvals.proposedBy'), dataIndex: 'proposed_by', render: (by: string, row) => <span title={formatDateTime(row.created_at)} style={{ whiteSpace: 'nowrap' }}>{by}</span> },
                { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag domain="voucher" value={s} /> },
                {
                  title: t('common.actions'), key: 'a', hidden: !access.canApproveVoucher, render: (_: unknown, row) => {
                    if (row.proposed_by === me?.user.username) return <Typography.Text type="secondary">{t('approvals.ownProposal')}</Typography.Text>;
                    return (
                      <Space>
                        <Button size="small" type="primary" onClick={() => void approve(row)} data-testid={`issue-approve-${row.id}`}>{t('approvals.approve')}</Button>
                        <Button size="small" danger onClick={() => row.approval_id && void getApproval(row.approval_id).then(setRejecting).catch(notify.error)}>{t('approvals.reject')}</Button>
                      </Space>
                    );
                  },
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {modal}
      <RejectApprovalModal approval={rejecting} onClose={(changed) => { setRejecting(null); if (changed) void load(); }} />
    </>
  );
}
