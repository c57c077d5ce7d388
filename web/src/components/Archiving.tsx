import { Badge, Button, Group, Switch, Table } from '@mantine/core';
import { useMutation, type TypedDocumentNode } from 'urql';
import { Confirm } from './Confirm';
import { friendlyError } from '../lib/format';
import { userErrorMessage, type UserErrorLike } from '../lib/userErrors';

/** Archivable is a row of the catalogue that can be archived: an item or a location. */
export interface Archivable {
  id: string;
  archivedAt?: unknown;
}

/**
 * ArchiveDocument is an archive or unarchive mutation: its input is the row's
 * id, its data the one payload with the userErrors.
 */
export type ArchiveDocument = TypedDocumentNode<object, { input: { id: string } }>;

/** IncludeArchivedSwitch shows archived rows too when on; a change goes back to the list's first page. */
export function IncludeArchivedSwitch({
  checked,
  onChange,
  cursors,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  cursors: { reset: () => void };
}) {
  return (
    <Switch
      label="Include archived"
      checked={checked}
      onChange={(e) => {
        onChange(e.currentTarget.checked);
        cursors.reset();
      }}
      mb={8}
    />
  );
}

/**
 * ArchivableCells are a row's Status cell and, for an admin, its Actions cell
 * (Edit, and Archive or Unarchive); name is what the buttons' labels call the row.
 */
export function ArchivableCells({
  row,
  name,
  admin,
  onEdit,
  onArchive,
}: {
  row: Archivable;
  name: string;
  admin: boolean;
  onEdit: () => void;
  onArchive: () => void;
}) {
  return (
    <>
      <Table.Td>{row.archivedAt ? <Badge color="gray">Archived</Badge> : 'Active'}</Table.Td>
      {admin && (
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="default" onClick={onEdit} aria-label={`Edit ${name}`}>
              Edit
            </Button>
            <Button size="xs" variant="default" onClick={onArchive} aria-label={`${row.archivedAt ? 'Unarchive' : 'Archive'} ${name}`}>
              {row.archivedAt ? 'Unarchive' : 'Archive'}
            </Button>
          </Group>
        </Table.Td>
      )}
    </>
  );
}

/**
 * ArchiveConfirm asks before archiving the row (or unarchiving an archived
 * one), sends the mutation and calls onDone when it succeeded; a failure stays
 * in the dialog. archiveMessage says what archiving does to this kind of row.
 */
export function ArchiveConfirm({
  row,
  name,
  archiveMessage,
  archive,
  unarchive,
  onDone,
  onClose,
}: {
  row: Archivable | null;
  name: string | undefined;
  archiveMessage: string;
  archive: ArchiveDocument;
  unarchive: ArchiveDocument;
  onDone: () => void;
  onClose: () => void;
}) {
  const [, sendArchive] = useMutation(archive);
  const [, sendUnarchive] = useMutation(unarchive);

  async function onConfirm(r: Archivable): Promise<string | null> {
    const res = r.archivedAt ? await sendUnarchive({ input: { id: r.id } }) : await sendArchive({ input: { id: r.id } });
    if (res.error) return friendlyError(res.error);
    const payload = res.data && (Object.values(res.data)[0] as { userErrors: UserErrorLike[] } | undefined);
    const failed = userErrorMessage(payload?.userErrors);
    if (failed) return failed;
    onDone();
    return null;
  }

  return (
    <Confirm
      opened={row !== null}
      title={row?.archivedAt ? `Unarchive ${name}` : `Archive ${name ?? ''}`}
      message={row?.archivedAt ? 'It takes new stock again.' : archiveMessage}
      confirmLabel={row?.archivedAt ? 'Unarchive' : 'Archive'}
      onConfirm={() => (row ? onConfirm(row) : Promise.resolve(null))}
      onClose={onClose}
    />
  );
}
