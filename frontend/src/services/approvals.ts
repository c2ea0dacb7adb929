import { http, type Page, type Query } from './http';

export type ApprovalStatus = 'proposed' | 'approved' | 'rejected' | 'executed' | 'failed';

export interface ApprovalRequest {
  id: number;
  organisation: number;
  action: string;
  payload: Record<string, unknown>;
  summary: string;
  status: ApprovalStatus;
  status_display: string;
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  rejection_reason: string;
  executed_at: string | null;
  result: Record<string, unknown> | null;
}

/** GET /api/approvals (?status, action, awaiting_me, page) */
export const listApprovals = (query?: Query) => http.get<Page<ApprovalRequest>>('/api/approvals', query);
/** GET /api/approvals/<id> */
export const getApproval = (id: number) => http.get<ApprovalRequest>(`/api/approvals/${id}`);
/** POST /api/approvals/propose */
export const proposeApproval = (action: string, payload: Record<string, unknown>, summary: string) =>
  http.post<ApprovalRequest>('/api/approvals/propose', { action, payload, summary });
/** POST /api/approvals/<id>/approve */
export const approveApproval = (id: number) => http.post<ApprovalRequest>(`/api/approvals/${id}/approve`);
/** POST /api/approvals/<id>/reject {reason} */
export const rejectApproval = (id: number, reason: string) => http.post<ApprovalRequest>(`/api/approvals/${id}/reject`, { reason });
