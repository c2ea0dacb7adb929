import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { StatusTag } from '../../components/StatusTag';
import { TxHash } from '../../components/TxHash';
import { LineageSteps } from '../../components/LineageSteps';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { useServerMessage } from '../../components/useServerMessage';
import {
  approveQuote, declineApplication, disburseApplication, getApplication, isOperation, rejectQuote,
  type FinancingApplicationDetail, type FinancingQuote,
} from '../../services/banking';
import { applyServerErrors } from '../../utils/formErrors';
import { formatDate, formatDateTime } from '../../utils/date';
import { ratePercentText } from '../../utils/pricing';
import { PricingPanel } from './components/PricingPanel';

type ReasonTarget = { kind: 'decline' } | { kind: 'reject'; quote: FinancingQuote };

export default function BankReviewPage() {
  const { id } = useParams();
  const applicationId = Number(id);
  const { me, access } = useSession();
  const { t, st } = useI18n();
  const chain = useChainActions();
  const notify = useServerMessage();
  const [application, setApplication] = useState<FinancingApplicationDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reasonTarget, setReasonTarget] = useState<ReasonTarget | null>(null);
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const [reasonError, setReasonError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  const [disburseOpen, setDisburseOpen] = useState(false);
  const [disburseForm] = Form.useForm<{ payment_reference: string; disbursed_on: Dayjs }>();
  const [disburseError, setDisburseError] = useState<{ error: unknown; leftover: string[] } | null>(null);

  const load = useCallback(async () => {
    try {
      setApplication(await getApplication(applicationId));
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  }, [applicationId]);
  useEffect(() => {
    void load();
  }, [load, chain.version]);

  if (!application) return error ? <ErrorAlert error={error} /> : <Spin style={{ display: 'block', margin: '80px auto' }} />;

  const myBank = application.banks.find((b) => b.bank.id === me?.organisation.id);
  const open = application.status === 'submitted' && myBank?.status === 'open';
  const hasLiveQuote = application.quotes.some((q) => ['proposed', 'offered', 'accepted'].includes(q.status) && q.bank.id === me?.organisation.id);

  const approve = async (quote: FinancingQuote) => {
    try {
      const answer = await approveQuote(quote.id);
      if (isOperation(answer)) chain.track(answer.operation_id, `${t('review.approveQuote')} #${quote.id}`);
      else {
        notify.success(t('review.offered'));
        void load();
      }
    } catch (cause) {
      notify.error(cause);
      void load();
    }
  };

  const submitReason = async () => {
    if (!reasonTarget) return;
    const values = await reasonForm.validateFields();
    try {
      const answer = reasonTarget.kind === 'decline'
        ? await declineApplication(application.id, values.reason)
        : await rejectQuote(reasonTarget.quote.id, values.reason);
      setReasonTarget(null);
      if (isOperation(answer)) chain.track(answer.operation_id, reasonTarget.kind === 'decline' ? t('review.decline') : t('review.rejectQuote'));
      else void load();
    } catch (cause) {
      setReasonError({ error: cause, leftover: applyServerErrors(reasonForm, cause, {}, st) });
    }
  };

  const root = application.root;
  return (
    <>
      <PageHeader
        title={<Space>{t('review.title')} #{application.id}<StatusTag domain="application" value={application.status} /></Space>}
        subtitle={<Link to="/bank/applications">← {t('menu.bankQueue')}</Link>}
        extra={access.canDecideFinancing && open ? <Button danger onClick={() => { setReasonTarget({ kind: 'decline' }); setReasonError(null); }}>{t('review.decline')}</Button> : null}
      />
      <ErrorAlert error={error} />
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card title={t('review.application')} style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('review.applicant')}>{application.applicant.name}</Descriptions.Item>
              <Descriptions.Item label={t('financing.amount')}><Money fen={application.amount_fen} strong /></Descriptions.Item>
              <Descriptions.Item label={t('piece.maturity')}>{formatDate(application.maturity_date)}</Descriptions.Item>
              <Descriptions.Item label={t('financing.piece')}>#{application.token_id}{application.locked_token_id && application.locked_token_id !== application.token_id ? ` → #${application.locked_token_id}` : ''}{application.lock_bank ? ` · ${t('review.lockedFor')} ${application.lock_bank.name}` : ''}</Descriptions.Item>
              <Descriptions.Item label={t('financing.banks')}>{application.banks.map((b) => <Tag key={b.bank.id}>{b.bank.name} · {t(`addressee.${b.status}`)}</Tag>)}</Descriptions.Item>
              <Descriptions.Item label={t('approvals.proposedAt')}>{formatDateTime(application.created_at)} · {application.applied_by}</Descriptions.Item>
              {application.disbursement ? <Descriptions.Item label={t('review.disbursed')}>{application.disbursement.payment_reference} · {formatDate(application.disbursement.disbursed_on)} · <Money fen={application.disbursement.amount_fen} /></Descriptions.Item> : null}
            </Descriptions>
          </Card>
          <Card title={t('review.kyc')} style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('org.status')}><StatusTag domain="organisation" value={application.kyc.organisation_status} /></Descriptions.Item>
              <Descriptions.Item label="KYC"><StatusTag domain="kyc" value={application.kyc.kyc_status} /></Descriptions.Item>
              <Descriptions.Item label={t('kyc.expiresOn')}>{formatDate(application.kyc.kyc_expires_on)}</Descriptions.Item>
              <Descriptions.Item label={t('members.onChain')}>{application.kyc.on_chain ? <Tag color="success">{t('members.registered')}</Tag> : <Tag color="error">{t('members.notRegistered')}</Tag>}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('review.trade')} style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('financing.tradeReference')}>{application.trade_reference || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('voucher.invoices')}>{application.invoice_numbers.join('、')}</Descriptions.Item>
              {root ? (
                <>
                  <Descriptions.Item label={t('voucher.debtor')}>{root.debtor_name}</Descriptions.Item>
                  <Descriptions.Item label={t('voucher.face')}><Space size={4}><Money fen={root.face_value_fen} /><Typography.Text type="secondary">（{t('review.settled')} <Money fen={root.settled_amount_fen} />）</Typography.Text></Space></Descriptions.Item>
                  <Descriptions.Item label={t('review.tradeHash')}><TxHash value={root.trade_hash} /></Descriptions.Item>
                  <Descriptions.Item label={t('review.invoiceHashes')}><Space direction="vertical" size={0}>{root.invoice_hashes.map((h) => <TxHash key={h} value={h} />)}</Space></Descriptions.Item>
                  <Descriptions.Item label={t('review.issueTx')}><TxHash value={root.issue_tx_hash} /></Descriptions.Item>
                </>
              ) : null}
            </Descriptions>
          </Card>
          <Card title={t('menu.lineage')} extra={<Link to={`/lineage/${application.locked_token_id ?? application.token_id}`}>{t('common.details')}</Link>}>
            <LineageSteps steps={application.lineage} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          {open && !hasLiveQuote ? (
            <div style={{ marginBottom: 16 }}>
              <PricingPanel applicationId={application.id} faceFen={application.amount_fen} maturityDate={application.maturity_date}
                canPropose={access.canPriceFinancing} onProposed={() => void load()} />
            </div>
          ) : null}
          <Card title={t('review.quotes')} style={{ marginBottom: 16 }}>
            <Table<FinancingQuote>
              size="small"
              scroll={{ x: 'max-content' }}
              rowKey="id"
              pagination={false}
              dataSource={application.quotes}
              locale={{ emptyText: t('quote.none') }}
              expandable={{ expandedRowRender: (q) => <Typography.Text style={{ fontSize: 12 }}>{st(q.formula)}</Typography.Text> }}
              columns={[
                { title: t('quote.rate'), dataIndex: 'annual_rate', render: (r: string, q) => <span title={`#${q.id} · ${q.days} / ${q.day_count_basis}`}>{ratePercentText(r)}</span> },
                { title: t('quote.interest'), dataIndex: 'interest_fen', align: 'right', render: (f: number) => <Money fen={f} /> },
                { title: t('quote.net'), dataIndex: 'net_proceeds_fen', align: 'right', render: (f: number) => <Money fen={f} strong /> },
                { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag domain="quote" value={s} /> },
                { title: t('approvals.proposedBy'), dataIndex: 'proposed_by' },
                {
                  title: '', key: 'a', render: (_: unknown, q) => {
                    if (q.status !== 'proposed' || !access.canDecideFinancing || q.bank.id !== me?.organisation.id) return q.decided_by ? <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>✓ {q.decided_by}</Typography.Text> : null;
                    if (q.proposed_by === me?.user.username) return <Typography.Text type="secondary">{t('approvals.ownProposal')}</Typography.Text>;
                    return (
                      <Space>
                        <Button size="small" type="primary" onClick={() => void approve(q)} data-testid={`approve-quote-${q.id}`}>{t('review.approveQuote')}</Button>
                        <Button size="small" danger onClick={() => { setReasonTarget({ kind: 'reject', quote: q }); setReasonError(null); }}>{t('approvals.reject')}</Button>
                      </Space>
                    );
                  },
                },
              ]}
            />
          </Card>
          {application.status === 'financed' && application.lock_bank?.id === me?.organisation.id && access.canDisburse ? (
            <Card title={t('review.disburse')}>
              <Button type="primary" onClick={() => { setDisburseOpen(true); setDisburseError(null); }}>{t('review.disburse')}</Button>
            </Card>
          ) : null}
        </Col>
      </Row>
      <Modal open={Boolean(reasonTarget)} title={reasonTarget?.kind === 'decline' ? t('review.decline') : t('review.rejectQuote')}
        okButtonProps={{ danger: true }} onCancel={() => setReasonTarget(null)} onOk={() => void submitReason()} destroyOnHidden>
        {reasonError ? <ErrorAlert error={reasonError.error} extra={reasonError.leftover} /> : null}
        <Form form={reasonForm} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, message: t('common.reasonRequired') }]}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={disburseOpen} title={t('review.disburse')} onCancel={() => setDisburseOpen(false)} destroyOnHidden
        onOk={async () => {
          const values = await disburseForm.validateFields();
          try {
            setApplication(await disburseApplication(application.id, { payment_reference: values.payment_reference, disbursed_on: values.disbursed_on.format('YYYY-MM-DD') }));
            setDisburseOpen(false);
          } catch (cause) {
            setDisburseError({ error: cause, leftover: applyServerErrors(disburseForm, cause, {}, st) });
          }
        }}>
        {disburseError ? <ErrorAlert error={disburseError.error} extra={disburseError.leftover} /> : null}
        <Form form={disburseForm} layout="vertical" preserve={false} initialValues={{ disbursed_on: dayjs() }}>
          <Form.Item name="payment_reference" label={t('review.paymentReference')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="disbursed_on" label={t('review.disbursedOn')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}
