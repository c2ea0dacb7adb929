import { http } from './http';
import type { Schemas } from './schema';

/** The public verification of a document (no session): what its QR code's reference names, or
 * the answer for a file someone drops. */
export type Verification = Schemas['VerificationOutput'];
export type PublicDocument = Schemas['PublicDocumentOutput'];

/** GET /api/documents/public/<reference> */
export const getPublicDocument = (reference: string) =>
  http.get<Verification>(`/api/documents/public/${encodeURIComponent(reference)}`);

/** POST /api/documents/verify (multipart `file`) */
export const verifyFile = (file: Blob, name = 'document.pdf') => {
  const form = new FormData();
  form.append('file', file, name);
  return http.upload<Verification>('/api/documents/verify', form);
};
