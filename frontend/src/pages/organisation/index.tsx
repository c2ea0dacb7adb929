import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Card, Descriptions, Form, Space, Tag, Typography } from 'antd';
import { ModalForm, ProFormSelect, ProFormText, ProFormTextArea, ProTable, type ActionType } from '@ant-design/pro-components';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { StatusTag } from '../../components/StatusTag';
import { TxHash } from '../../components/TxHash';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useServerMessage } from '../../components/useServerMessage';
import { pagedRequest } from '../../components/pagedRequest';
import { listApprovals, type ApprovalRequest } from '../../services/approvals';
import { approveRoleGrant, createUser, getOrganisation, listUsers, rejectRoleGrant, updateOrganisation, type Organisation, type OrganisationUpdateInput, type User, type UserCreateInput } from '../../services/organisations';
import type { Role } from '../../services/auth';
import { applyServerErrors } from '../../utils/formErrors';
import { formatDateTime } from '../../utils/date';

export function OrganisationDescriptions({ organisation }: { organisation: Organisation }) {
  const { t, st } = useI18n();
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="organisation-profile">
      <Descriptions.Item label={t('org.name')}>{organisation.name}</Descriptions.Item>
      <Descriptions.Item label={t('org.kind')}><Tag color="blue">{t(`kind.${organisation.kind}`)}</Tag></Descriptions.Item>
      <Descriptions.Item label={t('org.creditCode')}>{organisation.credit_code}</Descriptions.Item>
      <Descriptions.Item label={t('org.legalRep')}>{organisation.legal_representative}</Descriptions.Item>
      <Descriptions.Item label={t('org.address')} span={2}>{organisation.registered_address}</Descriptions.Item>
      <Descriptions.Item label={t('org.bankAccount')} span={2}>
        {organisation.bank_account.number ? `${organisation.bank_account.name} · ${organisation.bank_account.bank} · ${organisation.bank_account.number}` : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('org.status')}>
        <Space><StatusTag domain="organisation" value={organisation.status} />{organisation.suspension_reason ? st(organisation.suspension_reason) : null}</Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('org.chainAddress')}>
        {organisation.chain_address ? <TxHash value={organisation.chain_address} full /> : <Tag>{t('org.notOnChain')}</Tag>}
      </Descriptions.Item>
    </Descriptions>
  );
}

const ROLES: Role[] = ['operator', 'approver', 'admin', 'viewer'];

/** An administrator adds a user to their own organisation (every kind, the regulator's too). */
function AddUser({ onCreated }: { onCreated: () => void }) {
  const { t, st } = useI18n();
  const notify = useServerMessage();
  const [form] = Form.useForm<UserCreateInput>();
  const [formError, setFormError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  return (
    <ModalForm<UserCreateInput>
      title={t('org.addUser')}
      form={form}
      trigger={<a data-testid="add-user">{t('org.addUser')}</a>}
      modalProps={{ destroyOnHidden: true, onCancel: () => setFormError(null) }}
      onFinish={async (values) => {
        setFormError(null);
        try {
          const created = await createUser(values);
          notify.success(t(created.pending_grant ? 'org.grantPending' : 'org.userCreated'));
          onCreated();
          return true;
        } catch (cause) {
          setFormError({ error: cause, leftover: applyServerErrors(form, cause, {}, st) });
          return false;
        }
      }}
    >
      {formError ? <ErrorAlert error={formError.error} extra={formError.leftover} /> : null}
      <ProFormText name="username" label={t('org.username')} rules={[{ required: true }]} />
      <ProFormText name="display_name" label={t('org.displayName')} />
      <ProFormText name="email" label={t('org.email')} />
      <ProFormSelect name="roles" label={t('org.roles')} mode="multiple" rules={[{ required: true }]}
        options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
      <ProFormText.Password name="password" label={t('org.initialPassword')} rules={[{ required: true }]} />
      <ProFormText name="person_id" label={t('org.personId')} rules={[{ required: true }]} />
    </ModalForm>
  );
}

/** Grants of the approver or administrator role waiting for a second administrator: one's own
 * organisation's, and every organisation's for the platform's administrator. */
function PendingGrants({ reloadUsers }: { reloadUsers: () => void }) {
  const { me } = useSession();
  const { t, st } = useI18n();
  const notify = useServerMessage();
  const ref = useRef<ActionType>(null);
  const done = (message: string) => { notify.success(message); ref.current?.reload(); reloadUsers(); };
  const approve = async (row: ApprovalRequest) => {
    try {
      await approveRoleGrant(row.id);
      done(t('approvals.approved'));
    } catch (error) {
      notify.error(error);
      ref.current?.reload();
    }
  };
  return (
    <ProTable<ApprovalRequest>
      headerTitle={t('org.pendingGrants')}
      actionRef={ref}
      rowKey="id"
      search={false}
      options={false}
      style={{ marginBottom: 16 }}
      pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
      request={pagedRequest((query) => listApprovals({ ...query, action: 'user.role_grant', status: 'proposed' }), notify.error)}
      columns={[
        { title: t('approvals.summary'), dataIndex: 'summary', render: (_, row) => st(row.summary) },
        { title: t('approvals.proposedBy'), dataIndex: 'proposed_by', width: 160 },
        {
          title: t('common.actions'), valueType: 'option', width: 200, render: (_, row) => (
            row.proposed_by === me?.user.username
              ? <Typography.Text type="secondary">{t('approvals.ownProposal')}</Typography.Text>
              : (
                <Space>
                  <Button size="small" type="primary" onClick={() => void approve(row)} data-testid={`approve-grant-${row.id}`}>{t('approvals.approve')}</Button>
                  <ModalForm<{ reason: string }>
                    title={t('approvals.reject')}
                    trigger={<Button size="small" danger>{t('approvals.reject')}</Button>}
                    modalProps={{ destroyOnHidden: true }}
                    onFinish={async ({ reason }) => {
                      try {
                        await rejectRoleGrant(row.id, reason);
                        done(t('approvals.rejected'));
                        return true;
                      } catch (error) {
                        notify.error(error);
                        return false;
                      }
                    }}
                  >
                    <ProFormTextArea name="reason" label={t('org.rejectReason')} rules={[{ required: true }]} />
                  </ModalForm>
                </Space>
              )
          ),
        },
      ]}
    />
  );
}

export default function OrganisationPage() {
  const { me, access, refresh } = useSession();
  const { t, st } = useI18n();
  const notify = useServerMessage();
  const [organisation, setOrganisation] = useState<Organisation | null>(me?.organisation ?? null);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<OrganisationUpdateInput>();
  const [formError, setFormError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  const orgId = me?.organisation.id;
  const users = useRef<ActionType>(null);

  const load = useCallback(async () => {
    if (!orgId) return;
    try {
      setOrganisation(await getOrganisation(orgId));
    } catch (cause) {
      setError(cause);
    }
  }, [orgId]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!organisation) return <ErrorAlert error={error} />;
  const canEdit = access.canEditOrganisation;
  return (
    <>
      <PageHeader
        title={t('org.profile')}
        extra={canEdit ? (
          <ModalForm<OrganisationUpdateInput>
            title={t('org.edit')}
            form={form}
            trigger={<a data-testid="edit-organisation">{t('org.edit')}</a>}
            initialValues={{
              name: organisation.name,
              legal_representative: organisation.legal_representative,
              registered_address: organisation.registered_address,
              bank_account_name: organisation.bank_account.name,
              bank_name: organisation.bank_account.bank,
              bank_account_number: organisation.bank_account.number,
            }}
            modalProps={{ destroyOnHidden: true, onCancel: () => setFormError(null) }}
            onFinish={async (values) => {
              setFormError(null);
              try {
                setOrganisation(await updateOrganisation(organisation.id, values));
                await refresh();
                notify.success(t('org.saved'));
                return true;
              } catch (cause) {
                setFormError({ error: cause, leftover: applyServerErrors(form, cause, {}, st) });
                return false;
              }
            }}
          >
            {formError ? <ErrorAlert error={formError.error} extra={formError.leftover} /> : null}
            <ProFormText name="name" label={t('org.name')} rules={[{ required: true }]} />
            <ProFormText name="legal_representative" label={t('org.legalRep')} rules={[{ required: true }]} />
            <ProFormText name="registered_address" label={t('org.address')} rules={[{ required: true }]} />
            <ProFormText name="bank_account_name" label={t('org.bankAccountName')} />
            <ProFormText name="bank_name" label={t('org.bankName')} />
            <ProFormText name="bank_account_number" label={t('org.bankAccountNumber')} />
          </ModalForm>
        ) : null}
      />
      <ErrorAlert error={error} />
      <Card style={{ marginBottom: 16 }}>
        <OrganisationDescriptions organisation={organisation} />
      </Card>
      {access.canManageUsers ? <PendingGrants reloadUsers={() => users.current?.reload()} /> : null}
      <ProTable<User>
        headerTitle={t('org.users')}
        actionRef={users}
        toolBarRender={() => (access.canManageUsers ? [<AddUser key="add" onCreated={() => users.current?.reload()} />] : [])}
        rowKey="id"
        search={false}
        options={false}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        request={pagedRequest(listUsers, notify.error)}
        columns={[
          { title: t('auth.username'), dataIndex: 'username' },
          { title: t('org.displayName'), dataIndex: 'display_name' },
          { title: t('org.email'), dataIndex: 'email' },
          { title: t('org.roles'), dataIndex: 'roles', render: (_, row) => row.roles.map((role) => <Tag key={role}>{t(`role.${role}`)}</Tag>) },
          { title: t('org.active'), dataIndex: 'is_active', render: (_, row) => (row.is_active ? t('common.yes') : t('common.no')) },
          { title: t('org.lastLogin'), dataIndex: 'last_login', render: (_, row) => formatDateTime(row.last_login) },
        ]}
      />
    </>
  );
}
