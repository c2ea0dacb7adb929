import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Result, Space, Spin, Typography, Upload } from 'antd';
import { GlobalOutlined, InboxOutlined } from '@ant-design/icons';
import { useI18n } from '../../locales';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../utils/date';
import { getPublicDocument, verifyFile, type Verification } from '../../services/verification';

/**
 * The public verification page, outside the signed-in layout: the page a document's QR code
 * and printed link open (`/verify?doc=<reference>`). It shows what the document itself prints
 * (kind, number, parties, SHA-256) and the chain's anchor, and checks a dropped PDF byte for
 * byte: 真实有效 / genuine, or 无法验证 / not genuine.
 */
export default function VerifyPage() {
  const { t, st, lang, setLang } = useI18n();
  const [params] = useSearchParams();
  const reference = params.get('doc') ?? '';
  const [registered, setRegistered] = useState<Verification | null>(null);
  const [lookupError, setLookupError] = useState<unknown>(null);
  const [looking, setLooking] = useState(Boolean(reference));
  const [checked, setChecked] = useState<Verification | null>(null);
  const [checkError, setCheckError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);

  useEffect(() => {
    if (!reference) return;
    let live = true;
    setLooking(true);
    setLookupError(null);
    getPublicDocument(reference)
      .then((answer) => live && setRegistered(answer))
      .catch((cause: unknown) => live && setLookupError(cause))
      .finally(() => live && setLooking(false));
    return () => {
      live = false;
    };
  }, [reference]);

  const check = async (file: File) => {
    setChecking(true);
    setChecked(null);
    setCheckError(null);
    try {
      setChecked(await verifyFile(file, file.name));
    } catch (cause) {
      setCheckError(cause);
    } finally {
      setChecking(false);
    }
  };

  const doc = registered?.document;
  const otherDocument = Boolean(checked?.genuine && doc && checked.document && checked.document.reference !== doc.reference);
  // Genuine, and the very document the link names (a genuine file of another document is not
  // the one the reader was shown).
  const fileGenuine = Boolean(checked?.genuine && !otherDocument);
  const role = (party: { role_zh: string; role_en: string }) => (lang === 'zh-CN' ? party.role_zh : party.role_en);

  return (
    <div className="scf-verify">
      <Card className="scf-verify-card" variant="borderless">
        <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>{t('verify.title')}</Typography.Title>
            <Typography.Text type="secondary">{t('verify.subtitle')}</Typography.Text>
          </div>
          <Button size="small" type="text" icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')} data-testid="switch-lang">
            {t('header.switchLang')}
          </Button>
        </Space>

        {!reference && <Alert style={{ marginTop: 16 }} type="info" showIcon message={t('verify.noReference')} />}
        {looking && <Spin style={{ display: 'block', margin: '32px auto' }} />}
        <ErrorAlert error={lookupError} style={{ marginTop: 16 }} />
        {registered && doc && (
          <div data-testid="verify-document" style={{ marginTop: 16 }}>
            <Alert
              type={registered.genuine ? 'success' : 'warning'}
              showIcon
              data-genuine={registered.genuine}
              message={t(registered.genuine ? 'verify.registered' : 'verify.notAnchored')}
              description={st(registered.message)}
            />
            <Descriptions style={{ marginTop: 16 }} column={1} size="small" bordered title={t('verify.document')}>
              <Descriptions.Item label={t('verify.kind')}>{st(doc.kind_label)}</Descriptions.Item>
              <Descriptions.Item label={t('verify.number')}><span data-testid="verify-number">{doc.number}</span></Descriptions.Item>
              <Descriptions.Item label={t('verify.generatedAt')}>{doc.generated_at || '—'}</Descriptions.Item>
              {doc.parties.map((party) => (
                <Descriptions.Item key={`${party.role_en}-${party.name}`} label={role(party)}>
                  <div>{party.name}</div>
                  {party.credit_code && <Typography.Text type="secondary">{t('verify.creditCode')}: {party.credit_code}</Typography.Text>}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('verify.sha256')}>
                <Typography.Text code copyable className="scf-hash scf-break">{doc.sha256}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.code')}>
                <Typography.Text className="scf-hash scf-break">{doc.verification_code}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.tx')}>
                {registered.anchor
                  ? <Typography.Text code copyable className="scf-hash scf-break">{registered.anchor.tx_hash}</Typography.Text>
                  : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.block')}>{registered.anchor ? `#${registered.anchor.block_number}` : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('verify.anchoredAt')}>{formatDateTime(registered.anchor?.anchored_at) || '—'}</Descriptions.Item>
            </Descriptions>
          </div>
        )}

        <Upload.Dragger
          style={{ marginTop: 24 }}
          accept=".pdf,application/pdf"
          multiple={false}
          showUploadList={false}
          disabled={checking}
          beforeUpload={(file) => {
            void check(file);
            return false;
          }}
          data-testid="verify-drop"
        >
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p className="ant-upload-text">{checking ? t('verify.checking') : t('verify.drop')}</p>
          <p className="ant-upload-hint">{t('verify.dropHint')}</p>
        </Upload.Dragger>
        <ErrorAlert error={checkError} style={{ marginTop: 16 }} />
        {checked && (
          <div data-testid="verify-result" data-genuine={fileGenuine}>
            <Result
              status={fileGenuine ? 'success' : 'error'}
              title={t(fileGenuine ? 'verify.genuine' : 'verify.notGenuine')}
              subTitle={otherDocument && checked.document
                ? t('verify.otherDocument', { number: checked.document.number })
                : st(checked.message)}
              extra={
                <Typography.Text type="secondary" className="scf-hash scf-break">
                  {t('verify.fileSha256')}: {checked.sha256}
                </Typography.Text>
              }
            />
          </div>
        )}
      </Card>
    </div>
  );
}
