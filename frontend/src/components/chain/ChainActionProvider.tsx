import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Button, Modal } from 'antd';
import type { Operation } from '../../services/operations';
import { useI18n } from '../../locales';
import { OperationProgress } from './OperationProgress';

interface Tracked {
  operationId: number;
  title: string;
  onFinal?: (operation: Operation) => void;
}

interface ChainActions {
  /** Show the progress of an operation already started (e.g. the intent of a KYC approval). */
  track: (operationId: number, title: string, onFinal?: (operation: Operation) => void) => void;
  /** Run a chain-backed action (202 {operation_id}) and show its progress to the end. Errors
   * of the request itself are thrown, for the form to place next to its fields. */
  run: <T extends { operation_id: number }>(title: string, action: () => Promise<T>, onFinal?: (operation: Operation) => void) => Promise<T>;
  /** Bumped whenever an operation is projected (final, hooks run, indexed): lists may reload on it. */
  version: number;
}

const ChainActionContext = createContext<ChainActions | null>(null);

export function ChainActionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [tracked, setTracked] = useState<Tracked | null>(null);
  const [finished, setFinished] = useState(false);
  const [version, setVersion] = useState(0);

  const track = useCallback((operationId: number, title: string, onFinal?: (operation: Operation) => void) => {
    setFinished(false);
    setTracked({ operationId, title, onFinal });
  }, []);

  const run = useCallback(
    async <T extends { operation_id: number }>(title: string, action: () => Promise<T>, onFinal?: (operation: Operation) => void) => {
      const accepted = await action();
      track(accepted.operation_id, title, onFinal);
      return accepted;
    },
    [track],
  );

  const handleFinal = useCallback(
    (operation: Operation) => {
      setFinished(true);
      setVersion((v) => v + 1);
      tracked?.onFinal?.(operation);
    },
    [tracked],
  );

  const value = useMemo(() => ({ track, run, version }), [track, run, version]);
  return (
    <ChainActionContext.Provider value={value}>
      {children}
      <Modal
        open={Boolean(tracked)}
        title={tracked ? `${tracked.title} · ${t('ops.progress')}` : ''}
        onCancel={() => setTracked(null)}
        width={640}
        destroyOnHidden
        className="scf-operation-modal"
        footer={<Button type={finished ? 'primary' : 'default'} onClick={() => setTracked(null)}>{t('common.close')}</Button>}
      >
        {tracked ? <OperationProgress key={tracked.operationId} operationId={tracked.operationId} onFinal={handleFinal} /> : null}
      </Modal>
    </ChainActionContext.Provider>
  );
}

export function useChainActions(): ChainActions {
  const value = useContext(ChainActionContext);
  if (!value) throw new Error('useChainActions outside ChainActionProvider');
  return value;
}
