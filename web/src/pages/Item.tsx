import { useState } from 'react';
import { useParams } from 'react-router';
import { Button, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDateTime, formatNumber, friendlyError, movementKindName } from '../lib/format';

const ItemDocument = graphql(`
  query ItemPage($id: ID!) {
    item(id: $id) {
      id
      sku
      name
      unit
      reorderPoint
      stockLevels {
        location { id code name }
        onHand
        available
        reserved
        damaged
        qualityControl
        incoming
        updatedAt
      }
    }
  }
`);

const LedgerDocument = graphql(`
  query ItemLedger($itemId: ID!, $first: Int!, $after: String) {
    movements(itemId: $itemId, first: $first, after: $after) {
      nodes {
        id
        kind
        quantity
        fromState
        toState
        location { id code }
        toLocation { id code }
        actor
        reference
        reason
        createdAt
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const AsOfDocument = graphql(`
  query ItemLevelAsOf($itemId: ID!, $locationId: ID!, $asOf: Time) {
    stockLevel(itemId: $itemId, locationId: $locationId, asOf: $asOf) {
      onHand
      available
      reserved
      damaged
      qualityControl
      incoming
    }
  }
`);

function LedgerPage({ itemId, after, isLast, onMore }: { itemId: string; after: string | null; isLast: boolean; onMore: (c: string) => void }) {
  const [{ data, fetching, error }] = useQuery({ query: LedgerDocument, variables: { itemId, first: 25, after } });
  const page = data?.movements;
  return (
    <>
      {error && (
        <Table.Tr>
          <Table.Td colSpan={6}>
            <ErrorAlert message={friendlyError(error)} />
          </Table.Td>
        </Table.Tr>
      )}
      {page?.nodes.map((m) => (
        <Table.Tr key={m.id}>
          <Table.Td>{formatDateTime(m.createdAt)}</Table.Td>
          <Table.Td>{movementKindName(m.kind)}</Table.Td>
          <Table.Td className="num">{formatNumber(m.quantity)}</Table.Td>
          <Table.Td>{m.toLocation ? `${m.location.code} → ${m.toLocation.code}` : m.location.code}</Table.Td>
          <Table.Td>{m.actor}</Table.Td>
          <Table.Td>
            {m.reference}
            {m.reason && (
              <Text size="xs" c="dimmed">
                {m.reason}
              </Text>
            )}
          </Table.Td>
        </Table.Tr>
      ))}
      {isLast && (fetching || page?.pageInfo.hasNextPage) && (
        <Table.Tr>
          <Table.Td colSpan={6}>
            {fetching ? (
              <Loader size="sm" aria-label="Loading movements" />
            ) : (
              <Button variant="subtle" onClick={() => onMore(page!.pageInfo.endCursor!)}>
                Show older movements
              </Button>
            )}
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function AsOf({ itemId, locations }: { itemId: string; locations: { value: string; label: string }[] }) {
  const [locationId, setLocationId] = useState<string | null>(locations[0]?.value ?? null);
  const [when, setWhen] = useState('');
  const asOf = when ? new Date(when).toISOString() : null;
  const [{ data, fetching }] = useQuery({
    query: AsOfDocument,
    variables: { itemId, locationId: locationId ?? '', asOf },
    pause: !locationId || !asOf,
  });
  const l = data?.stockLevel;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        Level as of a date
      </Title>
      <Group align="flex-end" wrap="wrap">
        <Select label="At location" data={locations} value={locationId} onChange={setLocationId} maw={260} />
        <TextInput label="As of" type="datetime-local" value={when} onChange={(e) => setWhen(e.currentTarget.value)} />
      </Group>
      {fetching && <Loader size="sm" aria-label="Loading" />}
      {l && asOf && (
        <Text role="status">
          On hand {formatNumber(l.onHand)}, available {formatNumber(l.available)}, reserved {formatNumber(l.reserved)},
          damaged {formatNumber(l.damaged)}, in quality control {formatNumber(l.qualityControl)}, incoming{' '}
          {formatNumber(l.incoming)} — as of {formatDateTime(asOf)}.
        </Text>
      )}
    </Stack>
  );
}

export default function ItemPage() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: ItemDocument, variables: { id } });
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const item = data?.item;
  if (fetching && !data) return <Loader aria-label="Loading" />;
  if (error) return <ErrorAlert message={friendlyError(error)} />;
  if (!item) return <Text>This item does not exist.</Text>;
  const locations = item.stockLevels.map((l) => ({ value: l.location.id, label: `${l.location.code} — ${l.location.name}` }));
  return (
    <Stack>
      <div>
        <Title order={1} size="h2">
          {item.name}
        </Title>
        <Text c="dimmed">
          SKU {item.sku} · counted in {item.unit}
          {item.reorderPoint != null && ` · reorder at ${formatNumber(item.reorderPoint)}`}
        </Text>
      </div>
      <Title order={2} size="h4">
        Levels
      </Title>
      <DataTable
        label="Levels"
        headers={['Location', 'On hand', 'Available', 'Reserved', 'Damaged', 'Quality control', 'Incoming']}
        numeric={['On hand', 'Available', 'Reserved', 'Damaged', 'Quality control', 'Incoming']}
        empty={item.stockLevels.length === 0 ? 'No stock has moved for this item yet.' : null}
        minWidth={640}
      >
        {item.stockLevels.map((l) => (
          <Table.Tr key={l.location.id}>
            <Table.Td>{l.location.code}</Table.Td>
            <Table.Td className="num">{formatNumber(l.onHand)}</Table.Td>
            <Table.Td className="num">{formatNumber(l.available)}</Table.Td>
            <Table.Td className="num">{formatNumber(l.reserved)}</Table.Td>
            <Table.Td className="num">{formatNumber(l.damaged)}</Table.Td>
            <Table.Td className="num">{formatNumber(l.qualityControl)}</Table.Td>
            <Table.Td className="num">{formatNumber(l.incoming)}</Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      {locations.length > 0 && <AsOf itemId={item.id} locations={locations} />}
      <Title order={2} size="h4">
        Movements
      </Title>
      <DataTable label="Movements" headers={['When', 'Kind', 'Quantity', 'Location', 'By', 'Reference']} numeric={['Quantity']} minWidth={640}>
        {pages.map((after, i) => (
          <LedgerPage
            key={after ?? 'first'}
            itemId={item.id}
            after={after}
            isLast={i === pages.length - 1}
            onMore={(c) => setPages((p) => [...p, c])}
          />
        ))}
      </DataTable>
    </Stack>
  );
}
