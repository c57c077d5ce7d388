import { useState } from 'react';
import { Button, Group, NumberInput, Stack, TextInput } from '@mantine/core';
import { ErrorAlert } from './ErrorAlert';

/** ItemValues are an item form's fields as typed. */
export interface ItemValues {
  sku: string;
  name: string;
  unit: string;
  reorderPoint: string | number;
  barcode: string;
}

export const emptyItem: ItemValues = { sku: '', name: '', unit: '', reorderPoint: '', barcode: '' };

export type ItemErrors = Partial<Record<keyof ItemValues, string>>;

/** validateItem checks an item form's values; an empty result means they may be sent. */
export function validateItem(v: ItemValues, creating: boolean): ItemErrors {
  const e: ItemErrors = {};
  if (creating) {
    if (!v.sku.trim()) e.sku = 'Enter a SKU.';
    else if (v.sku.trim().length > 100) e.sku = 'A SKU has at most 100 characters.';
  }
  if (!v.name.trim()) e.name = 'Enter a name.';
  else if (v.name.trim().length > 200) e.name = 'A name has at most 200 characters.';
  if (v.unit.trim().length > 32) e.unit = 'A unit has at most 32 characters.';
  if (v.reorderPoint !== '') {
    const n = Number(v.reorderPoint);
    if (!Number.isInteger(n) || n < 0) e.reorderPoint = 'Enter a whole number of at least 0, or leave it empty.';
  }
  if (v.barcode.trim().length > 100) e.barcode = 'A barcode has at most 100 characters.';
  return e;
}

/**
 * ItemForm creates or edits an item. onSave sends valid values and returns a
 * failure's message, or null when it is saved.
 */
export function ItemForm({
  initial,
  creating,
  onSave,
}: {
  initial?: Partial<ItemValues>;
  creating: boolean;
  onSave: (v: ItemValues) => Promise<string | null>;
}) {
  const [v, setV] = useState<ItemValues>({ ...emptyItem, ...initial });
  const [errors, setErrors] = useState<ItemErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ItemValues>(k: K, value: ItemValues[K]) => {
    setV((old) => ({ ...old, [k]: value }));
    setErrors((old) => ({ ...old, [k]: undefined }));
  };

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (busy) return;
    const found = validateItem(v, creating);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      setFailure(await onSave(v));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ErrorAlert message={failure} />
        {creating && (
          <TextInput label="SKU" required value={v.sku} onChange={(e) => set('sku', e.currentTarget.value)} error={errors.sku} data-autofocus />
        )}
        <TextInput
          label="Name"
          required
          value={v.name}
          onChange={(e) => set('name', e.currentTarget.value)}
          error={errors.name}
          data-autofocus={creating ? undefined : true}
        />
        <TextInput label="Unit" placeholder="each" value={v.unit} onChange={(e) => set('unit', e.currentTarget.value)} error={errors.unit} />
        <NumberInput
          label="Reorder point"
          min={0}
          allowDecimal={false}
          allowNegative={false}
          value={v.reorderPoint}
          onChange={(x) => set('reorderPoint', x)}
          error={errors.reorderPoint}
        />
        <TextInput
          label="Barcode"
          description="What a scanner reads; empty for none."
          value={v.barcode}
          onChange={(e) => set('barcode', e.currentTarget.value)}
          error={errors.barcode}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
