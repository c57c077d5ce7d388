import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { Provider, type Client } from 'urql';
import { fromValue, never } from 'wonka';
import ReservationsPage from '../pages/Reservations';
import { setSession } from '../lib/session';

// The Reservations page is a StatusListPage: these tests drive it through a
// client that answers from memory.

const reservation = {
  __typename: 'Reservation',
  id: 'r1',
  item: { __typename: 'Item', id: 'i1', sku: 'TEA-1', name: 'Green tea' },
  location: { __typename: 'Location', id: 'l1', code: 'SHOP' },
  quantity: 2,
  reservedQuantity: 3,
  status: 'ACTIVE',
  reference: 'ORDER-7',
  expiresAt: null,
  createdAt: '2026-01-02T10:00:00Z',
};

function page(hasNextPage = false) {
  return { reservations: { nodes: [reservation], pageInfo: { hasNextPage, endCursor: 'c1' } } };
}

function setup(mutationData: unknown[]) {
  const executeQuery = vi.fn(() => fromValue({ data: page(true), stale: false, hasNext: false }));
  const executeMutation = vi.fn(() => fromValue({ data: mutationData.shift(), stale: false, hasNext: false }));
  const client = { executeQuery, executeMutation, executeSubscription: vi.fn(() => never) } as unknown as Client;
  render(
    <Provider value={client}>
      <MantineProvider>
        <ReservationsPage />
      </MantineProvider>
    </Provider>,
  );
  return { executeQuery, executeMutation, user: userEvent.setup() };
}

function operatorSession() {
  setSession({ accessToken: 'x.y.z', kind: 'token', tenantId: 't1', subject: 'u1', roles: ['operator'], expiresAt: Date.now() + 3_600_000 });
}

describe('StatusListPage (Reservations)', () => {
  afterEach(() => setSession(null));

  it('lists the rows, and an operator fulfils one with a new idempotency key, then sees the list again', async () => {
    operatorSession();
    const payload = { fulfillReservation: { reservation: { id: 'r1', status: 'FULFILLED', quantity: 2 }, userErrors: [] } };
    const { executeQuery, executeMutation, user } = setup([payload]);
    expect(await screen.findByText('TEA-1 Green tea')).toBeInTheDocument();
    expect(screen.getByText('2 of 3')).toBeInTheDocument();
    expect(screen.getByText('Never')).toBeInTheDocument();
    const queries = executeQuery.mock.calls.length;
    await user.click(screen.getByRole('button', { name: 'Fulfil reservation of TEA-1' }));
    await waitFor(() => expect(executeMutation).toHaveBeenCalledTimes(1));
    const request = (executeMutation.mock.calls[0] as unknown[])[0] as { variables: { input: { reservationId: string; idempotencyKey: string } } };
    expect(request.variables.input.reservationId).toBe('r1');
    expect(request.variables.input.idempotencyKey).toBeTruthy();
    await waitFor(() => expect(executeQuery.mock.calls.length).toBeGreaterThan(queries));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it("shows a release's userErrors in an alert", async () => {
    operatorSession();
    const payload = { releaseReservation: { reservation: null, userErrors: [{ message: 'It is already fulfilled.', code: 'CONFLICT' }] } };
    const { user } = setup([payload]);
    await user.click(await screen.findByRole('button', { name: 'Release reservation of TEA-1' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('It is already fulfilled.');
  });

  it('offers a viewer no actions', async () => {
    setSession({ accessToken: 'x.y.z', kind: 'token', tenantId: 't1', subject: 'u1', roles: ['viewer'], expiresAt: Date.now() + 3_600_000 });
    setup([]);
    expect(await screen.findByText('TEA-1 Green tea')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /reservation of/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeEnabled();
  });
});
