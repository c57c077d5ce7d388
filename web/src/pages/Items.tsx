import { useState } from 'react';
import { Link } from 'react-router';
import { Anchor, Group, Modal, Stack, Table, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { ArchivableCells, ArchiveConfirm, IncludeArchivedSwitch } from '../components/Archiving';
import { DataTable } from '../components/DataTable';
import { ListTitle } from '../components/ListTitle';
import { ErrorAlert } from '../components/ErrorAlert';
import { ItemForm, type ItemValues } from '../components/ItemForm';
import { CursorPager, useCursors } from '../components/Pager';
import { formatNumber, friendlyError } from '../lib/format';
import { hasRole } from '../lib/session';
import { userErrorMessage } from '../lib/userErrors';
import { useSession } from '../lib/useSession';

const ItemsDocument = graphql(`
  query ItemsPage($first: Int!, $after: String, $query: String, $includeArchived: Boolean) {
    items(first: $first, after: $after, query: $query, includeArchived: $includeArchived) {
      nodes { id sku name unit reorderPoint barcode archivedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const CreateItemDocument = graphql(`
  mutation CreateItem($input: CreateItemInput!) {
    createItem(input: $input) {
      item { id sku name unit reorderPoint barcode archivedAt }
      userErrors { field message code }
    }
  }
`);

const UpdateItemDocument = graphql(`
  mutation UpdateItem($input: UpdateItemInput!) {
    updateItem(input: $input) {
      item { id sku name unit reorderPoint barcode archivedAt }
      userErrors { field message code }
    }
  }
`);

const ArchiveItemDocument = graphql(`
  mutation ArchiveItem($input: ArchiveItemInput!) {
    archiveItem(input: $input) {
      item { id archivedAt }
      userErrors { field message code }
    }
  }
`);

const UnarchiveItemDocument = graphql(`
  mutation UnarchiveItem($input: ArchiveItemInput!) {
    unarchiveItem(input: $input) {
      item { id archivedAt }
      userErrors { field message code }
    }
  }
`);

type ItemRow = { id: string; sku: string; name: string; unit: string; reorderPoint?: number | null; barcode?: string | null; archivedAt?: unknown };

function reorderPointOf(v: ItemValues): number | null {
  return v.reorderPoint === '' ? null : Number(v.reorderPoint);
}

export default function ItemsPage() {
  const session = useSession();
  const admin = hasRole(session, 'admin');
  const pager = useCursors();
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const [includeArchived, setIncludeArchived] = useState(false);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ItemsDocument,
    variables: { first: 50, after: pager.after, query: query || null, includeArchived },
  });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ItemRow | null>(null);
  const [archiving, setArchiving] = useState<ItemRow | null>(null);
  const [, create] = useMutation(CreateItemDocument);
  const [, update] = useMutation(UpdateItemDocument);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  async function onCreate(v: ItemValues): Promise<string | null> {
    const res = await create({
      input: {
        sku: v.sku.trim(),
        name: v.name.trim(),
        unit: v.unit.trim() || undefined,
        reorderPoint: reorderPointOf(v) ?? undefined,
        barcode: v.barcode.trim() || undefined,
      },
    });
    if (res.error) return friendlyError(res.error);
    const failed = userErrorMessage(res.data?.createItem.userErrors);
    if (failed) return failed;
    setCreating(false);
    reload();
    return null;
  }

  async function onUpdate(id: string, v: ItemValues): Promise<string | null> {
    const res = await update({
      input: {
        id,
        name: v.name.trim(),
        unit: v.unit.trim() || undefined,
        reorderPoint: reorderPointOf(v),
        barcode: v.barcode.trim() || null,
      },
    });
    if (res.error) return friendlyError(res.error);
    const failed = userErrorMessage(res.data?.updateItem.userErrors);
    if (failed) return failed;
    setEditing(null);
    reload();
    return null;
  }

  const items = data?.items.nodes ?? [];
  const headers = ['SKU', 'Name', 'Unit', 'Reorder point', 'Barcode', 'Status', ...(admin ? ['Actions'] : [])];
  return (
    <Stack>
      <ListTitle title="Items" newLabel="New item" canCreate={admin} onNew={() => setCreating(true)} />
      <Group align="flex-end">
        <TextInput
          label="Search"
          type="search"
          placeholder="SKU, barcode or name"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            pager.reset();
          }}
          maw={360}
        />
        <IncludeArchivedSwitch checked={includeArchived} onChange={setIncludeArchived} cursors={pager} />
      </Group>
      <ErrorAlert message={error ? friendlyError(error) : null} />
      <DataTable
        label="Items"
        headers={headers}
        numeric={['Reorder point']}
        empty={!fetching && items.length === 0 ? (query ? 'No item matches.' : 'No items yet.') : null}
      >
        {items.map((i) => (
          <Table.Tr key={i.id}>
            <Table.Td>
              <Anchor component={Link} to={`/items/${encodeURIComponent(i.id)}`}>
                {i.sku}
              </Anchor>
            </Table.Td>
            <Table.Td>{i.name}</Table.Td>
            <Table.Td>{i.unit}</Table.Td>
            <Table.Td className="num">{formatNumber(i.reorderPoint)}</Table.Td>
            <Table.Td>{i.barcode}</Table.Td>
            <ArchivableCells row={i} name={i.sku} admin={admin} onEdit={() => setEditing(i)} onArchive={() => setArchiving(i)} />
          </Table.Tr>
        ))}
      </DataTable>
      <CursorPager cursors={pager} pageInfo={data?.items.pageInfo} />
      <Modal opened={creating} onClose={() => setCreating(false)} title="New item">
        <ItemForm creating onSave={onCreate} />
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? `Edit ${editing.sku}` : ''}>
        {editing && (
          <ItemForm
            key={editing.id}
            creating={false}
            initial={{
              name: editing.name,
              unit: editing.unit,
              reorderPoint: editing.reorderPoint ?? '',
              barcode: editing.barcode ?? '',
            }}
            onSave={(v) => onUpdate(editing.id, v)}
          />
        )}
      </Modal>
      <ArchiveConfirm
        row={archiving}
        name={archiving?.sku}
        archiveMessage="It takes no new stock: receiving, reserving or transferring it is refused. Its stock can still leave, and its history stays."
        archive={ArchiveItemDocument}
        unarchive={UnarchiveItemDocument}
        onDone={reload}
        onClose={() => setArchiving(null)}
      />
    </Stack>
  );
}
