/**
 * The one HTTP helper. Every call to the API goes through `request`, which
 * - sends the session cookie and, on writes, the CSRF token from the `csrftoken` cookie and an
 *   `Idempotency-Key` (new per call unless the caller passes one): when the connection drops
 *   before an answer, it asks once more with the same key, so the server answers the first
 *   request again instead of acting twice;
 * - turns the server's error shape `{message, code, extra}` (field errors in `extra.fields`)
 *   into an `ApiError` whose `message` is the server's, for the user to see;
 * - returns the parsed JSON body (or `undefined` for 204);
 * - asks for answers in the user's language (Accept-Language): the server's error messages
 *   then come in that language only.
 */

import { storedLang } from '../locales';

export type FieldErrors = Record<string, string[]>;

export interface ServerErrorBody {
  message: string;
  code: string;
  extra?: { fields?: unknown; [key: string]: unknown };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field errors flattened to dotted paths: `amounts_fen.1`, `payload.expires_on`. */
  readonly fields: FieldErrors;
  readonly extra: Record<string, unknown>;

  constructor(status: number, body: ServerErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.extra = body.extra ?? {};
    this.fields = flattenFieldErrors(body.extra?.fields);
  }

  /** Errors not tied to a field (DRF's non_field_errors and the like). */
  get generalErrors(): string[] {
    return [...(this.fields.non_field_errors ?? []), ...(this.fields.detail ?? [])];
  }
}

/** `{a: ["x"], b: {c: ["y"]}, d: [{}, {e: ["z"]}]}` → `{a: ["x"], "b.c": ["y"], "d.1.e": ["z"]}` */
export function flattenFieldErrors(fields: unknown, prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  const add = (path: string, message: string) => {
    (out[path] ??= []).push(message);
  };
  const walk = (value: unknown, path: string) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string' || typeof value === 'number') {
      add(path || 'non_field_errors', String(value));
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (typeof item === 'string' || typeof item === 'number') add(path || 'non_field_errors', String(item));
        else walk(item, path ? `${path}.${index}` : String(index));
      });
    } else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        walk(inner, path ? `${path}.${key}` : key);
      }
    }
  };
  walk(fields, prefix);
  return out;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** The answer of every chain-backed action: follow the operation until it is final. */
export interface Accepted {
  operation_id: number;
  status: string;
  operation_url: string;
  [key: string]: unknown;
}

export type Query = Record<string, string | number | boolean | null | undefined | Array<string | number>>;

export function readCookie(name: string): string | null {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(';')) {
    const item = part.trim();
    if (item.startsWith(prefix)) return decodeURIComponent(item.slice(prefix.length));
  }
  return null;
}

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/') ? path : `/api/${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((item) => params.append(key, String(item)));
    else params.append(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function ensureCsrfCookie(): Promise<string> {
  let token = readCookie('csrftoken');
  if (!token) {
    const response = await fetch('/api/auth/csrf', { credentials: 'same-origin' });
    if (response.ok) {
      const body = (await response.json()) as { csrf_token?: string };
      token = readCookie('csrftoken') ?? body.csrf_token ?? null;
    }
  }
  return token ?? '';
}

export interface RequestOptions {
  query?: Query;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
  /** The key of this user action, for a caller that sends the same action again itself. */
  idempotencyKey?: string;
}

/** A random UUID v4. crypto.randomUUID exists only in secure contexts (HTTPS, localhost):
 * a deployment reached over plain HTTP still gets a random key from getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A state-changing request is sent at most this many times when no answer comes back. */
export const WRITE_ATTEMPTS = 2;

function isErrorBody(value: unknown): value is ServerErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** Turn a non-2xx response into an ApiError, keeping the server's message. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (isErrorBody(body)) return new ApiError(response.status, body);
  if (body && typeof body === 'object' && 'detail' in body) {
    return new ApiError(response.status, { message: String((body as { detail: unknown }).detail), code: 'error' });
  }
  return new ApiError(response.status, {
    message: `服务器错误 (HTTP ${response.status}) / Server error (HTTP ${response.status})`,
    code: `http_${response.status}`,
  });
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': storedLang() };
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const write = !SAFE_METHODS.has(method);
  if (write) {
    headers['X-CSRFToken'] = await ensureCsrfCookie();
    headers['Idempotency-Key'] = options.idempotencyKey ?? newIdempotencyKey();
  }
  let response: Response | undefined;
  // A read is simply asked again by the page; a write is retried here, with the same key.
  for (let attempt = 1; response === undefined; attempt += 1) {
    try {
      response = await fetch(buildUrl(path, options.query), {
        method,
        headers,
        body,
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      if (write && attempt < WRITE_ATTEMPTS) continue;
      throw new ApiError(0, {
        message: '无法连接服务器，请检查网络 / Cannot reach the server: check the network',
        code: 'network_error',
      });
    }
  }
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, json?: unknown) => request<T>('POST', path, { json: json ?? {} }),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
  /** Bytes of a document (for in-page preview), with the same error handling. */
  async blob(path: string): Promise<Blob> {
    let response: Response;
    try {
      response = await fetch(buildUrl(path), { credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, { message: '无法连接服务器 / Cannot reach the server', code: 'network_error' });
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response.blob();
  },
};

/** The most pages `fetchAll` reads (the server pages by 50: 1,000 rows). A longer list is an
 * error the user sees, never a silently shortened one. */
export const FETCH_ALL_MAX_PAGES = 20;

/** A list longer than `fetchAll` reads: the page must filter it, or page through it. */
export class ListTruncatedError extends ApiError {
  readonly total: number;
  readonly fetched: number;

  constructor(path: string, total: number, fetched: number) {
    super(200, {
      message: `列表共 ${total} 条，超过一次可读取的 ${fetched} 条，请用筛选缩小范围 / The list has ${total} rows, more than the ${fetched} read at once: narrow it with filters`,
      code: 'list_truncated',
      extra: { path, total, fetched },
    });
    this.name = 'ListTruncatedError';
    this.total = total;
    this.fetched = fetched;
  }
}

/** Every page of a list (for small lists such as organisations to choose from), at most
 * `maxPages` pages; a longer list throws ListTruncatedError instead of stopping silently. */
export async function fetchAll<T>(path: string, query: Query = {}, maxPages = FETCH_ALL_MAX_PAGES): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page += 1) {
    const data = await http.get<Page<T>>(path, { ...query, page });
    out.push(...data.results);
    if (!data.next) return out;
    if (page >= maxPages) throw new ListTruncatedError(path, data.count, out.length);
  }
}
