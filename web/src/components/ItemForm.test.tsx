import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { ItemForm, validateItem, emptyItem } from './ItemForm';
import { userErrorMessage } from '../lib/userErrors';

function setup(onSave: (v: unknown) => Promise<string | null>, creating = false) {
  render(
    <MantineProvider>
      <ItemForm creating={creating} initial={{ name: 'Green tea', unit: 'each', reorderPoint: 5, barcode: '' }} onSave={onSave} />
    </MantineProvider>,
  );
  return userEvent.setup();
}

describe('validateItem', () => {
  it('needs a SKU only when creating, and a name always', () => {
    expect(validateItem(emptyItem, true)).toMatchObject({ sku: 'Enter a SKU.', name: 'Enter a name.' });
    expect(validateItem(emptyItem, false).sku).toBeUndefined();
  });
  it('refuses a negative or fractional reorder point and a long barcode', () => {
    const e = validateItem({ ...emptyItem, name: 'x', reorderPoint: -1, barcode: '9'.repeat(101) }, false);
    expect(e.reorderPoint).toMatch(/whole number/);
    expect(e.barcode).toMatch(/100 characters/);
    expect(validateItem({ ...emptyItem, name: 'x', reorderPoint: 2.5 }, false).reorderPoint).toBeDefined();
    expect(validateItem({ ...emptyItem, name: 'x', reorderPoint: 0 }, false)).toEqual({});
  });
});

describe('ItemForm', () => {
  it('shows what is wrong and sends nothing', async () => {
    const onSave = vi.fn();
    const user = setup(onSave);
    await user.clear(screen.getByRole('textbox', { name: 'Name' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Enter a name.')).toBeInTheDocument();
    expect(onSave).not.toHaveBeenCalled();
  });

  it('sends the edited values and shows a duplicate barcode plainly', async () => {
    const onSave = vi.fn().mockResolvedValue(userErrorMessage([{ code: 'DUPLICATE', field: ['input', 'barcode'], message: 'duplicate' }]));
    const user = setup(onSave);
    await user.type(screen.getByRole('textbox', { name: 'Barcode' }), '4006381333931');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ name: 'Green tea', barcode: '4006381333931', reorderPoint: 5 })));
    expect(await screen.findByRole('alert')).toHaveTextContent('Another item already has this barcode.');
  });
});

describe('userErrorMessage', () => {
  it('keeps other messages as the service wrote them', () => {
    expect(userErrorMessage([])).toBeNull();
    expect(userErrorMessage([{ code: 'INVALID_STATE', message: 'location SHOP still holds stock' }])).toBe('location SHOP still holds stock');
  });
});
