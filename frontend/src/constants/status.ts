/** Status labels and colours, mapped once. Labels are catalogue keys; colours are antd Tag colours. */
import type { MessageKey } from '../locales';

export interface StatusStyle {
  label: MessageKey;
  color: string;
}

type StatusMap = Record<string, StatusStyle>;

export const STATUS = {
  organisation: {
    active: { label: 'status.org.active', color: 'green' },
    suspended: { label: 'status.org.suspended', color: 'red' },
  },
  kyc: {
    draft: { label: 'status.kyc.draft', color: 'default' },
    submitted: { label: 'status.kyc.submitted', color: 'processing' },
    approved: { label: 'status.kyc.approved', color: 'success' },
    rejected: { label: 'status.kyc.rejected', color: 'error' },
    expired: { label: 'status.kyc.expired', color: 'warning' },
  },
  operation: {
    pending: { label: 'status.op.pending', color: 'default' },
    submitted: { label: 'status.op.submitted', color: 'processing' },
    mined: { label: 'status.op.mined', color: 'processing' },
    confirmed: { label: 'status.op.confirmed', color: 'success' },
    failed: { label: 'status.op.failed', color: 'error' },
  },
  approval: {
    proposed: { label: 'status.approval.proposed', color: 'processing' },
    approved: { label: 'status.approval.approved', color: 'cyan' },
    rejected: { label: 'status.approval.rejected', color: 'error' },
    executed: { label: 'status.approval.executed', color: 'success' },
    failed: { label: 'status.approval.failed', color: 'error' },
  },
} satisfies Record<string, StatusMap>;


export const DOMAIN_STATUS = {
  voucher: {
    proposed: { label: 'status.voucher.proposed', color: 'gold' },
    declined: { label: 'status.voucher.declined', color: 'default' },
    issuing: { label: 'status.voucher.issuing', color: 'processing' },
    failed: { label: 'status.voucher.failed', color: 'error' },
    pending: { label: 'status.voucher.pending', color: 'orange' },
    accepting: { label: 'status.voucher.accepting', color: 'processing' },
    accepted: { label: 'status.voucher.accepted', color: 'success' },
    rejecting: { label: 'status.voucher.rejecting', color: 'processing' },
    rejected: { label: 'status.voucher.rejected', color: 'error' },
  },
  piece: {
    pending: { label: 'status.piece.pending', color: 'orange' },
    active: { label: 'status.piece.active', color: 'success' },
    locked: { label: 'status.piece.locked', color: 'purple' },
    settled: { label: 'status.piece.settled', color: 'default' },
    cancelled: { label: 'status.piece.cancelled', color: 'default' },
    overdue: { label: 'status.piece.overdue', color: 'error' },
    frozen: { label: 'status.piece.frozen', color: 'volcano' },
  },
  application: {
    locking: { label: 'status.app.locking', color: 'processing' },
    submitted: { label: 'status.app.submitted', color: 'gold' },
    accepting: { label: 'status.app.accepting', color: 'processing' },
    approving: { label: 'status.app.approving', color: 'processing' },
    declining: { label: 'status.app.declining', color: 'processing' },
    withdrawing: { label: 'status.app.withdrawing', color: 'processing' },
    financed: { label: 'status.app.financed', color: 'success' },
    disbursed: { label: 'status.app.disbursed', color: 'green' },
    declined: { label: 'status.app.declined', color: 'error' },
    withdrawn: { label: 'status.app.withdrawn', color: 'default' },
    failed: { label: 'status.app.failed', color: 'error' },
  },
  quote: {
    proposed: { label: 'status.quote.proposed', color: 'gold' },
    offered: { label: 'status.quote.offered', color: 'blue' },
    accepted: { label: 'status.quote.accepted', color: 'processing' },
    financed: { label: 'status.quote.financed', color: 'success' },
    rejected: { label: 'status.quote.rejected', color: 'error' },
    lapsed: { label: 'status.quote.lapsed', color: 'default' },
    failed: { label: 'status.quote.failed', color: 'error' },
  },
  creditLine: {
    active: { label: 'status.line.active', color: 'success' },
    frozen: { label: 'status.line.frozen', color: 'volcano' },
    expired: { label: 'status.line.expired', color: 'default' },
  },
  lineChange: {
    proposed: { label: 'status.change.proposed', color: 'gold' },
    rejected: { label: 'status.change.rejected', color: 'error' },
    submitted: { label: 'status.change.submitted', color: 'processing' },
    applied: { label: 'status.change.applied', color: 'success' },
    failed: { label: 'status.change.failed', color: 'error' },
  },
  clearing: {
    awaiting_funding: { label: 'status.clearing.awaiting_funding', color: 'gold' },
    settling: { label: 'status.clearing.settling', color: 'processing' },
    partially_settled: { label: 'status.clearing.partially_settled', color: 'orange' },
    settled: { label: 'status.clearing.settled', color: 'success' },
  },
  pieceOp: {
    submitted: { label: 'status.op.submitted', color: 'processing' },
    confirmed: { label: 'status.op.confirmed', color: 'success' },
    failed: { label: 'status.op.failed', color: 'error' },
  },
} satisfies Record<string, StatusMap>;

const ALL_STATUS = { ...STATUS, ...DOMAIN_STATUS };
export type StatusDomain = keyof typeof ALL_STATUS;

export function statusStyle(domain: StatusDomain, value: string | null | undefined): StatusStyle | null {
  if (!value) return null;
  return (ALL_STATUS[domain] as StatusMap)[value] ?? null;
}
