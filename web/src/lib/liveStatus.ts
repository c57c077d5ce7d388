// Whether the live connection (subscriptions) is up, for the indicator.
import { useSyncExternalStore } from 'react';

export type LiveStatus = 'idle' | 'connecting' | 'live' | 'reconnecting';

let status: LiveStatus = 'idle';
const listeners = new Set<() => void>();

export function setLiveStatus(s: LiveStatus): void {
  if (s === status) return;
  status = s;
  listeners.forEach((l) => l());
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => status,
  );
}
