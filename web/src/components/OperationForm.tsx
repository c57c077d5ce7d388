import { useRef, useState } from 'react';
import { Button, Checkbox, Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useClient, type TypedDocumentNode } from 'urql';
import { graphql } from '../gql';
import { ErrorAlert } from './ErrorAlert';
import { friendlyError } from '../lib/format';
import { newKey } from '../lib/ids';
import type { Pick } from '../lib/catalogue';
import {
  emptyValues,
  stockStates,
  inputFingerprint,
  operationInput,
  validateOperation,
  type FieldErrors,
  type OperationKind,
  type OperationValues,
} from './operation';


// Every stock operation returns a StockChangePayload; the console reads the same fields of each.
graphql(`
  fragment StockChangeResult on StockChangePayload {
    movements { id }
    stockLevels { item { id } location { id } onHand available reserved incoming version updatedAt }
    userErrors { field message code }
  }
`);

/** documents are each operation's mutation. */
const documents = {
  receive: graphql(`mutation ReceiveStock($input: ReceiveStockInput!) { receiveStock(input: $input) { ...StockChangeResult } }`),
  ship: graphql(`mutation ShipStock($input: ShipStockInput!) { shipStock(input: $input) { ...StockChangeResult } }`),
  transfer: graphql(`mutation TransferStock($input: TransferStockInput!) { transferStock(input: $input) { ...StockChangeResult } }`),
  count: graphql(`mutation CountStock($input: CountStockInput!) { countStock(input: $input) { ...StockChangeResult } }`),
  adjust: graphql(`mutation AdjustStock($input: AdjustStockInput!) { adjustStock(input: $input) { ...StockChangeResult } }`),
  state: graphql(`mutation ChangeStockState($input: ChangeStockStateInput!) { changeStockState(input: $input) { ...StockChangeResult } }`),
} satisfies Record<OperationKind, unknown>;

type Result = {
  movements: { id: string }[];
  userErrors: { message: string; field?: string[] | null }[];
};

export interface OperationFormProps {
  kind: OperationKind;
  items: Pick[];
  locations: Pick[];
  /** The items' barcodes by id, so a scanned barcode picks its item. */
  barcodes?: Map<string, string>;
  initial?: Partial<OperationValues>;
  /** submit sends the input; tests pass their own. */
  submit?: (kind: OperationKind, input: Record<string, unknown>) => Promise<{ result?: Result; error?: string }>;
  onDone: (summary: string) => void;
  onCancel?: () => void;
}

/** useSubmit sends an operation's mutation and returns its payload, or the failure in words. */
function useSubmit() {
  const client = useClient();
  return async (kind: OperationKind, input: Record<string, unknown>): Promise<{ result?: Result; error?: string }> => {
    const r = await client.mutation(documents[kind] as TypedDocumentNode<Record<string, Result>, { input: unknown }>, { input }).toPromise();
    if (r.error) return { error: friendlyError(r.error) ?? 'Something went wrong. Please try again.' };
    return { result: r.data ? Object.values(r.data)[0] : undefined };
  };
}

const verbs: Record<OperationKind, string> = {
  receive: 'Received',
  ship: 'Shipped',
  transfer: 'Transferred',
  count: 'Counted',
  adjust: 'Adjusted by',
  state: 'Changed the state of',
};

/**
 * OperationForm is one stock operation's form. Each distinct submission gets
 * its own idempotency key; sending the same values again (a double click, a
 * retry after a timeout) reuses it, so the service applies it once.
 */
export function OperationForm({ kind, items, locations, barcodes, initial, submit, onDone, onCancel }: OperationFormProps) {
  const [v, setV] = useState<OperationValues>({ ...emptyValues, ...initial });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<{ fingerprint: string; key: string } | null>(null);
  const defaultSubmit = useSubmit();
  const send = submit ?? defaultSubmit;

  const set = <K extends keyof OperationValues>(k: K, value: OperationValues[K]) => {
    setV((old) => ({ ...old, [k]: value }));
    setErrors((old) => ({ ...old, [k]: undefined }));
  };

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (busy) return;
    const found = validateOperation(kind, v);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    const fp = inputFingerprint(kind, v);
    if (!key.current || key.current.fingerprint !== fp) key.current = { fingerprint: fp, key: newKey() };
    setBusy(true);
    try {
      const { result, error } = await send(kind, operationInput(kind, v, key.current.key));
      if (error) {
        setFailure(error);
        return;
      }
      if (!result) {
        setFailure('Something went wrong. Please try again.');
        return;
      }
      if (result.userErrors.length > 0) {
        setFailure(result.userErrors.map((u) => u.message).join(' '));
        return;
      }
      key.current = null;
      const item = items.find((i) => i.value === v.itemId)?.label.split(' — ')[0] ?? '';
      onDone(`${verbs[kind]} ${Number(v.quantity)} of ${item}.`);
    } finally {
      setBusy(false);
    }
  }

  const itemFilter = ({ options, search }: { options: unknown[]; search: string }) => {
    const s = search.trim().toLowerCase();
    if (!s) return options as Pick[];
    const all = options as Pick[];
    const exact = all.filter((o) => barcodes?.get(o.value)?.toLowerCase() === s);
    if (exact.length === 0) exact.push(...all.filter((o) => o.label.toLowerCase().split(' — ')[0] === s));
    const rest = all.filter((o) => !exact.includes(o) && o.label.toLowerCase().includes(s));
    return [...exact, ...rest];
  };

  /** locationSelect is the required choice of a location, for the field that holds it. */
  const locationSelect = (label: string, field: 'locationId' | 'toLocationId') => (
    <Select
      label={label}
      data={locations}
      value={v[field]}
      onChange={(x) => set(field, x)}
      searchable
      selectFirstOptionOnChange
      nothingFoundMessage="No location matches"
      error={errors[field]}
      required
    />
  );

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ErrorAlert message={failure} />
        <Select
          label="Item"
          placeholder="Type or scan a SKU"
          data={items}
          value={v.itemId}
          onChange={(x) => set('itemId', x)}
          searchable
          selectFirstOptionOnChange
          filter={itemFilter as never}
          nothingFoundMessage="No item matches"
          error={errors.itemId}
          required
          data-autofocus
        />
        {locationSelect(kind === 'transfer' ? 'From' : 'Location', 'locationId')}
        {kind === 'transfer' && locationSelect('To', 'toLocationId')}
        <NumberInput
          label="Quantity"
          description={
            kind === 'adjust'
              ? 'Added to the available stock; a negative number removes.'
              : kind === 'count'
                ? 'The good stock you counted.'
                : undefined
          }
          value={v.quantity}
          onChange={(x) => set('quantity', x)}
          allowNegative={kind === 'adjust'}
          allowDecimal={false}
          min={kind === 'adjust' ? undefined : kind === 'count' ? 0 : 1}
          error={errors.quantity}
          required
        />
        {kind === 'state' && (
          <Group grow align="flex-start">
            <Select label="From state" data={stockStates} value={v.fromState} onChange={(x) => set('fromState', x)} error={errors.fromState} required />
            <Select label="To state" data={stockStates} value={v.toState} onChange={(x) => set('toState', x)} error={errors.toState} required />
          </Group>
        )}
        {kind === 'transfer' && (
          <Checkbox
            label="In transit: receive it at the destination later"
            checked={v.inTransit}
            onChange={(e) => set('inTransit', e.currentTarget.checked)}
          />
        )}
        <TextInput
          label="Reference"
          description="Your document, e.g. an order number."
          value={v.reference}
          onChange={(e) => set('reference', e.currentTarget.value)}
          maxLength={200}
        />
        <TextInput
          label="Reason"
          value={v.reason}
          onChange={(e) => set('reason', e.currentTarget.value)}
          error={errors.reason}
          required={kind === 'adjust' || kind === 'state'}
          maxLength={500}
        />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel} type="button">
              Cancel
            </Button>
          )}
          <Button type="submit" loading={busy}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
