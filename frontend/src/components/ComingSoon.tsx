import { Card, Empty } from 'antd';
import { useI18n, type MessageKey } from '../locales';
import { PageHeader } from './PageHeader';

/** A page whose API has not landed yet. */
export function ComingSoon({ title }: { title: MessageKey }) {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t(title)} />
      <Card><Empty description={t('common.comingSoon')} /></Card>
    </>
  );
}
