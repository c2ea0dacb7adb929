import { useEffect, useRef, useState } from 'react';
import { Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProFormSelect, ProFormText, ProTable, type ActionType } from '@ant-design/pro-components';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { StatusTag } from '../../components/StatusTag';
import { TxHash } from '../../components/TxHash';
import { ErrorAlert } from '../../components/ErrorAlert';
import { allKycCases, type KycCase } from '../../services/kyc';
import type { OrganisationKind } from '../../services/auth';
import {
  createOrganisation, listOrganisations, reinstateOrganisation, suspendOrganisation,
  type Organisation, type OrganisationCreateInput,
} from '../../services/organisations';
import { applyServerErrors } from '../../utils/formErrors';

const KINDS: OrganisationKind[] = ['platform', 'core_enterprise', 'supplier', 'bank', 'regulator'];

export default function MembersPage() {
  const { access } = useSession();
  const { t, st } = useI18n();
  const notify = useServerMessage();
  const ref = useRef<ActionType>(null);
  const [kyc, setKyc] = useState<Record<number, KycCase>>({});
  const [createForm] = Form.useForm<OrganisationCreateInput>();
  const [createError, setCreateError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  const [suspending, setSuspending] = useState<Organisation | null>(null);
  const [reason, setReason] = useState('');
  const [suspendError, setSuspendError] = useState<unknown>(null);

  useEffect(() => {
    allKycCases()
      .then((cases) => setKyc(Object.fromEntries(cases.map((item) => [item.organisation.id, item]))))
      .catch(() => undefined);
  }, []);

  const reinstate = async (organisation: Organisation) => {
    try {
      await reinstateOrganisation(organisation.id);
      notify.success(t('org.reinstated'));
      ref.current?.reload();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <>
      <PageHeader title={t('members.title')} extra={access.canAdminOrganisations ? (
        <ModalForm<OrganisationCreateInput>
          title={t('org.create')}
          form={createForm}
          trigger={<Button type="primary" icon={<PlusOutlined />}>{t('org.create')}</Button>}
          modalProps={{ destroyOnHidden: true, onCancel: () => setCreateError(null) }}
          onFinish={async (values) => {
            setCreateError(null);
            try {
              await createOrganisation(values);
              notify.success(t('org.created'));
              ref.current?.reload();
              return true;
            } catch (error) {
              setCreateError({ error, leftover: applyServerErrors(createForm, error, {}, st) });
              return false;
            }
          }}
        >
          {createError ? <ErrorAlert error={createError.error} extra={createError.leftover} /> : null}
          <ProFormSelect name="kind" label={t('org.kind')} rules={[{ required: true }]} options={KINDS.filter((k) => k !== 'platform').map((kind) => ({ value: kind, label: t(`kind.${kind}`) }))} />
          <ProFormText name="name" label={t('org.name')} rules={[{ required: true }]} />
          <ProFormText name="credit_code" label={t('org.creditCode')} rules={[{ required: true }]} />
          <ProFormText name="legal_representative" label={t('org.legalRep')} rules={[{ required: true }]} />
          <ProFormText name="registered_address" label={t('org.address')} rules={[{ required: true }]} />
          <ProFormText name="bank_account_name" label={t('org.bankAccountName')} />
          <ProFormText name="bank_name" label={t('org.bankName')} />
          <ProFormText name="bank_account_number" label={t('org.bankAccountNumber')} />
          <ProFormText name="admin_username" label={t('org.adminUsername')} />
          <ProFormText.Password name="admin_password" label={t('org.adminPassword')} />
          <ProFormText name="admin_person_id" label={t('org.adminPersonId')} />
          <ProFormText name="admin_email" label={t('org.adminEmail')} />
        </ModalForm>
      ) : null} />
      <ProTable<Organisation>
        actionRef={ref}
        rowKey="id"
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        search={{ labelWidth: 'auto' }}
        request={pagedRequest(listOrganisations, notify.error)}
        columns={[
          { title: t('org.name'), dataIndex: 'q', render: (_, row) => <Space direction="vertical" size={0}><Typography.Text strong>{row.name}</Typography.Text><Typography.Text type="secondary" style={{ fontSize: 12 }}>{row.credit_code}</Typography.Text></Space> },
          {
            title: t('org.kind'), dataIndex: 'kind', valueType: 'select', width: 130,
            valueEnum: Object.fromEntries(KINDS.map((kind) => [kind, { text: t(`kind.${kind}`) }])),
            render: (_, row) => <Tag color="blue">{t(`kind.${row.kind}`)}</Tag>,
          },
          {
            title: t('org.status'), dataIndex: 'status', valueType: 'select', width: 110,
            valueEnum: { active: { text: t('status.org.active') }, suspended: { text: t('status.org.suspended') } },
            render: (_, row) => <StatusTag domain="organisation" value={row.status} />,
          },
          { title: t('members.kyc'), dataIndex: 'kyc', search: false, width: 110, render: (_, row) => kyc[row.id] ? <StatusTag domain="kyc" value={kyc[row.id].status} /> : '—' },
          {
            title: t('members.onChain'), dataIndex: 'chain_address', search: false,
            render: (_, row) => row.chain_address ? <Space><Tag color="success">{t('members.registered')}</Tag><TxHash value={row.chain_address} /></Space> : <Tag>{t('members.notRegistered')}</Tag>,
          },
          {
            title: t('common.actions'), valueType: 'option', width: 120, hideInTable: !access.canAdminOrganisations,
            render: (_, row) => row.kind === 'platform' ? null : row.status === 'active'
              ? <a key="suspend" onClick={() => { setSuspending(row); setReason(''); setSuspendError(null); }}>{t('org.suspend')}</a>
              : <a key="reinstate" onClick={() => void reinstate(row)}>{t('org.reinstate')}</a>,
          },
        ]}
      />
      <Modal
        open={Boolean(suspending)}
        title={`${t('org.suspend')} · ${suspending?.name ?? ''}`}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onCancel={() => setSuspending(null)}
        onOk={async () => {
          if (!suspending) return;
          try {
            await suspendOrganisation(suspending.id, reason);
            setSuspending(null);
            notify.success(t('org.suspended'));
            ref.current?.reload();
          } catch (error) {
            setSuspendError(error);
          }
        }}
      >
        <ErrorAlert error={suspendError} />
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('common.reason')} />
      </Modal>
    </>
  );
}
