import { useState } from 'react';
import { Button, Group, Modal, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { Pager, useCursors } from '../components/Pager';
import { formatDateTime, friendlyError } from '../lib/format';
import { hasRole } from '../lib/session';
import { useSession } from '../lib/useSession';

const LocationsDocument = graphql(`
  query LocationsPage($first: Int!, $after: String) {
    locations(first: $first, after: $after) {
      nodes { id code name createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const CreateLocationDocument = graphql(`
  mutation CreateLocation($input: CreateLocationInput!) {
    createLocation(input: $input) {
      location { id code name createdAt }
      userErrors { field message code }
    }
  }
`);

function CreateLocationForm({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, create] = useMutation(CreateLocationDocument);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (!code.trim() || !name.trim()) {
      setError('Enter a code and a name.');
      return;
    }
    const res = await create({ input: { code: code.trim(), name: name.trim() } });
    if (res.error) return setError(friendlyError(res.error));
    const errs = res.data?.createLocation.userErrors ?? [];
    if (errs.length > 0) return setError(errs.map((x) => x.message).join(' '));
    onDone();
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ErrorAlert message={error} />
        <TextInput label="Code" required value={code} onChange={(e) => setCode(e.currentTarget.value)} data-autofocus />
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button type="submit" loading={fetching}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export default function LocationsPage() {
  const session = useSession();
  const pager = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: LocationsDocument,
    variables: { first: 50, after: pager.after },
  });
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const s = search.trim().toLowerCase();
  const rows = (data?.locations.nodes ?? []).filter(
    (l) => !s || l.code.toLowerCase().startsWith(s) || l.name.toLowerCase().includes(s),
  );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Locations
        </Title>
        {hasRole(session, 'admin') && <Button onClick={() => setCreating(true)}>New location</Button>}
      </Group>
      <TextInput label="Search" type="search" placeholder="Code or name" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maw={360} />
      <ErrorAlert message={error ? friendlyError(error) : null} />
      <DataTable
        label="Locations"
        headers={['Code', 'Name', 'Created']}
        minWidth={360}
        empty={!fetching && rows.length === 0 ? (s ? 'No location on this page matches.' : 'No locations yet.') : null}
      >
        {rows.map((l) => (
          <Table.Tr key={l.id}>
            <Table.Td>{l.code}</Table.Td>
            <Table.Td>{l.name}</Table.Td>
            <Table.Td>{formatDateTime(l.createdAt)}</Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <Pager
        page={pager.page}
        hasNext={!!data?.locations.pageInfo.hasNextPage}
        onPrevious={pager.previous}
        onNext={() => pager.next(data?.locations.pageInfo.endCursor)}
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title="New location">
        <CreateLocationForm
          onDone={() => {
            setCreating(false);
            refetch({ requestPolicy: 'network-only' });
          }}
        />
      </Modal>
    </Stack>
  );
}
