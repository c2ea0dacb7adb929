import { Input, type InputProps } from 'antd';
import type { Rule } from 'antd/es/form';
import { parseYuanToFen } from '../utils/money';
import type { Translate } from '../locales';

/** A yuan amount typed as text (never a float): "1,000,000.00". The form keeps the string;
 * parseYuanToFen turns it into fen on submit. */
export function MoneyInput(props: Omit<InputProps, 'prefix'>) {
  return <Input inputMode="decimal" autoComplete="off" {...props} prefix="¥" style={{ fontVariantNumeric: 'tabular-nums', ...props.style }} />;
}

export function moneyRules(t: Translate, { required = true, allowZero = false }: { required?: boolean; allowZero?: boolean } = {}): Rule[] {
  return [
    ...(required ? [{ required: true, message: t('money.required') }] : []),
    {
      validator: async (_rule, value: string | undefined) => {
        if (value === undefined || value === null || value === '') return;
        const fen = parseYuanToFen(value);
        if (fen === null) throw new Error(t('common.invalidAmount'));
        if (!allowZero && fen <= 0n) throw new Error(t('money.positive'));
      },
    },
  ];
}
