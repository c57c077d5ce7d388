// The stock operations the forms submit: which fields each needs, how its
// values are checked before anything is sent, and the input it sends.

export type OperationKind = 'receive' | 'ship' | 'transfer' | 'count' | 'adjust' | 'state';

/** The states changeStockState moves units between. */
export const stockStates = [
  { value: 'AVAILABLE', label: 'Available' },
  { value: 'DAMAGED', label: 'Damaged' },
  { value: 'QUALITY_CONTROL', label: 'Quality control' },
];

export const operationTitles: Record<OperationKind, string> = {
  receive: 'Receive stock',
  ship: 'Ship stock',
  transfer: 'Transfer stock',
  count: 'Count stock',
  adjust: 'Adjust stock',
  state: 'Change stock state',
};

export interface OperationValues {
  itemId: string | null;
  locationId: string | null;
  toLocationId: string | null;
  quantity: string | number;
  reference: string;
  reason: string;
  inTransit: boolean;
  fromState: string | null;
  toState: string | null;
}

export const emptyValues: OperationValues = {
  itemId: null,
  locationId: null,
  toLocationId: null,
  quantity: '',
  reference: '',
  reason: '',
  inTransit: false,
  fromState: 'AVAILABLE',
  toState: null,
};

export type FieldErrors = Partial<Record<'itemId' | 'locationId' | 'toLocationId' | 'quantity' | 'reason' | 'fromState' | 'toState', string>>;

const maxQuantity = 1_000_000_000;

/** validateOperation checks a form's values; an empty result means it may be sent. */
export function validateOperation(kind: OperationKind, v: OperationValues): FieldErrors {
  const e: FieldErrors = {};
  if (!v.itemId) e.itemId = 'Choose an item.';
  if (!v.locationId) e.locationId = kind === 'transfer' ? 'Choose where the stock comes from.' : 'Choose a location.';
  if (kind === 'transfer') {
    if (!v.toLocationId) e.toLocationId = 'Choose where the stock goes.';
    else if (v.toLocationId === v.locationId) e.toLocationId = 'Choose a different location to transfer to.';
  }
  const raw = typeof v.quantity === 'number' ? String(v.quantity) : v.quantity.trim();
  const q = Number(raw);
  if (raw === '' || !Number.isInteger(q)) {
    e.quantity = 'Enter a whole number.';
  } else if (kind === 'adjust') {
    if (q === 0) e.quantity = 'Enter how many to add, or a negative number to remove.';
    else if (Math.abs(q) > maxQuantity) e.quantity = 'That is more than one billion.';
  } else if (kind === 'count') {
    if (q < 0) e.quantity = 'A count cannot be negative.';
    else if (q > maxQuantity) e.quantity = 'That is more than one billion.';
  } else if (q <= 0) {
    e.quantity = 'Enter a quantity of at least 1.';
  } else if (q > maxQuantity) {
    e.quantity = 'That is more than one billion.';
  }
  if (kind === 'adjust' && !v.reason.trim()) e.reason = 'Say why the stock is adjusted.';
  if (kind === 'state') {
    if (!v.fromState) e.fromState = 'Choose the state the units are in.';
    if (!v.toState) e.toState = 'Choose the state the units go to.';
    else if (v.toState === v.fromState) e.toState = 'Choose a different state.';
    if (!v.reason.trim()) e.reason = 'Say why the state changes.';
  }
  return e;
}

/** operationInput is the mutation input for valid values. */
export function operationInput(kind: OperationKind, v: OperationValues, idempotencyKey: string): Record<string, unknown> {
  const q = Number(v.quantity);
  const common = {
    itemId: v.itemId,
    idempotencyKey,
    reference: v.reference.trim() || undefined,
    reason: v.reason.trim() || undefined,
  };
  switch (kind) {
    case 'transfer':
      return { ...common, fromLocationId: v.locationId, toLocationId: v.toLocationId, quantity: q, inTransit: v.inTransit };
    case 'count':
      return { ...common, locationId: v.locationId, countedQuantity: q };
    case 'adjust':
      return { ...common, locationId: v.locationId, delta: q, reason: v.reason.trim() };
    case 'state':
      return { ...common, locationId: v.locationId, quantity: q, fromState: v.fromState, toState: v.toState, reason: v.reason.trim() };
    default:
      return { ...common, locationId: v.locationId, quantity: q };
  }
}

/** inputFingerprint identifies the values of one submission, without its key. */
export function inputFingerprint(kind: OperationKind, v: OperationValues): string {
  return JSON.stringify(operationInput(kind, v, ''));
}
