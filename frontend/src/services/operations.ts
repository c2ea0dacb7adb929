import { http, type Page, type Query } from './http';

export type OperationStatus = 'pending' | 'submitted' | 'confirmed' | 'failed';

export interface ChainEvent {
  event?: string;
  name?: string;
  args?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One step the operation took (simulate, sign, submit, receipt) and how it went. */
export interface OperationAttempt {
  step: 'simulate' | 'sign' | 'submit' | 'receipt';
  outcome: 'ok' | 'failed' | 'unavailable';
  error: string;
  response: string;
  created_at: string;
}

export interface Operation {
  id: number;
  status: OperationStatus;
  status_display: string;
  final: boolean;
  /** final, outcome hooks run, and the indexer reached its block: the pages may reload now */
  projected: boolean;
  contract: string;
  function: string;
  sender: string;
  tx_hash: string;
  block_number: number | null;
  gas_used: number | null;
  events: ChainEvent[];
  error: { name: string; args: unknown; message: string } | null;
  attempt_count: number;
  attempts: OperationAttempt[];
  created_at: string;
  confirmed_at: string | null;
}

/** GET /api/operations (?status, contract, function, page) */
export const listOperations = (query?: Query) => http.get<Page<Operation>>('/api/operations', query);
/** GET /api/operations/<id> */
export const getOperation = (id: number, signal?: AbortSignal) => http.get<Operation>(`/api/operations/${id}`, undefined, signal);
