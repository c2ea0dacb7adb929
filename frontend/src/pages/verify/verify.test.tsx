import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, type Lang } from '../../locales';
import type { Verification } from '../../services/verification';
import VerifyPage from '.';
import { App } from '../../app/App';

const REFERENCE = '3f2b8c1e-0000-4000-8000-000000000001';
const SHA = 'ab'.repeat(32);
const document: NonNullable<Verification['document']> = {
  reference: REFERENCE, number: 'SCF-VC-20261203-3F2B8C1E', kind: 'certificate',
  kind_label: '电子债权凭证 / voucher certificate', title: '电子债权凭证', generated_at: '2026-12-03 16:00:00',
  parties: [
    { role_zh: '债务人（核心企业）', role_en: 'Debtor (core enterprise)', name: '华东制造集团', credit_code: '91310000MA1FL00001', address: '0x1' },
    { role_zh: '持有人', role_en: 'Holder', name: '苏州精密零件', credit_code: '91320500MA1FL00002', address: '0x2' },
  ],
  sha256: SHA, verification_code: 'cd'.repeat(32),
};
const registered: Verification = {
  genuine: true, code: 'genuine', message: '已登记 / GENUINE', sha256: SHA, document,
  anchor: { tx_hash: `0x${'ef'.repeat(32)}`, block_number: 42, anchored_at: '2026-12-03T08:00:01Z' },
};
const forged: Verification = {
  genuine: false, code: 'unknown', message: '验真失败：已被改动 / NOT GENUINE: altered', sha256: '00'.repeat(32),
  document: null, anchor: null,
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function serve(fileAnswer: Verification) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url.startsWith('/api/documents/public/')) return new Response(JSON.stringify(registered), { status: 200 });
    if (url === '/api/documents/verify' && init?.method === 'POST') return new Response(JSON.stringify(fileAnswer), { status: 200 });
    if (url === '/api/auth/csrf') return new Response(JSON.stringify({ csrf_token: 't' }), { status: 200 });
    return new Response(JSON.stringify({ message: 'x', code: 'not_found', extra: {} }), { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function renderPage(lang: Lang) {
  return render(
    <I18nProvider lang={lang}>
      <MemoryRouter initialEntries={[`/verify?doc=${REFERENCE}`]}>
        <VerifyPage />
      </MemoryRouter>
    </I18nProvider>,
  );
}

function drop(container: HTMLElement) {
  const input = container.querySelector('input[type="file"]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File(['%PDF-1.4'], 'doc.pdf', { type: 'application/pdf' })] } });
}

describe('VerifyPage', () => {
  it('shows what the document prints and says 真实有效 for a genuine file', async () => {
    const fetchMock = serve(registered);
    const { container } = renderPage('zh-CN');
    expect(await screen.findByText(document.number)).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith(`/api/documents/public/${REFERENCE}`, expect.anything());
    expect(screen.getByText('电子债权凭证')).toBeTruthy();
    expect(screen.getByText('债务人（核心企业）')).toBeTruthy();
    expect(screen.getByText('华东制造集团')).toBeTruthy();
    expect(screen.getByText(SHA)).toBeTruthy();
    expect(screen.getByText('#42')).toBeTruthy();
    expect(screen.getByText('已登记，链上存证一致')).toBeTruthy();

    drop(container);
    expect(await screen.findByText('真实有效')).toBeTruthy();
    expect(container.querySelector('[data-testid="verify-result"][data-genuine="true"]')).not.toBeNull();
    const [, init] = fetchMock.mock.calls.find(([url]) => url === '/api/documents/verify')!;
    expect((init as RequestInit).body).toBeInstanceOf(FormData);
  });

  it('does not call a genuine file of another document genuine for this one', async () => {
    const other = { ...document, reference: '3f2b8c1e-0000-4000-8000-000000000002', number: 'SCF-VC-20261203-OTHER000' };
    serve({ ...registered, document: other });
    const { container } = renderPage('zh-CN');
    expect(await screen.findByText(document.number)).toBeTruthy();
    drop(container);
    expect(await screen.findByText('无法验证')).toBeTruthy();
    expect(screen.getByText(/SCF-VC-20261203-OTHER000/)).toBeTruthy();
  });

  it('says not genuine, in English, for a changed file', async () => {
    serve(forged);
    const { container } = renderPage('en-US');
    expect(await screen.findByText('Debtor (core enterprise)')).toBeTruthy();
    expect(screen.getByText('voucher certificate')).toBeTruthy();
    drop(container);
    expect(await screen.findByText('Not genuine')).toBeTruthy();
    expect(screen.getByText('NOT GENUINE: altered')).toBeTruthy();
    await waitFor(() => expect(container.querySelector('[data-testid="verify-result"][data-genuine="false"]')).not.toBeNull());
  });

  it('opens from the app without a session: no sign-in redirect, no question who is signed in', async () => {
    const fetchMock = serve(registered);
    window.history.pushState({}, '', `/verify?doc=${REFERENCE}`);
    render(<App />);
    expect(await screen.findByText(document.number, undefined, { timeout: 15_000 })).toBeTruthy();
    expect(window.location.pathname).toBe('/verify');
    expect(fetchMock.mock.calls.map(([url]) => url)).not.toContain('/api/auth/me');
  }, 20_000);
});
