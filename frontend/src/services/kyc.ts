import { fetchAll, http, type Page, type Query } from './http';
import type { OrganisationKind } from './auth';
import type { Refine, Schemas } from './schema';

export type KycStatus = 'draft' | 'submitted' | 'approved' | 'rejected' | 'expired';
export type KycDocumentKind = 'business_licence' | 'legal_representative_id' | 'authorisation_letter' | 'bank_account_proof';
export const KYC_DOCUMENT_KINDS: KycDocumentKind[] = [
  'business_licence', 'legal_representative_id', 'authorisation_letter', 'bank_account_proof',
];

export type KycDocument = Refine<Schemas['KycDocumentOutput'], { kind: KycDocumentKind }>;
export type KycCase = Refine<Schemas['KycCaseOutput'], {
  organisation: Refine<Schemas['KycCaseOrganisation'], { kind: OrganisationKind }>;
  status: KycStatus;
  documents: KycDocument[];
}>;

/** GET /api/kyc/cases */
export const listKycCases = (query?: Query) => http.get<Page<KycCase>>('/api/kyc/cases', query);
/** Every KYC case I can see (fetchAll: up to its bound, or ListTruncatedError). */
export const allKycCases = (query?: Query) => fetchAll<KycCase>('/api/kyc/cases', query);
/** GET /api/kyc/cases/<id> */
export const getKycCase = (id: number) => http.get<KycCase>(`/api/kyc/cases/${id}`);
/** POST /api/kyc/cases/create */
export const createKycCase = () => http.post<KycCase>('/api/kyc/cases/create');
/** POST /api/kyc/cases/<id>/documents (multipart: kind, file) */
export const uploadKycDocument = (id: number, kind: KycDocumentKind, file: File) => {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', file);
  return http.upload<KycDocument>(`/api/kyc/cases/${id}/documents`, form);
};
/** POST /api/kyc/cases/<id>/submit */
export const submitKycCase = (id: number) => http.post<KycCase>(`/api/kyc/cases/${id}/submit`);
/** POST /api/kyc/cases/<id>/resubmit */
export const resubmitKycCase = (id: number) => http.post<KycCase>(`/api/kyc/cases/${id}/resubmit`);
/** GET /api/kyc/review-queue */
export const listKycReviewQueue = (query?: Query) => http.get<Page<KycCase>>('/api/kyc/review-queue', query);
/** POST /api/kyc/cases/<id>/approve {expires_on} */
export const approveKycCase = (id: number, expiresOn: string) =>
  http.post<KycCase>(`/api/kyc/cases/${id}/approve`, { expires_on: expiresOn });
/** POST /api/kyc/cases/<id>/reject {reason} */
export const rejectKycCase = (id: number, reason: string) => http.post<KycCase>(`/api/kyc/cases/${id}/reject`, { reason });
/** GET /api/kyc/documents/<id>/download — the bytes, for the in-page preview. */
export const downloadKycDocument = (id: number) => http.blob(`/api/kyc/documents/${id}/download`);
