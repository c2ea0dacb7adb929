import { useCallback, useMemo, useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Space, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSession } from '../../../app/session';
import { useI18n } from '../../../locales';
import { StatusTag } from '../../../components/StatusTag';
import { TxHash } from '../../../components/TxHash';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { DocumentPreview } from '../../../components/DocumentPreview';
import { useChainActions } from '../../../components/chain/ChainActionProvider';
import { useServerMessage } from '../../../components/useServerMessage';
import { approveKycCase, downloadKycDocument, rejectKycCase, type KycCase, type KycDocument } from '../../../services/kyc';
import { applyServerErrors } from '../../../utils/formErrors';
import { formatDate, formatDateTime } from '../../../utils/date';
import { kycDecisionNote } from '../decision';

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

function DocumentTab({ document }: { document: KycDocument }) {
  const { t } = useI18n();
  const load = useCallback(() => downloadKycDocument(document.id), [document.id]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {document.original_name} · {formatBytes(document.size)} · {t('kyc.sha256')} <Typography.Text code>{document.sha256.slice(0, 16)}…</Typography.Text> · {formatDateTime(document.uploaded_at)}
      </Typography.Text>
      <DocumentPreview load={load} contentType={document.content_type} name={document.original_name} />
    </Space>
  );
}

export function KycDocuments({ documents }: { documents: KycDocument[] }) {
  const { t } = useI18n();
  if (!documents.length) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Tabs
      items={documents.map((document) => ({
        key: String(document.id),
        label: t(`doc.${document.kind}`),
        children: <DocumentTab document={document} />,
      }))}
    />
  );
}

export function KycCaseDetail({ kycCase, onChanged }: { kycCase: KycCase; onChanged: (next: KycCase) => void }) {
  const { access } = useSession();
  const { t, st } = useI18n();
  const chain = useChainActions();
  const notify = useServerMessage();
  const [mode, setMode] = useState<'approve' | 'reject' | null>(null);
  const [approveForm] = Form.useForm<{ expires_on: Dayjs }>();
  const [rejectForm] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [leftover, setLeftover] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const defaultExpiry = useMemo(() => dayjs().add(1, 'year'), []);

  const close = () => {
    setMode(null);
    setError(null);
    setLeftover([]);
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      if (mode === 'approve') {
        const values = await approveForm.validateFields();
        const next = await approveKycCase(kycCase.id, values.expires_on.format('YYYY-MM-DD'));
        close();
        notify.success(t('kyc.approved'));
        if (next.chain_intent) chain.track(next.chain_intent.operation_id, `${t('kyc.approveTitle')} · ${next.organisation.name}`);
        onChanged(next);
      } else if (mode === 'reject') {
        const values = await rejectForm.validateFields();
        const next = await rejectKycCase(kycCase.id, values.reason);
        close();
        notify.success(t('kyc.rejected'));
        onChanged(next);
      }
    } catch (cause) {
      if (cause instanceof Error) {
        setError(cause);
        setLeftover(applyServerErrors(mode === 'approve' ? approveForm : rejectForm, cause, {}, st));
      }
    } finally {
      setBusy(false);
    }
  };

  const canDecide = access.canReviewKyc && kycCase.status === 'submitted';
  const note = kycDecisionNote(access.canReviewKyc, kycCase.status);
  return (
    <Card
      title={<Space><span data-testid="kyc-case-title">{kycCase.organisation.name}</span><Tag color="blue">{t(`kind.${kycCase.organisation.kind}`)}</Tag><StatusTag domain="kyc" value={kycCase.status} display={kycCase.status_display} /></Space>}
      extra={canDecide ? (
        <Space>
          <Button type="primary" onClick={() => setMode('approve')} data-testid="kyc-approve">{t('kyc.approve')}</Button>
          <Button danger onClick={() => setMode('reject')} data-testid="kyc-reject">{t('kyc.reject')}</Button>
        </Space>
      ) : null}
    >
      {note ? <Alert type="info" showIcon message={t(note)} style={{ marginBottom: 16 }} data-testid="kyc-who-decides" /> : null}
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('org.creditCode')}>{kycCase.organisation.credit_code}</Descriptions.Item>
        <Descriptions.Item label={t('kyc.revision')}>{kycCase.revision}</Descriptions.Item>
        <Descriptions.Item label={t('kyc.submittedAt')}>{formatDateTime(kycCase.submitted_at)}</Descriptions.Item>
        <Descriptions.Item label={t('kyc.submittedBy')}>{kycCase.submitted_by ?? '—'}</Descriptions.Item>
        {kycCase.reviewed_at ? <Descriptions.Item label={t('kyc.reviewedAt')}>{formatDateTime(kycCase.reviewed_at)} {kycCase.reviewed_by ?? ''}</Descriptions.Item> : null}
        {kycCase.expires_on ? <Descriptions.Item label={t('kyc.expiresOn')}>{formatDate(kycCase.expires_on)}</Descriptions.Item> : null}
        {kycCase.rejection_reason ? <Descriptions.Item label={t('kyc.rejectionReason')}>{st(kycCase.rejection_reason)}</Descriptions.Item> : null}
        {kycCase.chain_intent ? (
          <Descriptions.Item label={t('kyc.chainIntent')}>
            <Space><StatusTag domain="operation" value={kycCase.chain_intent.status} /><TxHash value={kycCase.chain_intent.tx_hash} /></Space>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <Typography.Title level={5}>{t('kyc.documents')}</Typography.Title>
      <KycDocuments documents={kycCase.documents} />
      <Modal
        open={mode !== null}
        title={mode === 'approve' ? t('kyc.approveTitle') : t('kyc.rejectTitle')}
        onCancel={close}
        onOk={() => void submit()}
        okText={mode === 'approve' ? t('kyc.approve') : t('kyc.reject')}
        okButtonProps={{ danger: mode === 'reject', loading: busy, className: 'scf-kyc-confirm' }}
        destroyOnHidden
      >
        <ErrorAlert error={error} extra={leftover} />
        {mode === 'approve' ? (
          <Form form={approveForm} layout="vertical" initialValues={{ expires_on: defaultExpiry }} preserve={false}>
            <Form.Item name="expires_on" label={t('kyc.expiresOn')} rules={[{ required: true, message: t('kyc.expiresRequired') }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
            </Form.Item>
          </Form>
        ) : (
          <Form form={rejectForm} layout="vertical" preserve={false}>
            <Form.Item name="reason" label={t('kyc.rejectionReason')} rules={[{ required: true, message: t('common.reasonRequired') }]}>
              <Input.TextArea rows={4} maxLength={2000} data-testid="kyc-reject-reason" />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </Card>
  );
}
