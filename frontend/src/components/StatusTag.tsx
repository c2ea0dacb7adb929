import { Tag } from 'antd';
import { statusStyle, type StatusDomain } from '../constants/status';
import { useI18n } from '../locales';

/** A status as a coloured tag, from the one mapping in constants/status.ts. `display` is the
 * server's own (bilingual) label, used only for a status the mapping does not know yet. */
export function StatusTag({ domain, value, display }: { domain: StatusDomain; value: string | null | undefined; display?: string }) {
  const { t, st } = useI18n();
  const style = statusStyle(domain, value);
  if (!value) return <span>—</span>;
  return (
    <Tag color={style?.color ?? 'default'} data-status={value}>
      {style ? t(style.label) : st(display || value)}
    </Tag>
  );
}
