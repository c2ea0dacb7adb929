import { useEffect, useState } from 'react';
import { Button, Empty, Space, Spin, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useI18n } from '../locales';
import { ErrorAlert } from './ErrorAlert';

/** A document shown in the page: a PDF in the browser's viewer, an image as an image. The bytes
 * come through the API (session-authenticated), then live as an object URL. */
export function DocumentPreview({ load, contentType, name }: { load: () => Promise<Blob>; contentType: string; name: string }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let stopped = false;
    setUrl(null);
    setError(null);
    load()
      .then((blob) => {
        if (stopped) return;
        objectUrl = URL.createObjectURL(new Blob([blob], { type: contentType || blob.type }));
        setUrl(objectUrl);
      })
      .catch((cause: unknown) => {
        if (!stopped) setError(cause);
      });
    return () => {
      stopped = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [load, contentType]);
  if (error) return <ErrorAlert error={error} />;
  if (!url) return <Spin style={{ display: 'block', margin: '40px auto' }} />;
  const download = (
    <Button size="small" icon={<DownloadOutlined />} href={url} download={name}>{t('common.download')}</Button>
  );
  if (contentType === 'application/pdf') {
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <iframe title={name} src={url} className="scf-preview" data-testid="document-preview" />
        {download}
      </Space>
    );
  }
  if (contentType.startsWith('image/')) {
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <img src={url} alt={name} className="scf-preview-img" data-testid="document-preview" />
        {download}
      </Space>
    );
  }
  return <Empty description={<Typography.Text>{t('kyc.noPreview')}</Typography.Text>}>{download}</Empty>;
}
