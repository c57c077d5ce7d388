import { useState } from 'react';
import { Button, Group, SegmentedControl, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { ReservationStatus } from '../gql/graphql';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { Pager, useCursors } from '../components/Pager';
import { formatDateTime, formatNumber, friendlyError } from '../lib/format';
import { newKey } from '../lib/ids';
import { hasRole } from '../lib/session';
import { useSession } from '../lib/useSession';

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
  const session = useSession();
  const [status, setStatus] = useState<ReservationStatus>('ACTIVE');
  const pager = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ReservationsDocument,
    variables: { status, first: 50, after: pager.after },
  });
  const [, release] = useMutation(ReleaseDocument);
  const [, fulfill] = useMutation(FulfillDocument);
  const [actionError, setActionError] = useState<string | null>(null);

  async function act(kind: 'release' | 'fulfill', reservationId: string) {
    setActionError(null);
    const input = { reservationId, idempotencyKey: newKey() };
    const res = kind === 'release' ? await release({ input }) : await fulfill({ input });
    if (res.error) return setActionError(friendlyError(res.error));
    const d = res.data as Record<string, { userErrors: { message: string }[] }> | undefined;
    const errs = d ? Object.values(d)[0].userErrors : [];
    if (errs.length > 0) return setActionError(errs.map((e) => e.message).join(' '));
    refetch({ requestPolicy: 'network-only' });
  }

  const rows = data?.reservations.nodes ?? [];
  const canAct = hasRole(session, 'operator');
  return (
    <Stack>
      <Title order={1} size="h2">
        Reservations
      </Title>
      <SegmentedControl
        aria-label="Which reservations"
        value={status}
        onChange={(v) => {
          setStatus(v as ReservationStatus);
          pager.reset();
        }}
        data={[
          { value: 'ACTIVE', label: 'Active' },
          { value: 'FULFILLED', label: 'Fulfilled' },
          { value: 'RELEASED', label: 'Released' },
          { value: 'EXPIRED', label: 'Expired' },
        ]}
        maw={480}
      />
      <ErrorAlert message={error ? friendlyError(error) : actionError} />
      <DataTable
        label="Reservations"
        headers={['Created', 'Item', 'Location', 'Holds', 'Reference', 'Expires', '']}
        numeric={['Holds']}
        empty={!fetching && rows.length === 0 ? 'No reservations here.' : null}
        minWidth={760}
      >
        {rows.map((r) => (
          <Table.Tr key={r.id}>
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
            <Table.Td>
              {r.status === 'ACTIVE' && canAct && (
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => act('fulfill', r.id)} aria-label={`Fulfil reservation of ${r.item.sku}`}>
                    Fulfil
                  </Button>
                  <Button size="xs" variant="default" onClick={() => act('release', r.id)} aria-label={`Release reservation of ${r.item.sku}`}>
                    Release
                  </Button>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <Pager
        page={pager.page}
        hasNext={!!data?.reservations.pageInfo.hasNextPage}
        onPrevious={pager.previous}
        onNext={() => pager.next(data?.reservations.pageInfo.endCursor)}
      />
    </Stack>
  );
}
