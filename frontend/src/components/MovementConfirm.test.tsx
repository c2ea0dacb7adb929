import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, type Lang } from '../locales';
import { useMovementConfirm, type MovementSummary } from './MovementConfirm';

// What the server answers (scf/money.py writes the capitals; the page never does).
const CAPITALS: Record<string, string> = {
  '15000000': '壹拾伍万元整',
  '75000000': '柒拾伍万元整',
};

function serveCapitals() {
  const asked: string[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://scf.test');
    asked.push(`${url.pathname}?${url.searchParams.toString()}`);
    const amounts = url.searchParams.getAll('fen').map((fen) => ({ fen: Number(fen), yuan: '', capitals: CAPITALS[fen] }));
    return new Response(JSON.stringify({ amounts }), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return asked;
}

const transfer: MovementSummary = {
  title: '确认转让',
  okText: '确认转让',
  receiverLabel: '受让方',
  receivers: [{ name: '无锡精工机械有限公司', credit_code: '91320200MA1XYZ0001' }],
  amounts: [
    { label: '转让金额', fen: 15_000_000n },
    { label: '转让后本机构剩余', fen: 75_000_000 },
  ],
  details: [{ label: '凭证', value: '#7' }],
};

function Harness({ summary, onAnswer }: { summary: MovementSummary; onAnswer: (ok: boolean) => void }) {
  const { confirm, modal } = useMovementConfirm();
  return (
    <>
      <button type="button" onClick={() => void confirm(summary).then(onAnswer)}>go</button>
      {modal}
    </>
  );
}

function open(lang: Lang = 'zh-CN') {
  const onAnswer = vi.fn();
  render(<I18nProvider lang={lang}><Harness summary={transfer} onAnswer={onAnswer} /></I18nProvider>);
  act(() => {
    fireEvent.click(screen.getByText('go'));
  });
  return onAnswer;
}

const okButton = () => screen.getByTestId('confirm-ok') as HTMLButtonElement;

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the confirmation before a movement', () => {
  it('names the receiver, shows each amount in figures and in the server\'s capitals, and the remainder', async () => {
    const asked = serveCapitals();
    open();

    const dialog = await screen.findByTestId('movement-confirm');
    expect(dialog.textContent).toContain('无锡精工机械有限公司');
    expect(dialog.textContent).toContain('91320200MA1XYZ0001');
    expect(dialog.textContent).toContain('¥150,000.00');
    expect(dialog.textContent).toContain('¥750,000.00');
    expect(dialog.textContent).toContain('转让后本机构剩余');
    await waitFor(() => expect(dialog.textContent).toContain('人民币壹拾伍万元整'));
    expect(dialog.textContent).toContain('人民币柒拾伍万元整');
    expect(asked).toEqual(['/api/money/capitals?fen=15000000&fen=75000000']);
  });

  it('goes on only when the user confirms, once the capitals are there', async () => {
    serveCapitals();
    const onAnswer = open();

    await screen.findByTestId('movement-confirm');
    await waitFor(() => expect(okButton().disabled).toBe(false));
    act(() => {
      fireEvent.click(okButton());
    });
    await waitFor(() => expect(onAnswer).toHaveBeenCalledWith(true));
  });

  it('cancelling moves nothing', async () => {
    serveCapitals();
    const onAnswer = open();

    await screen.findByTestId('movement-confirm');
    act(() => {
      fireEvent.click(screen.getByTestId('confirm-cancel'));
    });
    await waitFor(() => expect(onAnswer).toHaveBeenCalledWith(false));
  });

  it('waits for the capitals before it can be confirmed', async () => {
    let answer: (value: Response) => void = () => undefined;
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((resolve) => { answer = resolve; })));
    const onAnswer = open();

    await screen.findByTestId('movement-confirm');
    expect(okButton().disabled).toBe(true);
    fireEvent.click(okButton());
    expect(onAnswer).not.toHaveBeenCalled();
    await act(async () => {
      answer(new Response(JSON.stringify({ amounts: [{ fen: 15_000_000, yuan: '', capitals: '壹拾伍万元整' }, { fen: 75_000_000, yuan: '', capitals: '柒拾伍万元整' }] }),
        { status: 200, headers: { 'Content-Type': 'application/json' } }));
    });
    await waitFor(() => expect(okButton().disabled).toBe(false));
  });

  it('speaks English too, the capitals still written as on the bill', async () => {
    serveCapitals();
    open('en-US');

    const dialog = await screen.findByTestId('movement-confirm');
    await waitFor(() => expect(dialog.textContent).toContain('RMB in words: 壹拾伍万元整'));
    expect(dialog.textContent).toContain('Credit code: 91320200MA1XYZ0001');
    expect(dialog.textContent).toContain('Once on chain this cannot be undone');
  });
});
