import { errorFromResponse } from './http';

export interface HealthCheck {
  ok: boolean;
  error?: string;
  /** Up, but behind (operations stuck past the resume interval, indexer lagging). */
  degraded?: boolean;
  warning?: string;
  [key: string]: unknown;
}
/** `down` and `checks` only for the platform operator's users; others get `status` alone. */
export interface Health {
  status: 'ok' | 'degraded' | 'down';
  down?: string[];
  degraded?: string[];
  checks?: Record<string, HealthCheck>;
}

/** GET /api/health — 200 when everything is up (status ok or degraded), 503 with the same body naming the part down. */
export async function getHealth(): Promise<Health> {
  const response = await fetch('/api/health', { credentials: 'same-origin' });
  if (response.status === 200 || response.status === 503) return (await response.json()) as Health;
  throw await errorFromResponse(response);
}
