import { useRef, useState } from 'react';
import { Button, Form, Input, Modal, Segmented, Space, Typography } from 'antd';
import { ProTable, type ActionType } from '@ant-design/pro-components';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { StatusTag } from '../../components/StatusTag';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { approveApproval, listApprovals, rejectApproval, type ApprovalRequest } from '../../services/approvals';
import { formatDateTime } from '../../utils/date';
import { applyServerErrors } from '../../utils/formErrors';

/** The chain operation an executed approval started, if its result names one. */
export function operationOf(result: Record<string, unknown> | null | undefined): number | null {
  if (!result) return null;
  for (const key of ['operation_id', 'intent_id', 'chain_intent']) {
    const value = result[key];
    if (typeof value === 'number') return value;
  }
  return null;
}

export function RejectApprovalModal({ approval, onClose }: { approval: ApprovalRequest | null; onClose: (changed: boolean) => void }) {
  const { t, st } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [leftover, setLeftover] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={Boolean(approval)}
      title={t('approvals.reject')}
      okText={t('approvals.reject')}
      okButtonProps={{ danger: true, loading: busy }}
      onCancel={() => onClose(false)}
      destroyOnHidden
      onOk={async () => {
        const values = await form.validateFields();
        if (!approval) return;
        setBusy(true);
        try {
          await rejectApproval(approval.id, values.reason);
          form.resetFields();
          onClose(true);
        } catch (cause) {
          setError(cause);
          setLeftover(applyServerErrors(form, cause, {}, st));
        } finally {
          setBusy(false);
        }
      }}
    >
      <ErrorAlert error={error} extra={leftover} />
      <Typography.Paragraph>{approval ? st(approval.summary) : null}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, message: t('common.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function ApprovalsPage() {
  const { me, access } = useSession();
  const { t, st } = useI18n();
  const notify = useServerMessage();
  const chain = useChainActions();
  const ref = useRef<ActionType>(null);
  const [tab, setTab] = useState<'awaiting' | 'all'>(access.canDecideApprovals ? 'awaiting' : 'all');
  const [rejecting, setRejecting] = useState<ApprovalRequest | null>(null);

  const approve = async (row: ApprovalRequest) => {
    try {
      const done = await approveApproval(row.id);
      notify.success(t('approvals.approved'));
      const operationId = operationOf(done.result);
      if (operationId) chain.track(operationId, st(done.summary));
      ref.current?.reload();
    } catch (error) {
      notify.error(error);
      ref.current?.reload();
    }
  };

  return (
    <>
      <PageHeader title={t('approvals.title')} extra={
        <Segmented value={tab} onChange={(value) => { setTab(value as 'awaiting' | 'all'); }}
          options={[{ value: 'awaiting', label: t('approvals.awaitingMe') }, { value: 'all', label: t('common.all') }]} />
      } />
      <ProTable<ApprovalRequest>
        actionRef={ref}
        rowKey="id"
        search={false}
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        params={{ awaiting_me: tab === 'awaiting' ? true : undefined, v: chain.version }}
        request={pagedRequest(listApprovals, notify.error, ({ v: _v, ...rest }) => { void _v; return rest as Record<string, string>; })}
        expandable={{ expandedRowRender: (row) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(row.payload, null, 2)}</pre> }}
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          { title: t('approvals.summary'), dataIndex: 'summary', render: (_, row) => st(row.summary) },
          { title: t('approvals.action'), dataIndex: 'action', render: (_, row) => <Typography.Text code>{row.action}</Typography.Text> },
          { title: t('common.status'), dataIndex: 'status', width: 110, render: (_, row) => <StatusTag domain="approval" value={row.status} display={row.status_display} /> },
          { title: t('approvals.proposedBy'), dataIndex: 'proposed_by', width: 120 },
          { title: t('approvals.proposedAt'), dataIndex: 'proposed_at', width: 170, render: (_, row) => formatDateTime(row.proposed_at) },
          { title: t('approvals.decidedBy'), dataIndex: 'decided_by', width: 120, render: (_, row) => row.decided_by ?? '—' },
          {
            title: t('common.actions'), valueType: 'option', width: 180, render: (_, row) => {
              if (row.status !== 'proposed' || !access.canDecideApprovals) return row.rejection_reason ? st(row.rejection_reason) : null;
              if (row.proposed_by === me?.user.username) return <Typography.Text type="secondary">{t('approvals.ownProposal')}</Typography.Text>;
              return (
                <Space>
                  <Button size="small" type="primary" onClick={() => void approve(row)} data-testid={`approve-${row.id}`}>{t('approvals.approve')}</Button>
                  <Button size="small" danger onClick={() => setRejecting(row)}>{t('approvals.reject')}</Button>
                </Space>
              );
            },
          },
        ]}
      />
      <RejectApprovalModal approval={rejecting} onClose={(changed) => { setRejecting(null); if (changed) { notify.success(t('approvals.rejected')); ref.current?.reload(); } }} />
    </>
  );
}
