// Dates and numbers in the browser's locale.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const number = new Intl.NumberFormat();

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateTime.format(d);
}

export function formatNumber(n: number | null | undefined): string {
  return n == null ? '' : number.format(n);
}

const kindNames: Record<string, string> = {
  RECEIPT: 'Receipt',
  SHIPMENT: 'Shipment',
  ADJUSTMENT: 'Adjustment',
  COUNT: 'Count',
  TRANSFER_OUT: 'Transfer out',
  TRANSFER_IN: 'Transfer in',
  RESERVATION: 'Reservation',
  RELEASE: 'Release',
  FULFILLMENT: 'Fulfilment',
  EXPIRY: 'Expiry',
  STATE_CHANGE: 'State change',
};

export function movementKindName(k: string): string {
  return kindNames[k] ?? k;
}

/** friendlyError turns a failed request into words a shop owner understands. */
export function friendlyError(err: { networkError?: Error; graphQLErrors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined): string | null {
  if (!err) return null;
  const code = err.graphQLErrors?.[0]?.extensions?.code;
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Please sign in again.';
    case 'FORBIDDEN':
      return 'Your role does not allow this. Ask an admin of your business.';
    case 'RATE_LIMITED':
      return 'Too many requests just now. Please wait a moment and try again.';
    case 'UNAVAILABLE':
      return 'The service is briefly unavailable. Please try again in a moment.';
  }
  if (err.networkError) return 'Could not reach the service. Check your connection and try again.';
  return 'Something went wrong. Please try again.';
}
