import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import messages, { type MessageKey } from './messages';

export type Lang = 'zh-CN' | 'en-US';
export type { MessageKey };

const LANG_INDEX: Record<Lang, 0 | 1> = { 'zh-CN': 0, 'en-US': 1 };
const STORAGE_KEY = 'scf.lang';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const entry: readonly [string, string] | undefined = messages[key];
  const template = entry ? entry[LANG_INDEX[lang]] : key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const CJK = /[\u3400-\u9fff]/;

/**
 * The server writes its messages in both languages, "中文 / English". Show the user the half in
 * their language; anything else (one language only, or several slashes) is shown whole.
 */
export function localiseServerText(text: string, lang: Lang): string {
  const parts = text.split(' / ');
  if (parts.length !== 2) return text;
  const [zh, en] = parts;
  if (!CJK.test(zh) || CJK.test(en)) return text;
  return lang === 'zh-CN' ? zh.trim() : en.trim();
}

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** The server's bilingual text, in the user's language. */
  st: (text: string | null | undefined) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

/** The language the user chose last (zh-CN unless they chose English): also what the API is
 * asked to answer in (Accept-Language), so its messages come in one language. */
export function storedLang(): Lang {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return stored === 'en-US' ? 'en-US' : 'zh-CN';
}

function applyDayjsLocale(lang: Lang): void {
  // Set before anything renders: dates made earlier keep the locale they were made with.
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
}

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const first = fixed ?? storedLang();
    applyDayjsLocale(first);
    return first;
  });
  const setLang = useCallback((next: Lang) => {
    applyDayjsLocale(next);
    setLangState(next);
    localStorage.setItem(STORAGE_KEY, next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'app.title') + ' · scf';
  }, [lang]);
  const value = useMemo<I18nValue>(
    () => ({
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      st: (text) => (text ? localiseServerText(text, lang) : ''),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
