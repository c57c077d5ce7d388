import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { Client, Provider } from 'urql';
import { OperationForm } from './OperationForm';

const items = [{ value: 'i1', label: 'TEA-1 — Green tea' }];
const locations = [
  { value: 'l1', label: 'SHOP — The shop' },
  { value: 'l2', label: 'WH — Warehouse' },
];

function setup(submit: Parameters<typeof OperationForm>[0]['submit'], kind: 'ship' | 'adjust' | 'state' = 'ship') {
  const onDone = vi.fn();
  render(
    <Provider value={new Client({ url: '/graphql', exchanges: [] })}>
    <MantineProvider>
      <OperationForm
        kind={kind}
        items={items}
        locations={locations}
        barcodes={new Map([['i1', '4006381333931']])}
        initial={{ itemId: 'i1', locationId: 'l1' }}
        submit={submit}
        onDone={onDone}
      />
    </MantineProvider>
    </Provider>,
  );
  return { onDone, user: userEvent.setup() };
}

describe('OperationForm', () => {
  it('shows what is wrong with the values and sends nothing', async () => {
    const submit = vi.fn();
    const { user } = setup(submit, 'adjust');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Enter a whole number.')).toBeInTheDocument();
    expect(screen.getByText('Say why the stock is adjusted.')).toBeInTheDocument();
    expect(submit).not.toHaveBeenCalled();
  });

  it('shows a business failure in an alert with its message', async () => {
    const submit = vi.fn().mockResolvedValue({
      result: { movements: [], userErrors: [{ message: 'only 5 available', field: ['input', 'quantity'] }] },
    });
    const { user, onDone } = setup(submit);
    await user.type(screen.getByRole('textbox', { name: 'Quantity' }), '9');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('only 5 available');
    expect(onDone).not.toHaveBeenCalled();
  });

  it('says in plain words when the service cannot be reached', async () => {
    const submit = vi.fn().mockResolvedValue({ error: 'Could not reach the service. Check your connection and try again.' });
    const { user } = setup(submit);
    await user.type(screen.getByRole('textbox', { name: 'Quantity' }), '2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not reach the service');
  });

  it('retries the same values with the same idempotency key, and new values with a new one', async () => {
    const submit = vi
      .fn()
      .mockResolvedValueOnce({ error: 'Could not reach the service.' })
      .mockResolvedValueOnce({ error: 'Could not reach the service.' })
      .mockResolvedValueOnce({ result: { movements: [{ id: 'm' }], userErrors: [] } });
    const { user, onDone } = setup(submit);
    const quantity = screen.getByRole('textbox', { name: 'Quantity' });
    await user.type(quantity, '2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('alert');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(submit).toHaveBeenCalledTimes(2));
    const k1 = submit.mock.calls[0][1].idempotencyKey;
    expect(submit.mock.calls[1][1].idempotencyKey).toBe(k1);
    await user.clear(quantity);
    await user.type(quantity, '3');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith('Shipped 3 of TEA-1.'));
    expect(submit.mock.calls[2][1].idempotencyKey).not.toBe(k1);
    expect(submit.mock.calls[2][1]).toMatchObject({ itemId: 'i1', locationId: 'l1', quantity: 3 });
  });

  it('changes state only between two different states, with a reason', async () => {
    const submit = vi.fn().mockResolvedValue({ result: { movements: [{ id: 'm' }], userErrors: [] } });
    const { user, onDone } = setup(submit, 'state');
    for (const label of ['Item', 'Location', 'From state', 'To state']) expect(screen.getByRole('combobox', { name: label })).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: 'Quantity' }), '2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Choose the state the units go to.')).toBeInTheDocument();
    expect(screen.getByText('Say why the state changes.')).toBeInTheDocument();
    expect(submit).not.toHaveBeenCalled();
    await user.click(screen.getByRole('combobox', { name: 'To state' }));
    await user.click((await screen.findAllByRole('option', { name: 'Damaged', hidden: true })).at(-1)!);
    await user.type(screen.getByRole('textbox', { name: 'Reason' }), 'dropped');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(submit.mock.calls[0][1]).toMatchObject({ quantity: 2, fromState: 'AVAILABLE', toState: 'DAMAGED', reason: 'dropped' });
  });
});
