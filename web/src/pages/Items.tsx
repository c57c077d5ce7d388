import { useState } from 'react';
import { Link } from 'react-router';
import { Anchor, Button, Group, Modal, NumberInput, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { Pager, useCursors } from '../components/Pager';
import { formatNumber, friendlyError } from '../lib/format';
import { hasRole } from '../lib/session';
import { useSession } from '../lib/useSession';

const ItemsDocument = graphql(`
  query ItemsPage($first: Int!, $after: String) {
    items(first: $first, after: $after) {
      nodes { id sku name unit reorderPoint }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const CreateItemDocument = graphql(`
  mutation CreateItem($input: CreateItemInput!) {
    createItem(input: $input) {
      item { id sku name unit reorderPoint }
      userErrors { field message code }
    }
  }
`);

function CreateItemForm({ onDone }: { onDone: () => void }) {
  const [sku, setSku] = useState('');
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('');
  const [reorderPoint, setReorderPoint] = useState<string | number>('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, create] = useMutation(CreateItemDocument);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (!sku.trim() || !name.trim()) {
      setError('Enter a SKU and a name.');
      return;
    }
    const res = await create({
      input: {
        sku: sku.trim(),
        name: name.trim(),
        unit: unit.trim() || undefined,
        reorderPoint: reorderPoint === '' ? undefined : Number(reorderPoint),
      },
    });
    if (res.error) return setError(friendlyError(res.error));
    const errs = res.data?.createItem.userErrors ?? [];
    if (errs.length > 0) return setError(errs.map((x) => x.message).join(' '));
    onDone();
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ErrorAlert message={error} />
        <TextInput label="SKU" required value={sku} onChange={(e) => setSku(e.currentTarget.value)} data-autofocus />
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput label="Unit" placeholder="each" value={unit} onChange={(e) => setUnit(e.currentTarget.value)} />
        <NumberInput label="Reorder point" min={0} allowDecimal={false} value={reorderPoint} onChange={setReorderPoint} />
        <Group justify="flex-end">
          <Button type="submit" loading={fetching}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export default function ItemsPage() {
  const session = useSession();
  const pager = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ItemsDocument, variables: { first: 50, after: pager.after } });
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const s = search.trim().toLowerCase();
  const items = (data?.items.nodes ?? []).filter(
    (i) => !s || i.sku.toLowerCase().startsWith(s) || i.name.toLowerCase().includes(s),
  );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Items
        </Title>
        {hasRole(session, 'admin') && <Button onClick={() => setCreating(true)}>New item</Button>}
      </Group>
      <TextInput label="Search" type="search" placeholder="SKU or name" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maw={360} />
      <ErrorAlert message={error ? friendlyError(error) : null} />
      <DataTable
        label="Items"
        headers={['SKU', 'Name', 'Unit', 'Reorder point']}
        numeric={['Reorder point']}
        empty={!fetching && items.length === 0 ? (s ? 'No item on this page matches.' : 'No items yet.') : null}
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
          </Table.Tr>
        ))}
      </DataTable>
      <Pager
        page={pager.page}
        hasNext={!!data?.items.pageInfo.hasNextPage}
        onPrevious={pager.previous}
        onNext={() => pager.next(data?.items.pageInfo.endCursor)}
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title="New item">
        <CreateItemForm
          onDone={() => {
            setCreating(false);
            refetch({ requestPolicy: 'network-only' });
          }}
        />
      </Modal>
    </Stack>
  );
}
