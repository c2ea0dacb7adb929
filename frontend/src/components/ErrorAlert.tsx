import { Alert } from 'antd';
import { ApiError } from '../services/http';
import { useI18n } from '../locales';

/** The server's message (in the user's language), with any errors not tied to a field. */
export function ErrorAlert({ error, extra, style }: { error: unknown; extra?: string[]; style?: React.CSSProperties }) {
  const { t, st } = useI18n();
  if (!error) return null;
  const message = error instanceof Error ? st(error.message) : t('common.error');
  const details = [
    ...(error instanceof ApiError ? error.generalErrors : []),
    ...(extra ?? []),
  ].map(st);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="scf-error"
      style={{ marginBottom: 16, ...style }}
      message={message}
      description={details.length ? <ul style={{ margin: 0, paddingLeft: 18 }}>{details.map((d) => <li key={d}>{d}</li>)}</ul> : undefined}
    />
  );
}
