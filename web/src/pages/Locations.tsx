import { useState } from 'react';
import { Button, Group, Modal, Stack, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { ArchivableCells, ArchiveConfirm, IncludeArchivedSwitch } from '../components/Archiving';
import { DataTable } from '../components/DataTable';
import { ListTitle } from '../components/ListTitle';
import { ErrorAlert } from '../components/ErrorAlert';
import { CursorPager, useCursors } from '../components/Pager';
import { formatDateTime, friendlyError } from '../lib/format';
import { hasRole } from '../lib/session';
import { userErrorMessage } from '../lib/userErrors';
import { useSession } from '../lib/useSession';

const LocationsDocument = graphql(`
  query LocationsPage($first: Int!, $after: String, $includeArchived: Boolean) {
    locations(first: $first, after: $after, includeArchived: $includeArchived) {
      nodes { id code name createdAt archivedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const CreateLocationDocument = graphql(`
  mutation CreateLocation($input: CreateLocationInput!) {
    createLocation(input: $input) {
      location { id code name createdAt archivedAt }
      userErrors { field message code }
    }
  }
`);

const UpdateLocationDocument = graphql(`
  mutation UpdateLocation($input: UpdateLocationInput!) {
    updateLocation(input: $input) {
      location { id code name createdAt archivedAt }
      userErrors { field message code }
    }
  }
`);

const ArchiveLocationDocument = graphql(`
  mutation ArchiveLocation($input: ArchiveLocationInput!) {
    archiveLocation(input: $input) {
      location { id archivedAt }
      userErrors { field message code }
    }
  }
`);

const UnarchiveLocationDocument = graphql(`
  mutation UnarchiveLocation($input: ArchiveLocationInput!) {
    unarchiveLocation(input: $input) {
      location { id archivedAt }
      userErrors { field message code }
    }
  }
`);

type LocationRow = { id: string; code: string; name: string; archivedAt?: unknown };

/** EditLocationForm renames a location; its code stays. */
function EditLocationForm({ location, onDone }: { location: LocationRow; onDone: () => void }) {
  const [name, setName] = useState(location.name);
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, update] = useMutation(UpdateLocationDocument);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError('Enter a name.');
    if (name.trim().length > 200) return setError('A name has at most 200 characters.');
    const res = await update({ input: { id: location.id, name: name.trim() } });
    if (res.error) return setError(friendlyError(res.error));
    const failed = userErrorMessage(res.data?.updateLocation.userErrors);
    if (failed) return setError(failed);
    onDone();
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ErrorAlert message={error} />
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Group justify="flex-end">
          <Button type="submit" loading={fetching}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

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
  const admin = hasRole(session, 'admin');
  const [includeArchived, setIncludeArchived] = useState(false);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: LocationsDocument,
    variables: { first: 50, after: pager.after, includeArchived },
  });
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<LocationRow | null>(null);
  const [archiving, setArchiving] = useState<LocationRow | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const s = search.trim().toLowerCase();
  const rows = (data?.locations.nodes ?? []).filter(
    (l) => !s || l.code.toLowerCase().startsWith(s) || l.name.toLowerCase().includes(s),
  );
  return (
    <Stack>
      <ListTitle title="Locations" newLabel="New location" canCreate={admin} onNew={() => setCreating(true)} />
      <Group align="flex-end">
        <TextInput label="Search" type="search" placeholder="Code or name" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maw={360} />
        <IncludeArchivedSwitch checked={includeArchived} onChange={setIncludeArchived} cursors={pager} />
      </Group>
      <ErrorAlert message={error ? friendlyError(error) : null} />
      <DataTable
        label="Locations"
        headers={['Code', 'Name', 'Created', 'Status', ...(admin ? ['Actions'] : [])]}
        minWidth={360}
        empty={!fetching && rows.length === 0 ? (s ? 'No location on this page matches.' : 'No locations yet.') : null}
      >
        {rows.map((l) => (
          <Table.Tr key={l.id}>
            <Table.Td>{l.code}</Table.Td>
            <Table.Td>{l.name}</Table.Td>
            <Table.Td>{formatDateTime(l.createdAt)}</Table.Td>
            <ArchivableCells row={l} name={l.code} admin={admin} onEdit={() => setEditing(l)} onArchive={() => setArchiving(l)} />
          </Table.Tr>
        ))}
      </DataTable>
      <CursorPager cursors={pager} pageInfo={data?.locations.pageInfo} />
      <Modal opened={creating} onClose={() => setCreating(false)} title="New location">
        <CreateLocationForm
          onDone={() => {
            setCreating(false);
            reload();
          }}
        />
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? `Edit ${editing.code}` : ''}>
        {editing && (
          <EditLocationForm
            key={editing.id}
            location={editing}
            onDone={() => {
              setEditing(null);
              reload();
            }}
          />
        )}
      </Modal>
      <ArchiveConfirm
        row={archiving}
        name={archiving?.code}
        archiveMessage="It takes no new stock. A location that still holds stock cannot be archived; its history stays."
        archive={ArchiveLocationDocument}
        unarchive={UnarchiveLocationDocument}
        onDone={reload}
        onClose={() => setArchiving(null)}
      />
    </Stack>
  );
}
