import { useEffect, useReducer } from 'preact/hooks';

/** Re-renders the component whenever the store says it changed. */
export function useStore(store: { subscribe(listener: () => void): () => void }): void {
  const [, changed] = useReducer((n: number) => n + 1, 0);
  useEffect(() => store.subscribe(() => changed(undefined)), [store]);
}
