import { useEffect, useMemo, useRef, useState } from 'react';
import { Empty, Select, Space, Spin, Tag, Typography } from 'antd';
import { useI18n } from '../locales';
import type { OrganisationKind } from '../services/auth';
import { listDirectory, type DirectoryMember } from '../services/organisations';

const DEBOUNCE_MS = 250;

export interface MemberPickerProps {
  /** The kinds of counterparty the action takes (a receiver: supplier or bank; a bank). */
  kinds: OrganisationKind[];
  /** Credit codes: one, or several with `multiple`. */
  value?: string | string[];
  onChange?: (value: string | string[] | undefined) => void;
  /** The members chosen, for the confirmation that names them. */
  onPick?: (members: DirectoryMember[]) => void;
  multiple?: boolean;
  /** Not oneself (one cannot transfer to oneself). */
  excludeId?: number;
  placeholder?: string;
  'data-testid'?: string;
}

/** A counterparty picked from the member directory (会员名录), found by name or by unified social
 * credit code as the user types; its value is the credit code the API takes. */
export function MemberPicker({ kinds, value, onChange, onPick, multiple, excludeId, placeholder, 'data-testid': testId }: MemberPickerProps) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<DirectoryMember[]>([]);
  const [loading, setLoading] = useState(false);
  const known = useRef(new Map<string, DirectoryMember>());
  const kindsKey = kinds.join(',');
  const pick = useRef(onPick);
  useEffect(() => {
    pick.current = onPick;
  });

  // The members matching what is typed (every member of those kinds before anything is typed).
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      listDirectory({ search: search.trim(), kind: kindsKey.split(','), status: 'active' }, controller.signal)
        .then((page) => {
          page.results.forEach((member) => known.current.set(member.credit_code, member));
          setOptions(page.results.filter((member) => member.id !== excludeId));
        })
        .catch(() => undefined) // aborted, or the page's own error shows on submit
        .finally(() => { if (!controller.signal.aborted) setLoading(false); });
    }, search ? DEBOUNCE_MS : 0);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [search, kindsKey, excludeId]);

  // A value set from outside (a form's initial bank) that no search has shown yet; and the
  // members of the value, told to the caller whenever they are all known.
  const values = useMemo(() => (value === undefined ? [] : Array.isArray(value) ? value : [value]), [value]);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const missing = values.filter((code) => !known.current.has(code));
    if (!missing.length) return;
    let stopped = false;
    Promise.all(missing.map((code) => listDirectory({ search: code, kind: kindsKey.split(',') })))
      .then((pages) => {
        if (stopped) return;
        pages.flatMap((page) => page.results).forEach((member) => known.current.set(member.credit_code, member));
        setVersion((n) => n + 1);
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [values, kindsKey]);
  const told = useRef('');
  useEffect(() => {
    const members = values.map((code) => known.current.get(code)).filter((m): m is DirectoryMember => Boolean(m));
    const key = members.map((m) => m.credit_code).join(',');
    if (members.length === values.length && key !== told.current) {
      told.current = key;
      pick.current?.(members);
    }
  }, [values, version, options]);

  const shown = [...options];
  for (const code of values) {
    const member = known.current.get(code);
    if (member && !shown.some((m) => m.credit_code === code)) shown.push(member);
  }

  return (
    <Select<string | string[]>
      mode={multiple ? 'multiple' : undefined}
      showSearch
      allowClear
      filterOption={false}
      onSearch={setSearch}
      value={value}
      placeholder={placeholder ?? t('directory.pickPlaceholder')}
      data-testid={testId}
      notFoundContent={loading ? <Spin size="small" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('directory.noMatch')} />}
      onChange={(next) => {
        onChange?.(next);
        setSearch('');
      }}
      optionLabelProp="label"
      options={shown.map((member) => ({
        value: member.credit_code,
        label: member.name,
        title: `${member.name} ${member.credit_code}`,
        'data-testid': `member-option-${member.credit_code}`,
        member,
      }))}
      optionRender={(option) => {
        const member = (option.data as { member: DirectoryMember }).member;
        return (
          <Space direction="vertical" size={0} data-testid={`member-option-${member.credit_code}`}>
            <Space size={6}>
              <Typography.Text strong>{member.name}</Typography.Text>
              <Tag color="blue" style={{ marginInlineEnd: 0 }}>{t(`kind.${member.kind}`)}</Tag>
            </Space>
            <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>{member.credit_code}</Typography.Text>
          </Space>
        );
      }}
    />
  );
}
