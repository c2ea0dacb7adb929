import { http, type Page, type Query } from './http';
import type { Refine, Schemas } from './schema';

export type OperationStatus = 'pending' | 'submitted' | 'mined' | 'confirmed' | 'failed';

export interface ChainEvent {
  event?: string;
  name?: string;
  args?: Record<string, unknown>;
  [key: string]: unknown;
}

export type Operation = Refine<Schemas['OperationOutput'], {
  status: OperationStatus;
  events: ChainEvent[];
  error: { name: string; args: unknown; message: string } | null;
  /** True once the outcome hooks have run and the indexer has projected the intent's block:
   * only then do lists (holdings, pieces) show the result. Absent from servers before it. */
  projected?: boolean;
}>;

/** Has the operation's result reached what the lists show? A final operation is settled once
 * the server says `projected`; a server without the flag is settled when final. */
export function isSettled(operation: Pick<Operation, 'final' | 'projected'>): boolean {
  if (!operation.final) return false;
  return operation.projected === undefined ? true : operation.projected === true;
}

/** GET /api/operations (?status, contract, function, page) */
export const listOperations = (query?: Query) => http.get<Page<Operation>>('/api/operations', query);
/** GET /api/operations/<id> */
export const getOperation = (id: number, signal?: AbortSignal) => http.get<Operation>(`/api/operations/${id}`, undefined, signal);
