import { http, type Page, type Query } from './http';
import type { Refine, Schemas } from './schema';

export type ApprovalStatus = 'proposed' | 'approved' | 'rejected' | 'executed' | 'failed';

export type ApprovalRequest = Refine<Schemas['ApprovalRequestOutput'], {
  status: ApprovalStatus;
  payload: Record<string, unknown>;
  result: Record<string, unknown> | null;
}>;

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
