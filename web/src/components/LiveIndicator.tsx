import { Badge } from '@mantine/core';
import { useLiveStatus } from '../lib/liveStatus';

const text = {
  idle: { label: 'Not live', color: 'gray' },
  connecting: { label: 'Connecting…', color: 'yellow' },
  live: { label: 'Live', color: 'green' },
  reconnecting: { label: 'Reconnecting…', color: 'orange' },
} as const;

/** LiveIndicator tells whether live updates are arriving. */
export function LiveIndicator() {
  const status = useLiveStatus();
  const t = text[status];
  return (
    <Badge role="status" aria-live="polite" variant="dot" color={t.color} data-status={status}>
      {t.label}
    </Badge>
  );
}
