import { useState } from 'react';
import { Button, Group, SegmentedControl, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { TransferStatus } from '../gql/graphql';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { Pager, useCursors } from '../components/Pager';
import { formatDateTime, formatNumber, friendlyError } from '../lib/format';
import { newKey } from '../lib/ids';
import { hasRole } from '../lib/session';
import { useSession } from '../lib/useSession';

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
  const session = useSession();
  const [status, setStatus] = useState<TransferStatus>('IN_TRANSIT');
  const pager = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: TransfersDocument,
    variables: { status, first: 50, after: pager.after },
  });
  const [, receive] = useMutation(ReceiveTransferDocument);
  const [, cancel] = useMutation(CancelTransferDocument);
  const [actionError, setActionError] = useState<string | null>(null);

  async function act(kind: 'receive' | 'cancel', transferId: string) {
    setActionError(null);
    const input = { transferId, idempotencyKey: newKey() };
    const res = kind === 'receive' ? await receive({ input }) : await cancel({ input });
    if (res.error) return setActionError(friendlyError(res.error));
    const d = res.data as Record<string, { userErrors: { message: string }[] }> | undefined;
    const errs = d ? Object.values(d)[0].userErrors : [];
    if (errs.length > 0) return setActionError(errs.map((e) => e.message).join(' '));
    refetch({ requestPolicy: 'network-only' });
  }

  const rows = data?.transfers.nodes ?? [];
  const canAct = hasRole(session, 'operator');
  return (
    <Stack>
      <Title order={1} size="h2">
        Transfers
      </Title>
      <SegmentedControl
        aria-label="Which transfers"
        value={status}
        onChange={(v) => {
          setStatus(v as TransferStatus);
          pager.reset();
        }}
        data={[
          { value: 'IN_TRANSIT', label: 'In transit' },
          { value: 'RECEIVED', label: 'Received' },
          { value: 'CANCELLED', label: 'Cancelled' },
        ]}
        maw={420}
      />
      <ErrorAlert message={error ? friendlyError(error) : actionError} />
      <DataTable
        label="Transfers"
        headers={['Sent', 'Item', 'From', 'To', 'On its way', 'Reference', '']}
        numeric={['On its way']}
        empty={!fetching && rows.length === 0 ? 'No transfers here.' : null}
        minWidth={760}
      >
        {rows.map((t) => (
          <Table.Tr key={t.id}>
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
            <Table.Td>
              {t.status === 'IN_TRANSIT' && canAct && (
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => act('receive', t.id)} aria-label={`Receive transfer of ${t.item.sku}`}>
                    Receive all
                  </Button>
                  <Button size="xs" variant="default" onClick={() => act('cancel', t.id)} aria-label={`Cancel transfer of ${t.item.sku}`}>
                    Cancel
                  </Button>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <Pager
        page={pager.page}
        hasNext={!!data?.transfers.pageInfo.hasNextPage}
        onPrevious={pager.previous}
        onNext={() => pager.next(data?.transfers.pageInfo.endCursor)}
      />
    </Stack>
  );
}
