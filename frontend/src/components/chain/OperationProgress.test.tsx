import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../locales';
import { isSettled, type Operation } from '../../services/operations';
import { OperationProgress } from './OperationProgress';

const base: Operation = {
  id: 7, status: 'confirmed', status_display: '已确认', final: true, contract: 'VoucherLedger', function: 'transfer',
  sender: '0x1', tx_hash: `0x${'a'.repeat(64)}`, block_number: 12, gas_used: 1, events: [], error: null, attempt_count: 1, attempts: [], projected: false,
  created_at: '2026-12-01T00:00:00Z', confirmed_at: '2026-12-01T00:00:01Z',
};

afterEach(() => vi.unstubAllGlobals());

describe('isSettled', () => {
  it('waits for projected when the server sends it, else for final', () => {
    expect(isSettled({ final: false, projected: true })).toBe(false);
    expect(isSettled({ final: true, projected: false })).toBe(false);
    expect(isSettled({ final: true, projected: true })).toBe(true);
    expect(isSettled({ final: true })).toBe(true);
  });
});

describe('OperationProgress', () => {
  it('reports the operation final only once it is projected, so pages reload fresh holdings', async () => {
    const answers: Operation[] = [
      { ...base, status: 'submitted', final: false, projected: false },
      { ...base, projected: false },
      { ...base, projected: false },
      { ...base, projected: true },
    ];
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(answers.shift() ?? { ...base, projected: true }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const onFinal = vi.fn();

    const { container } = render(<I18nProvider lang="en-US"><OperationProgress operationId={7} onFinal={onFinal} /></I18nProvider>);

    await waitFor(() => expect(container.querySelector('[data-status="projecting"]')).not.toBeNull(), { timeout: 4000 });
    expect(onFinal).not.toHaveBeenCalled();
    expect(container.querySelector('.scf-op-confirmed')).toBeNull();
    await waitFor(() => expect(onFinal).toHaveBeenCalledTimes(1), { timeout: 5000 });
    expect(onFinal.mock.calls[0][0]).toMatchObject({ projected: true });
    expect(fetchMock).toHaveBeenCalledTimes(4);
    await screen.findByText('Transaction confirmed');
  }, 15_000);
});
