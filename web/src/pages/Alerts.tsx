import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Anchor, Badge, Button, SegmentedControl, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import type { AlertStatus } from '../gql/graphql';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { CursorPager, useCursors } from '../components/Pager';
import { formatDateTime, formatNumber, friendlyError } from '../lib/format';
import { hasRole } from '../lib/session';
import { useSession } from '../lib/useSession';

const AlertsDocument = graphql(`
  query AlertsPage($status: AlertStatus, $first: Int!, $after: String) {
    alerts(status: $status, first: $first, after: $after) {
      nodes {
        id
        kind
        status
        item { id sku name }
        location { id code }
        available
        threshold
        raisedAt
        acknowledgedAt
        acknowledgedBy
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const AlertRaisedDocument = graphql(`
  subscription AlertsPageRaised {
    alertRaised { id }
  }
`);

const AcknowledgeDocument = graphql(`
  mutation AcknowledgeAlert($input: AcknowledgeAlertInput!) {
    acknowledgeAlert(input: $input) {
      alert { id status acknowledgedAt acknowledgedBy }
      userErrors { message code }
    }
  }
`);

const kindNames: Record<string, string> = { LOW_STOCK: 'Low stock', OUT_OF_STOCK: 'Out of stock', LEDGER_DRIFT: 'Ledger drift' };

export default function AlertsPage() {
  const session = useSession();
  const [status, setStatus] = useState<AlertStatus>('OPEN');
  const pager = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: AlertsDocument,
    variables: { status, first: 50, after: pager.after },
  });
  const [{ data: raised }] = useSubscription({ query: AlertRaisedDocument });
  const [ackError, setAckError] = useState<string | null>(null);
  const [, acknowledge] = useMutation(AcknowledgeDocument);
  useEffect(() => {
    if (raised) refetch({ requestPolicy: 'network-only' });
  }, [raised, refetch]);

  async function onAcknowledge(alertId: string) {
    setAckError(null);
    const res = await acknowledge({ input: { alertId } });
    if (res.error) return setAckError(friendlyError(res.error));
    const errs = res.data?.acknowledgeAlert.userErrors ?? [];
    if (errs.length > 0) return setAckError(errs.map((e) => e.message).join(' '));
    refetch({ requestPolicy: 'network-only' });
  }

  const rows = data?.alerts.nodes ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">
        Alerts
      </Title>
      <SegmentedControl
        aria-label="Which alerts"
        value={status}
        onChange={(v) => {
          setStatus(v as AlertStatus);
          pager.reset();
        }}
        data={[
          { value: 'OPEN', label: 'Open' },
          { value: 'ACKNOWLEDGED', label: 'Acknowledged' },
          { value: 'RESOLVED', label: 'Resolved' },
        ]}
        maw={420}
      />
      <ErrorAlert message={error ? friendlyError(error) : ackError} />
      <DataTable
        label="Alerts"
        headers={['Raised', 'Kind', 'Item', 'Location', 'Available', 'Reorder point', '']}
        numeric={['Available', 'Reorder point']}
        empty={!fetching && rows.length === 0 ? 'No alerts here.' : null}
        minWidth={720}
      >
        {rows.map((a) => (
          <Table.Tr key={a.id}>
            <Table.Td>{formatDateTime(a.raisedAt)}</Table.Td>
            <Table.Td>
              <Badge color={a.kind === 'LOW_STOCK' ? 'yellow.4' : 'red.9'} variant="filled" autoContrast>
                {kindNames[a.kind] ?? a.kind}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/items/${encodeURIComponent(a.item.id)}`}>
                {a.item.sku}
              </Anchor>{' '}
              {a.item.name}
            </Table.Td>
            <Table.Td>{a.location.code}</Table.Td>
            <Table.Td className="num">{formatNumber(a.available)}</Table.Td>
            <Table.Td className="num">{formatNumber(a.threshold)}</Table.Td>
            <Table.Td>
              {a.status === 'OPEN' && hasRole(session, 'operator') ? (
                <Button size="xs" variant="light" onClick={() => onAcknowledge(a.id)} aria-label={`Acknowledge ${a.item.sku} at ${a.location.code}`}>
                  Acknowledge
                </Button>
              ) : a.acknowledgedBy ? (
                `Seen by ${a.acknowledgedBy}`
              ) : null}
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <CursorPager cursors={pager} pageInfo={data?.alerts.pageInfo} />
    </Stack>
  );
}
