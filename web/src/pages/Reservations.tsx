import { Table } from '@mantine/core';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { StatusListPage } from '../components/StatusListPage';
import { formatDateTime, formatNumber } from '../lib/format';
import { newKey } from '../lib/ids';

const ReservationsDocument = graphql(`
  query ReservationsPage($status: ReservationStatus, $first: Int!, $after: String) {
    reservations(status: $status, first: $first, after: $after) {
      nodes {
        id
        item { id sku name }
        location { id code }
        quantity
        reservedQuantity
        status
        reference
        expiresAt
        createdAt
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const ReleaseDocument = graphql(`
  mutation ReleaseReservation($input: ReleaseReservationInput!) {
    releaseReservation(input: $input) { reservation { id status quantity } userErrors { message code } }
  }
`);

const FulfillDocument = graphql(`
  mutation FulfillReservation($input: FulfillReservationInput!) {
    fulfillReservation(input: $input) { reservation { id status quantity } userErrors { message code } }
  }
`);

export default function ReservationsPage() {
  const [, release] = useMutation(ReleaseDocument);
  const [, fulfill] = useMutation(FulfillDocument);
  return (
    <StatusListPage
      title="Reservations"
      filterLabel="Which reservations"
      filterWidth={480}
      statuses={[
        { value: 'ACTIVE', label: 'Active' },
        { value: 'FULFILLED', label: 'Fulfilled' },
        { value: 'RELEASED', label: 'Released' },
        { value: 'EXPIRED', label: 'Expired' },
      ]}
      initialStatus="ACTIVE"
      query={ReservationsDocument}
      connection={(d) => d.reservations}
      headers={['Created', 'Item', 'Location', 'Holds', 'Reference', 'Expires', '']}
      numeric={['Holds']}
      empty="No reservations here."
      actionableStatus="ACTIVE"
      actions={[
        {
          label: 'Fulfil',
          variant: 'light',
          ariaLabel: (r) => `Fulfil reservation of ${r.item.sku}`,
          run: (r) => fulfill({ input: { reservationId: r.id, idempotencyKey: newKey() } }),
        },
        {
          label: 'Release',
          variant: 'default',
          ariaLabel: (r) => `Release reservation of ${r.item.sku}`,
          run: (r) => release({ input: { reservationId: r.id, idempotencyKey: newKey() } }),
        },
      ]}
      cells={(r) => (
        <>
          <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
          <Table.Td>
            {r.item.sku} {r.item.name}
          </Table.Td>
          <Table.Td>{r.location.code}</Table.Td>
          <Table.Td className="num">
            {formatNumber(r.quantity)} of {formatNumber(r.reservedQuantity)}
          </Table.Td>
          <Table.Td>{r.reference}</Table.Td>
          <Table.Td>{r.expiresAt ? formatDateTime(r.expiresAt) : 'Never'}</Table.Td>
        </>
      )}
    />
  );
}
