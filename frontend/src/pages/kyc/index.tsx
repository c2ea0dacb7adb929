import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Descriptions, Form, Select, Space, Upload, Typography } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { UploadFile } from 'antd';
import { useI18n } from '../../locales';
import { useSession } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StatusTag } from '../../components/StatusTag';
import { useServerMessage } from '../../components/useServerMessage';
import { KycDocuments } from '../kyc-review/components/KycCaseDetail';
import {
  KYC_DOCUMENT_KINDS, createKycCase, getKycCase, listKycCases, resubmitKycCase, submitKycCase, uploadKycDocument,
  type KycCase, type KycDocumentKind,
} from '../../services/kyc';
import { applyServerErrors } from '../../utils/formErrors';
import { formatDate, formatDateTime } from '../../utils/date';

interface UploadValues {
  kind: KycDocumentKind;
  file: UploadFile[];
}

export default function MyKycPage() {
  const { me } = useSession();
  const { t, st } = useI18n();
  const notify = useServerMessage();
  const [kycCase, setKycCase] = useState<KycCase | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [uploadError, setUploadError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<UploadValues>();
  const orgId = me?.organisation.id;

  const load = useCallback(async () => {
    try {
      const page = await listKycCases({ organisation: orgId });
      setKycCase(page.results[0] ?? null);
    } catch (cause) {
      setError(cause);
    } finally {
      setLoaded(true);
    }
  }, [orgId]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (fn: () => Promise<KycCase>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      setKycCase(await fn());
      notify.success(done);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const upload = async (values: UploadValues) => {
    if (!kycCase) return;
    const file = values.file?.[0]?.originFileObj;
    if (!file) return;
    setBusy(true);
    setUploadError(null);
    try {
      await uploadKycDocument(kycCase.id, values.kind, file);
      setKycCase(await getKycCase(kycCase.id));
      form.resetFields();
      notify.success(t('kyc.uploaded'));
    } catch (cause) {
      setUploadError({ error: cause, leftover: applyServerErrors(form, cause, {}, st) });
    } finally {
      setBusy(false);
    }
  };

  const editable = kycCase && ['draft', 'rejected', 'expired'].includes(kycCase.status);
  return (
    <>
      <PageHeader title={t('kyc.my')} extra={kycCase ? (
        <Space>
          {kycCase.status === 'draft' ? <Button type="primary" loading={busy} onClick={() => void act(() => submitKycCase(kycCase.id), t('kyc.submitted'))}>{t('kyc.submitCase')}</Button> : null}
          {kycCase.status === 'rejected' || kycCase.status === 'expired' ? <Button type="primary" loading={busy} onClick={() => void act(() => resubmitKycCase(kycCase.id), t('kyc.submitted'))}>{t('kyc.resubmit')}</Button> : null}
        </Space>
      ) : null} />
      <ErrorAlert error={error} />
      {loaded && !kycCase ? (
        <Card>
          <Space direction="vertical">
            <Typography.Text>{t('kyc.noCase')}</Typography.Text>
            <Button type="primary" loading={busy} onClick={() => void act(createKycCase, t('common.success'))}>{t('kyc.create')}</Button>
          </Space>
        </Card>
      ) : null}
      {kycCase ? (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Card>
            <Descriptions size="small" column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={t('common.status')}><StatusTag domain="kyc" value={kycCase.status} display={kycCase.status_display} /></Descriptions.Item>
              <Descriptions.Item label={t('kyc.revision')}>{kycCase.revision}</Descriptions.Item>
              <Descriptions.Item label={t('kyc.submittedAt')}>{formatDateTime(kycCase.submitted_at)}</Descriptions.Item>
              <Descriptions.Item label={t('kyc.expiresOn')}>{formatDate(kycCase.expires_on)}</Descriptions.Item>
              {kycCase.rejection_reason ? <Descriptions.Item label={t('kyc.rejectionReason')} span={2}>{st(kycCase.rejection_reason)}</Descriptions.Item> : null}
            </Descriptions>
          </Card>
          {editable ? (
            <Card title={t('kyc.upload')}>
              {uploadError ? <ErrorAlert error={uploadError.error} extra={uploadError.leftover} /> : null}
              <Form form={form} layout="inline" onFinish={(values) => void upload(values)}>
                <Form.Item name="kind" label={t('kyc.docKind')} rules={[{ required: true }]} style={{ minWidth: 280 }}>
                  <Select options={KYC_DOCUMENT_KINDS.map((kind) => ({ value: kind, label: t(`doc.${kind}`) }))} />
                </Form.Item>
                <Form.Item name="file" label={t('kyc.file')} valuePropName="fileList" getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)} rules={[{ required: true, message: t('kyc.fileRequired') }]}>
                  <Upload beforeUpload={() => false} maxCount={1} accept=".pdf,.png,.jpg,.jpeg">
                    <Button icon={<UploadOutlined />}>{t('kyc.file')}</Button>
                  </Upload>
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy}>{t('kyc.upload')}</Button>
              </Form>
            </Card>
          ) : null}
          <Card title={t('kyc.documents')}><KycDocuments documents={kycCase.documents} /></Card>
        </Space>
      ) : null}
    </>
  );
}
