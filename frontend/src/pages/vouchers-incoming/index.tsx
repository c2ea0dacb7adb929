import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Empty, Form, Input, Modal, Space, Spin } from 'antd';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VoucherDescriptions } from '../../components/VoucherDescriptions';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { useServerMessage } from '../../components/useServerMessage';
import { acceptVoucher, listVouchers, rejectVoucher, type Voucher } from '../../services/receivables';
import { applyServerErrors } from '../../utils/formErrors';

export default function IncomingVouchersPage() {
  const { access } = useSession();
  const { t, st } = useI18n();
  const chain = useChainActions();
  const notify = useServerMessage();
  const [vouchers, setVouchers] = useState<Voucher[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rejecting, setRejecting] = useState<Voucher | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const [rejectError, setRejectError] = useState<{ error: unknown; leftover: string[] } | null>(null);

  const load = useCallback(async () => {
    try {
      setVouchers((await listVouchers({ awaiting_my_acceptance: true })).results);
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, chain.version]);

  const accept = async (voucher: Voucher) => {
    try {
      await chain.run(`${t('incoming.accept')} · ${voucher.debtor.name}`, () => acceptVoucher(voucher.id));
    } catch (cause) {
      notify.error(cause);
    }
  };

  return (
    <>
      <PageHeader title={t('menu.incoming')} subtitle={t('incoming.subtitle')} />
      <ErrorAlert error={error} />
      {vouchers === null && !error ? <Spin /> : null}
      {vouchers && vouchers.length === 0 ? <Card><Empty description={t('incoming.empty')} /></Card> : null}
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {vouchers?.map((voucher) => (
          <Card key={voucher.id} title={`${voucher.debtor.name} · ${voucher.trade_contract.number}`} data-testid={`incoming-${voucher.id}`}
            extra={access.canRespondToVouchers ? (
              <Space>
                <Button type="primary" onClick={() => void accept(voucher)} data-testid={`accept-${voucher.id}`}>{t('incoming.accept')}</Button>
                <Button danger onClick={() => { setRejecting(voucher); setRejectError(null); }}>{t('incoming.reject')}</Button>
              </Space>
            ) : null}>
            <VoucherDescriptions voucher={voucher} />
          </Card>
        ))}
      </Space>
      <Modal open={Boolean(rejecting)} title={t('incoming.reject')} okButtonProps={{ danger: true }} okText={t('incoming.reject')}
        onCancel={() => setRejecting(null)} destroyOnHidden
        onOk={async () => {
          if (!rejecting) return;
          const values = await form.validateFields();
          try {
            await chain.run(`${t('incoming.reject')} · ${rejecting.debtor.name}`, () => rejectVoucher(rejecting.id, values.reason));
            setRejecting(null);
          } catch (cause) {
            setRejectError({ error: cause, leftover: applyServerErrors(form, cause, {}, st) });
          }
        }}>
        {rejectError ? <ErrorAlert error={rejectError.error} extra={rejectError.leftover} /> : null}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, message: t('common.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
