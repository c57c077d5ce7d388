import { Table } from '@mantine/core';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { StatusListPage } from '../components/StatusListPage';
import { formatDateTime, formatNumber } from '../lib/format';
import { newKey } from '../lib/ids';

const TransfersDocument = graphql(`
  query TransfersPage($status: TransferStatus, $first: Int!, $after: String) {
    transfers(status: $status, first: $first, after: $after) {
      nodes {
        id
        item { id sku name }
        fromLocation { id code }
        toLocation { id code }
        quantity
        outstandingQuantity
        receivedQuantity
        status
        reference
        createdAt
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const ReceiveTransferDocument = graphql(`
  mutation ReceiveTransfer($input: ReceiveTransferInput!) {
    receiveTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }
  }
`);

const CancelTransferDocument = graphql(`
  mutation CancelTransfer($input: CancelTransferInput!) {
    cancelTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }
  }
`);

export default function TransfersPage() {
  const [, receive] = useMutation(ReceiveTransferDocument);
  const [, cancel] = useMutation(CancelTransferDocument);
  return (
    <StatusListPage
      title="Transfers"
      filterLabel="Which transfers"
      filterWidth={420}
      statuses={[
        { value: 'IN_TRANSIT', label: 'In transit' },
        { value: 'RECEIVED', label: 'Received' },
        { value: 'CANCELLED', label: 'Cancelled' },
      ]}
      initialStatus="IN_TRANSIT"
      query={TransfersDocument}
      connection={(d) => d.transfers}
      headers={['Sent', 'Item', 'From', 'To', 'On its way', 'Reference', '']}
      numeric={['On its way']}
      empty="No transfers here."
      actionableStatus="IN_TRANSIT"
      actions={[
        {
          label: 'Receive all',
          variant: 'light',
          ariaLabel: (t) => `Receive transfer of ${t.item.sku}`,
          run: (t) => receive({ input: { transferId: t.id, idempotencyKey: newKey() } }),
        },
        {
          label: 'Cancel',
          variant: 'default',
          ariaLabel: (t) => `Cancel transfer of ${t.item.sku}`,
          run: (t) => cancel({ input: { transferId: t.id, idempotencyKey: newKey() } }),
        },
      ]}
      cells={(t) => (
        <>
          <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
          <Table.Td>
            {t.item.sku} {t.item.name}
          </Table.Td>
          <Table.Td>{t.fromLocation.code}</Table.Td>
          <Table.Td>{t.toLocation.code}</Table.Td>
          <Table.Td className="num">
            {formatNumber(t.outstandingQuantity)} of {formatNumber(t.quantity)}
          </Table.Td>
          <Table.Td>{t.reference}</Table.Td>
        </>
      )}
    />
  );
}
