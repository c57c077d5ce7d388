import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Anchor, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import { OperationForm } from '../components/OperationForm';
import { operationTitles, type OperationKind } from '../components/operation';
import { ErrorAlert } from '../components/ErrorAlert';
import { useCatalogue } from '../lib/catalogue';
import { formatNumber, friendlyError } from '../lib/format';
import { figureFields, levelKey, mergeLevel, type LiveLevel } from '../lib/liveLevels';
import { useLiveStatus } from '../lib/liveStatus';
import { hasRole } from '../lib/session';
import { useSession } from '../lib/useSession';

const pageSize = 50;

const StockPageDocument = graphql(`
  query StockPage($first: Int!, $after: String) {
    items(first: $first, after: $after) {
      nodes {
        id
        sku
        name
        stockLevels {
          location { id code name }
          onHand
          available
          reserved
          incoming
          version
        }
      }
      pageInfo { hasNextPage endCursor }
    }
    locations(first: 250) { nodes { id code name } }
  }
`);

// A scanner's code is looked up as a barcode first, then as a SKU.
const ItemByCodeDocument = graphql(`
  query StockItemByCode($code: String!) {
    byBarcode: item(barcode: $code) { ...StockItem }
    bySku: item(sku: $code) { ...StockItem }
  }
  fragment StockItem on Item {
    id
    sku
    name
    stockLevels {
      location { id code name }
      onHand
      available
      reserved
      incoming
      version
    }
  }
`);

const AvailabilityDocument = graphql(`
  subscription StockAvailability {
    availabilityChanged {
      item { id }
      location { id code name }
      onHand
      available
      reserved
      incoming
      version
    }
  }
`);

const ResumeDocument = graphql(`
  subscription StockResume($after: String) {
    stockChanged(after: $after) {
      cursor
      stockLevels {
        item { id }
        location { id code name }
        onHand
        available
        reserved
        incoming
        version
      }
    }
  }
`);

interface Row {
  itemId: string;
  sku: string;
  name: string;
  locationId: string;
  locationCode: string;
  locationName: string;
  onHand: number;
  available: number;
  reserved: number;
  incoming: number;
  version: number;
}

type ItemNode = NonNullable<import('../gql/graphql').StockItemByCodeQuery['bySku']>;

const operations: { kind: OperationKind; label: string }[] = [
  { kind: 'receive', label: 'Receive' },
  { kind: 'ship', label: 'Ship' },
  { kind: 'transfer', label: 'Transfer' },
  { kind: 'count', label: 'Count' },
  { kind: 'adjust', label: 'Adjust' },
  { kind: 'state', label: 'Change state' },
];

const headers: { label: string; field?: (typeof figureFields)[number] }[] = [
  { label: 'SKU' },
  { label: 'Item' },
  { label: 'Location' },
  { label: 'On hand', field: 'onHand' },
  { label: 'Available', field: 'available' },
  { label: 'Reserved', field: 'reserved' },
  { label: 'Incoming', field: 'incoming' },
];

function toLive(l: {
  item: { id: string };
  location: { id: string; code: string; name: string };
  onHand: number;
  available: number;
  reserved: number;
  incoming: number;
  version: number;
}): LiveLevel {
  return {
    itemId: l.item.id,
    locationId: l.location.id,
    location: l.location,
    onHand: l.onHand,
    available: l.available,
    reserved: l.reserved,
    incoming: l.incoming,
    version: l.version,
  };
}

/** useLiveLevels follows every level change of the tenant, resuming after a dropped connection. */
function useLiveLevels(onReconnect: () => void) {
  const [live, setLive] = useState<Map<string, LiveLevel>>(new Map());
  const [flash, setFlash] = useState<Map<string, number>>(new Map());
  const baseRef = useRef<Map<string, Row>>(new Map());
  const cursor = useRef<string | null>(null);
  const [resumeAfter, setResumeAfter] = useState<string | null>(null);
  const status = useLiveStatus();
  const prevStatus = useRef(status);

  const apply = useCallback((levels: LiveLevel[]) => {
    setLive((known) => {
      let next = known;
      const changedKeys: string[] = [];
      for (const l of levels) {
        const m = mergeLevel(next, l, baseRef.current.get(levelKey(l.itemId, l.locationId)));
        if (!m) continue;
        next = m.next;
        for (const f of m.changed) changedKeys.push(`${levelKey(l.itemId, l.locationId)}/${f}`);
      }
      if (changedKeys.length > 0) {
        const stamp = Date.now();
        setFlash((old) => {
          const f = new Map(old);
          for (const k of changedKeys) f.set(k, stamp);
          return f;
        });
      }
      return next;
    });
  }, []);

  useSubscription({ query: AvailabilityDocument }, (_prev, data) => {
    apply([toLive(data.availabilityChanged)]);
    return data;
  });
  useSubscription({ query: ResumeDocument, variables: { after: resumeAfter } }, (_prev, data) => {
    cursor.current = data.stockChanged.cursor;
    apply(data.stockChanged.stockLevels.map(toLive));
    return data;
  });

  useEffect(() => {
    if (prevStatus.current === 'connecting' && status === 'live') {
      // Subscriptions start a moment after the socket: load once more, so
      // that a change made in between is not missed.
      const t = setTimeout(onReconnect, 1000);
      prevStatus.current = status;
      return () => clearTimeout(t);
    }
    if (prevStatus.current === 'reconnecting' && status === 'live') {
      // Back after a drop: replay what committed meanwhile, and reload the page.
      setResumeAfter(cursor.current);
      onReconnect();
    }
    prevStatus.current = status;
  }, [status, onReconnect]);

  // Highlights fade after two seconds.
  useEffect(() => {
    if (flash.size === 0) return;
    const t = setTimeout(() => {
      const now = Date.now();
      setFlash((old) => new Map([...old].filter(([, at]) => now - at < 2000)));
    }, 2100);
    return () => clearTimeout(t);
  }, [flash]);

  return { live, flash, baseRef };
}

function rowsOf(items: ItemNode[]): Row[] {
  const rows: Row[] = [];
  for (const it of items) {
    for (const l of it.stockLevels) {
      rows.push({
        itemId: it.id,
        sku: it.sku,
        name: it.name,
        locationId: l.location.id,
        locationCode: l.location.code,
        locationName: l.location.name,
        onHand: l.onHand,
        available: l.available,
        reserved: l.reserved,
        incoming: l.incoming,
        version: l.version,
      });
    }
  }
  return rows;
}

export function StockPage() {
  const session = useSession();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [{ data, fetching, error }, refetch] = useQuery({
    query: StockPageDocument,
    variables: { first: pageSize, after },
  });
  const [search, setSearch] = useState('');
  const [locationFilter, setLocationFilter] = useState<string | null>(null);
  const trimmed = search.trim();
  const [{ data: codeData }] = useQuery({
    query: ItemByCodeDocument,
    variables: { code: trimmed },
    pause: trimmed === '',
  });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const { live, flash, baseRef } = useLiveLevels(reload);
  const [op, setOp] = useState<OperationKind | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const catalogue = useCatalogue();

  const pageItems = useMemo(() => data?.items.nodes ?? [], [data]);
  const rows = useMemo(() => {
    const items: ItemNode[] = [...pageItems];
    const extra = codeData?.byBarcode ?? codeData?.bySku;
    if (extra && !items.some((i) => i.id === extra.id)) items.unshift(extra);
    const base = rowsOf(items);
    baseRef.current = new Map(base.map((r) => [levelKey(r.itemId, r.locationId), r]));
    const byItem = new Map(items.map((i) => [i.id, i]));
    const merged = base.map((r) => {
      const l = live.get(levelKey(r.itemId, r.locationId));
      return l && l.version > r.version ? { ...r, ...pick(l) } : r;
    });
    // A level that started moving since the page loaded, for an item on it.
    for (const l of live.values()) {
      const it = byItem.get(l.itemId);
      if (!it || baseRef.current.has(levelKey(l.itemId, l.locationId)) || !l.location) continue;
      merged.push({
        itemId: it.id,
        sku: it.sku,
        name: it.name,
        locationId: l.locationId,
        locationCode: l.location.code,
        locationName: l.location.name,
        ...pick(l),
      });
    }
    const s = trimmed.toLowerCase();
    return merged
      .filter((r) => !locationFilter || r.locationId === locationFilter)
      .filter((r) => !s || r.itemId === extra?.id || r.sku.toLowerCase().startsWith(s) || r.name.toLowerCase().includes(s))
      .sort((a, b) => (a.sku === b.sku ? a.locationCode.localeCompare(b.locationCode) : a.sku.localeCompare(b.sku)));
  }, [pageItems, codeData, live, locationFilter, trimmed, baseRef]);

  const locationOptions = (data?.locations.nodes ?? []).map((l) => ({ value: l.id, label: `${l.code} — ${l.name}` }));
  const canOperate = hasRole(session, 'operator');
  const page = cursors.length;

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          Stock
        </Title>
        {canOperate && (
          <Group gap="xs">
            {operations.map((o) => (
              <Button key={o.kind} size="sm" variant={o.kind === 'receive' ? 'filled' : 'light'} onClick={() => setOp(o.kind)}>
                {o.label}
              </Button>
            ))}
          </Group>
        )}
      </Group>
      <Text role="status" size="sm" c="teal" aria-live="polite">
        {done}
      </Text>
      <Group grow preventGrowOverflow={false} wrap="wrap" align="flex-end">
        <TextInput
          label="Search"
          placeholder="SKU or name"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          miw={180}
        />
        <Select
          label="Show location"
          placeholder="All locations"
          data={locationOptions}
          value={locationFilter}
          onChange={setLocationFilter}
          clearable
          searchable
          miw={180}
        />
      </Group>
      <ErrorAlert message={error ? friendlyError(error) : null} />
      <div className="table-scroll" role="region" aria-label="Stock levels" tabIndex={0}>
        <Table striped highlightOnHover stickyHeader aria-label="Stock levels" miw={640}>
          <Table.Thead>
            <Table.Tr>
              {headers.map((h) => (
                <Table.Th key={h.label} scope="col" className={h.field ? 'num' : undefined}>
                  {h.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => {
              const k = levelKey(r.itemId, r.locationId);
              return (
                <Table.Tr key={k} data-level={k}>
                  <Table.Td>
                    <Anchor component={Link} to={`/items/${encodeURIComponent(r.itemId)}`}>
                      {r.sku}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{r.locationCode}</Table.Td>
                  {figureFields.map((f) => {
                    const at = flash.get(`${k}/${f}`);
                    return (
                      <Table.Td
                        key={`${f}-${at ?? 0}`}
                        className={at ? 'num cell-changed' : 'num'}
                        data-changed={at ? 'true' : undefined}
                      >
                        {formatNumber(r[f])}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </div>
      {!fetching && rows.length === 0 && (
        <Text c="dimmed">
          {trimmed || locationFilter
            ? 'Nothing matches on this page.'
            : 'No stock yet. Create items and locations, then receive stock.'}
        </Text>
      )}
      <Group justify="space-between">
        <Button variant="default" disabled={page === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </Button>
        <Text size="sm" c="dimmed">
          Page {page}
        </Text>
        <Button
          variant="default"
          disabled={!data?.items.pageInfo.hasNextPage}
          onClick={() => setCursors((c) => [...c, data?.items.pageInfo.endCursor ?? null])}
        >
          Next page
        </Button>
      </Group>
      <Modal opened={op !== null} onClose={() => setOp(null)} title={op ? operationTitles[op] : ''} size="md">
        {op && (
          <OperationForm
            key={op}
            kind={op}
            items={catalogue.items}
            locations={catalogue.locations}
            barcodes={catalogue.barcodes}
            initial={{ locationId: locationFilter }}
            onCancel={() => setOp(null)}
            onDone={(summary) => {
              setOp(null);
              setDone(summary);
              reload();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

function pick(l: LiveLevel) {
  return { onHand: l.onHand, available: l.available, reserved: l.reserved, incoming: l.incoming, version: l.version };
}
