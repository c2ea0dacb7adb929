import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, FETCH_ALL_MAX_PAGES, fetchAll, flattenFieldErrors, ListTruncatedError, newIdempotencyKey, request, WRITE_ATTEMPTS } from './http';
import { localiseServerText } from '../locales';

function respond(status: number, body: unknown, contentType = 'application/json') {
  return vi.fn(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': contentType } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = 'csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

describe('the HTTP helper', () => {
  it("turns the server's error shape into an ApiError with its message and field errors", async () => {
    vi.stubGlobal('fetch', respond(400, {
      message: '输入有误 / Invalid input', code: 'validation_error',
      extra: { fields: { amounts_fen: { 1: ['金额须大于零 / The amount must be greater than zero'] }, reason: ['必填 / Required'], non_field_errors: ['总额不符 / Totals differ'] } },
    }));
    const error = await request('GET', '/api/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.message).toBe('输入有误 / Invalid input');
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe('validation_error');
    expect(apiError.fields).toEqual({
      'amounts_fen.1': ['金额须大于零 / The amount must be greater than zero'],
      reason: ['必填 / Required'],
      non_field_errors: ['总额不符 / Totals differ'],
    });
    expect(apiError.generalErrors).toEqual(['总额不符 / Totals differ']);
  });

  it('keeps the message of a 409 chain revert', async () => {
    vi.stubGlobal('fetch', respond(409, { message: '凭证已冻结 / The piece is frozen', code: 'piece_frozen', extra: { token_id: 7 } }));
    const error = (await request('POST', '/api/pieces/7/transfer', { json: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe('凭证已冻结 / The piece is frozen');
    expect(error.extra).toEqual({ token_id: 7 });
  });

  it('says what happened when the body is not the error shape', async () => {
    vi.stubGlobal('fetch', respond(502, '<html>bad gateway</html>', 'text/html'));
    const error = (await request('GET', '/api/x').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.message).toContain('HTTP 502');
  });

  it('reports a network failure as an ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('fetch failed'); }));
    const error = (await request('GET', '/api/x').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('network_error');
  });

  it('sends the CSRF token from the cookie on writes', async () => {
    document.cookie = 'csrftoken=abc123';
    const fetchMock = respond(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    await request('POST', '/api/things', { json: { a: 1 } });
    const init = (fetchMock.mock.calls[0] as unknown[])[1] as RequestInit;
    expect((init.headers as Record<string, string>)['X-CSRFToken']).toBe('abc123');
    expect(init.body).toBe('{"a":1}');
  });

  it("asks for the user's language, so the server answers in it", async () => {
    const fetchMock = respond(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    const language = () => ((fetchMock.mock.calls.at(-1) as unknown[])[1] as RequestInit).headers as Record<string, string>;
    localStorage.removeItem('scf.lang');
    await request('GET', '/api/things');
    expect(language()['Accept-Language']).toBe('zh-CN');
    localStorage.setItem('scf.lang', 'en-US');
    await request('GET', '/api/things');
    expect(language()['Accept-Language']).toBe('en-US');
    localStorage.removeItem('scf.lang');
  });

  it('builds query strings, skipping empty values and repeating lists', () => {
    expect(buildUrl('/api/x', { a: 1, b: '', c: undefined, status: ['financed', 'disbursed'] })).toBe('/api/x?a=1&status=financed&status=disbursed');
  });

  it('flattens nested field errors', () => {
    expect(flattenFieldErrors({ payload: { expires_on: ['bad'] }, list: [{}, { x: ['y'] }] })).toEqual({ 'payload.expires_on': ['bad'], 'list.1.x': ['y'] });
  });

  it("shows the half of the server's bilingual message in the user's language", () => {
    expect(localiseServerText('用户名或密码错误 / Wrong username or password', 'zh-CN')).toBe('用户名或密码错误');
    expect(localiseServerText('用户名或密码错误 / Wrong username or password', 'en-US')).toBe('Wrong username or password');
    expect(localiseServerText('Only English here', 'zh-CN')).toBe('Only English here');
    expect(localiseServerText('利息 = a / 360 / x', 'en-US')).toBe('利息 = a / 360 / x');
  });
});

describe('fetchAll', () => {
  const pages = (total: number, size = 2) => vi.fn(async (input: RequestInfo | URL) => {
    const page = Number(new URL(String(input), 'http://x').searchParams.get('page'));
    const start = (page - 1) * size;
    const results = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i);
    const next = start + size < total ? `/api/x?page=${page + 1}` : null;
    return new Response(JSON.stringify({ count: total, next, previous: null, results }), { status: 200 });
  });

  it('reads every page of a list within the bound', async () => {
    const fetchMock = pages(5);
    vi.stubGlobal('fetch', fetchMock);
    expect(await fetchAll<number>('/api/x', {}, 3)).toEqual([0, 1, 2, 3, 4]);
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  it('throws a typed error, never a shortened list, when the list is longer than the bound', async () => {
    vi.stubGlobal('fetch', pages(7));
    const error = await fetchAll<number>('/api/x', {}, 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListTruncatedError);
    expect(error).toBeInstanceOf(ApiError);
    const truncated = error as ListTruncatedError;
    expect(truncated.code).toBe('list_truncated');
    expect(truncated.total).toBe(7);
    expect(truncated.fetched).toBe(6);
    expect(truncated.message).toContain('7');
  });

  it('has a stated default bound', () => {
    expect(FETCH_ALL_MAX_PAGES).toBe(20);
  });
});

describe('the Idempotency-Key of a write', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const keyOf = (call: unknown[]) => (call[1] as RequestInit).headers as Record<string, string>;

  it('is a new UUID on every write and absent on a read', async () => {
    const fetchMock = respond(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    document.cookie = 'csrftoken=t0k';
    await request('POST', '/api/pieces/7/transfer', { json: { amount_fen: 1 } });
    await request('POST', '/api/pieces/7/transfer', { json: { amount_fen: 1 } });
    await request('GET', '/api/pieces/7');
    const [first, second, read] = fetchMock.mock.calls.map(keyOf);
    expect(first['Idempotency-Key']).toMatch(UUID);
    expect(second['Idempotency-Key']).toMatch(UUID);
    expect(second['Idempotency-Key']).not.toBe(first['Idempotency-Key']);
    expect(read['Idempotency-Key']).toBeUndefined();
  });

  it('is the same when the connection drops and the write is sent again', async () => {
    const fetchMock = vi.fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(new Response(JSON.stringify({ operation_id: 5 }), { status: 202, headers: { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' } }));
    vi.stubGlobal('fetch', fetchMock);
    document.cookie = 'csrftoken=t0k';
    const body = await request('POST', '/api/pieces/7/transfer', { json: { amount_fen: 1 } });
    expect(body).toEqual({ operation_id: 5 });
    expect(fetchMock).toHaveBeenCalledTimes(WRITE_ATTEMPTS);
    const [first, retry] = fetchMock.mock.calls.map(keyOf);
    expect(retry['Idempotency-Key']).toBe(first['Idempotency-Key']);
  });

  it("is the caller's when it passes one, and a write that never gets an answer fails after the retry", async () => {
    const fetchMock = vi.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    vi.stubGlobal('fetch', fetchMock);
    document.cookie = 'csrftoken=t0k';
    const error = (await request('POST', '/api/x', { json: {}, idempotencyKey: 'action-1' }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('network_error');
    expect(fetchMock.mock.calls.map(keyOf).map((headers) => headers['Idempotency-Key'])).toEqual(['action-1', 'action-1']);
    // a read is not retried here
    await request('GET', '/api/x').catch(() => undefined);
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  it('is still a UUID where crypto.randomUUID is missing (plain HTTP)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (array: Uint8Array) => real.getRandomValues(array) });
    expect(newIdempotencyKey()).toMatch(UUID);
  });
});
