import { useState } from 'react';
import { Button, DatePicker, Form, Input, Modal, Select, Upload, type UploadFile } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../../locales';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { MemberPicker } from '../../../components/MemberPicker';
import { MoneyInput, moneyRules } from '../../../components/MoneyInput';
import { createInvoice, createTradeContract, type TradeContract } from '../../../services/receivables';
import { applyServerErrors } from '../../../utils/formErrors';
import { parseYuanToFen } from '../../../utils/money';

interface ContractValues {
  supplier: string;
  number: string;
  title: string;
  amount: string;
  signed_on: Dayjs;
  file?: UploadFile[];
}
interface InvoiceValues {
  trade_contract: number;
  number: string;
  code?: string;
  amount: string;
  issued_on: Dayjs;
  file?: UploadFile[];
}

const fileField = (label: string) => (
  <Form.Item name="file" label={label} valuePropName="fileList" getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)}>
    <Upload beforeUpload={() => false} maxCount={1} accept=".pdf,.png,.jpg,.jpeg"><Button icon={<UploadOutlined />}>PDF / JPG / PNG</Button></Upload>
  </Form.Item>
);

/** Record a trade contract (the core enterprise's operator), with its signed scan. */
export function TradeContractModal({ onCreated }: { onCreated: (contract: TradeContract) => void }) {
  const { t, st } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<ContractValues>();
  const [error, setError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  return (
    <>
      <Button icon={<PlusOutlined />} onClick={() => { setOpen(true); setError(null); }} data-testid="new-contract">{t('trade.newContract')}</Button>
      <Modal open={open} title={t('trade.newContract')} onCancel={() => setOpen(false)} destroyOnHidden width={560}
        onOk={async () => {
          const values = await form.validateFields();
          const data = new FormData();
          data.append('supplier_credit_code', values.supplier);
          data.append('number', values.number);
          data.append('title', values.title);
          data.append('amount_fen', String(parseYuanToFen(values.amount)));
          data.append('signed_on', values.signed_on.format('YYYY-MM-DD'));
          const file = values.file?.[0]?.originFileObj;
          if (file) data.append('file', file);
          try {
            onCreated(await createTradeContract(data));
            setOpen(false);
          } catch (cause) {
            setError({ error: cause, leftover: applyServerErrors(form, cause, { amount_fen: 'amount' }, st) });
          }
        }}>
        {error ? <ErrorAlert error={error.error} extra={error.leftover} /> : null}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="supplier" label={t('trade.supplier')} extra={t('trade.supplierHelp')} rules={[{ required: true, message: t('trade.supplierRequired') }]}>
            <MemberPicker kinds={['supplier']} data-testid="contract-supplier" />
          </Form.Item>
          <Form.Item name="number" label={t('trade.contractNumber')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="title" label={t('trade.title')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="amount" label={t('common.amount')} rules={moneyRules(t)}><MoneyInput /></Form.Item>
          <Form.Item name="signed_on" label={t('trade.signedOn')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
          {fileField(t('trade.contractFile'))}
        </Form>
      </Modal>
    </>
  );
}

/** Record a VAT invoice of a trade. */
export function InvoiceModal({ contracts, onCreated }: { contracts: TradeContract[]; onCreated: () => void }) {
  const { t, st } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<InvoiceValues>();
  const [error, setError] = useState<{ error: unknown; leftover: string[] } | null>(null);
  return (
    <>
      <Button icon={<PlusOutlined />} onClick={() => { setOpen(true); setError(null); }}>{t('trade.newInvoice')}</Button>
      <Modal open={open} title={t('trade.newInvoice')} onCancel={() => setOpen(false)} destroyOnHidden width={560}
        onOk={async () => {
          const values = await form.validateFields();
          const data = new FormData();
          data.append('trade_contract', String(values.trade_contract));
          data.append('number', values.number);
          data.append('code', values.code ?? '');
          data.append('amount_fen', String(parseYuanToFen(values.amount)));
          data.append('issued_on', values.issued_on.format('YYYY-MM-DD'));
          const file = values.file?.[0]?.originFileObj;
          if (file) data.append('file', file);
          try {
            await createInvoice(data);
            onCreated();
            setOpen(false);
          } catch (cause) {
            setError({ error: cause, leftover: applyServerErrors(form, cause, { amount_fen: 'amount' }, st) });
          }
        }}>
        {error ? <ErrorAlert error={error.error} extra={error.leftover} /> : null}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="trade_contract" label={t('voucher.contract')} rules={[{ required: true }]}>
            <Select options={contracts.map((c) => ({ value: c.id, label: `${c.number} · ${c.supplier.name}` }))} />
          </Form.Item>
          <Form.Item name="number" label={t('trade.invoiceNumber')} extra={t('trade.invoiceNumberHelp')} rules={[{ required: true }]}><Input maxLength={20} /></Form.Item>
          <Form.Item name="code" label={t('trade.invoiceCode')}><Input maxLength={12} /></Form.Item>
          <Form.Item name="amount" label={t('common.amount')} rules={moneyRules(t)}><MoneyInput /></Form.Item>
          <Form.Item name="issued_on" label={t('trade.issuedOn')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
          {fileField(t('trade.invoiceFile'))}
        </Form>
      </Modal>
    </>
  );
}
