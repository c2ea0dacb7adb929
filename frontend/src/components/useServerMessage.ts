import { App } from 'antd';
import { useI18n } from '../locales';

/** Toasts that always carry the server's own message (in the user's language). */
export function useServerMessage() {
  const { message } = App.useApp();
  const { t, st } = useI18n();
  return {
    error: (error: unknown) => {
      void message.error(error instanceof Error ? st(error.message) : t('common.error'));
    },
    success: (text: string) => {
      void message.success(text);
    },
  };
}
