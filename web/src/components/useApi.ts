import { useCallback, useEffect, useState } from 'react';

/** Loads once (and on `reload`): the data, the error to show, and whether it is loading. */
export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true, error: null }));
    run().then(
      (data) => setState({ data, error: null, loading: false }),
      (error: unknown) => setState({ data: null, error, loading: false }),
    );
  }, [run]);
  useEffect(reload, [reload]);
  return { ...state, reload };
}
