import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Form, Input, Modal } from 'antd';
import { ProTable, type ActionType } from '@ant-design/pro-components';
import { useSession } from '../../app/session';
import { useI18n } from '../../locales';
import { PageHeader } from '../../components/PageHeader';
import { Money } from '../../components/Money';
import { PieceStatus } from '../../components/PieceStatus';
import { ErrorAlert } from '../../components/ErrorAlert';
import { pagedRequest } from '../../components/pagedRequest';
import { useServerMessage } from '../../components/useServerMessage';
import { useChainActions } from '../../components/chain/ChainActionProvider';
import { freezePiece, listPieces, unfreezePiece, type Piece, type PieceStatus as Status } from '../../services/receivables';
import { applyServerErrors } from '../../utils/formErrors';
import { formatDate } from '../../utils/date';

const STATUSES: Status[] = ['active', 'locked', 'pending', 'overdue', 'settled', 'cancelled'];

export default function FreezePage() {
  const { access } = useSession();
  const { t, st } = useI18n();
  const notify = useServerMessage();
  const chain = useChainActions();
  const ref = useRef<ActionType>(null);
  const [target, setTarget] = useState<{ piece: Piece; freeze: boolean } | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<{ error: unknown; leftover: string[] } | null>(null);

  const submit = async () => {
    if (!target) return;
    const values = await form.validateFields();
    try {
      const { piece, freeze } = target;
      await chain.run(`${freeze ? t('freeze.freeze') : t('freeze.unfreeze')} #${piece.token_id}`,
        () => (freeze ? freezePiece(piece.token_id, values.reason) : unfreezePiece(piece.token_id, values.reason)),
        () => ref.current?.reload());
      setTarget(null);
    } catch (cause) {
      setError({ error: cause, leftover: applyServerErrors(form, cause, {}, st) });
    }
  };

  return (
    <>
      <PageHeader title={t('menu.freeze')} subtitle={t('freeze.subtitle')} />
      <ProTable<Piece>
        actionRef={ref}
        rowKey="token_id"
        options={{ reload: true, density: false, setting: false }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        params={{ v: chain.version }}
        request={pagedRequest(listPieces, notify.error, ({ v: _v, frozen, ...rest }) => {
          void _v;
          return { ...(rest as Record<string, string>), frozen: frozen === 'yes' ? true : frozen === 'no' ? false : undefined };
        })}
        columns={[
          { title: t('piece.token'), dataIndex: 'token_id', search: false, render: (_, p) => <Link to={`/lineage/${p.token_id}`}>#{p.token_id}</Link> },
          { title: t('piece.root'), dataIndex: 'root', render: (_, p) => `#${p.root_id}`, fieldProps: { placeholder: '#' } },
          { title: t('piece.holder'), dataIndex: ['holder', 'name'], search: false },
          { title: t('piece.debtor'), dataIndex: ['debtor', 'name'], search: false },
          { title: t('piece.balance'), dataIndex: 'balance_fen', search: false, align: 'right', render: (_, p) => <Money fen={p.balance_fen} /> },
          { title: t('piece.maturity'), dataIndex: 'maturity_date', search: false, render: (_, p) => formatDate(p.maturity_date) },
          {
            title: t('piece.status'), dataIndex: 'status', valueType: 'select',
            valueEnum: Object.fromEntries(STATUSES.map((s) => [s, { text: t(`status.piece.${s}`) }])),
            render: (_, p) => <PieceStatus status={p.status} frozen={p.frozen} />,
          },
          { title: t('status.piece.frozen'), dataIndex: 'frozen', valueType: 'select', hideInTable: true, valueEnum: { yes: { text: t('common.yes') }, no: { text: t('common.no') } } },
          {
            title: t('common.actions'), valueType: 'option', render: (_, p) => {
              if (!access.canFreeze || ['settled', 'cancelled'].includes(p.status)) return null;
              return p.frozen
                ? <Button key="u" size="small" onClick={() => { setTarget({ piece: p, freeze: false }); setError(null); }} data-testid={`unfreeze-${p.token_id}`}>{t('freeze.unfreeze')}</Button>
                : <Button key="f" size="small" danger onClick={() => { setTarget({ piece: p, freeze: true }); setError(null); }} data-testid={`freeze-${p.token_id}`}>{t('freeze.freeze')}</Button>;
            },
          },
        ]}
      />
      <Modal open={Boolean(target)} title={target ? `${target.freeze ? t('freeze.freeze') : t('freeze.unfreeze')} #${target.piece.token_id}` : ''}
        okButtonProps={{ danger: target?.freeze, className: 'scf-freeze-confirm' }} onOk={() => void submit()} onCancel={() => setTarget(null)} destroyOnHidden>
        {error ? <ErrorAlert error={error.error} extra={error.leftover} /> : null}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('freeze.reason')} extra={t('freeze.reasonHelp')} rules={[{ required: true, message: t('common.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="freeze-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
