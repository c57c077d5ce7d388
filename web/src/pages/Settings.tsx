import { useEffect, useState } from 'react';
import { Button, Checkbox, Group, Modal, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { Role } from '../gql/graphql';
import { Confirm } from '../components/Confirm';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDateTime, friendlyError } from '../lib/format';
import { hasRole } from '../lib/session';
import { userErrorMessage } from '../lib/userErrors';
import { useSession } from '../lib/useSession';
import { ApiKeysSection } from './settings/ApiKeys';
import { WebhooksSection } from './settings/Webhooks';

const SettingsDocument = graphql(`
  query TenantSettingsPage {
    tenantSettings { tenantId name defaultReservationTtlSeconds }
  }
`);

const UpdateSettingsDocument = graphql(`
  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {
    updateTenantSettings(input: $input) {
      settings { tenantId name defaultReservationTtlSeconds }
      userErrors { message code }
    }
  }
`);

const UsersDocument = graphql(`
  query UsersPage {
    users(first: 100) { nodes { id email name roles lastSignInAt } }
  }
`);

const UpdateUserRolesDocument = graphql(`
  mutation UpdateUserRoles($input: UpdateUserRolesInput!) {
    updateUserRoles(input: $input) {
      user { id roles }
      userErrors { field message code }
    }
  }
`);

const RemoveUserDocument = graphql(`
  mutation RemoveUser($input: RemoveUserInput!) {
    removeUser(input: $input) {
      user { id }
      userErrors { field message code }
    }
  }
`);

const InvitationsDocument = graphql(`
  query Invitations {
    invitations { id email roles invitedBy createdAt expiresAt }
  }
`);

const RevokeInvitationDocument = graphql(`
  mutation RevokeInvitation($input: RevokeInvitationInput!) {
    revokeInvitation(input: $input) { userErrors { message code } }
  }
`);

const InviteDocument = graphql(`
  mutation InviteUser($input: InviteUserInput!) {
    inviteUser(input: $input) {
      invitation { id email roles expiresAt acceptUrl emailSent }
      userErrors { message code }
    }
  }
`);

function TenantSettingsSection({ canEdit }: { canEdit: boolean }) {
  const [{ data, error }] = useQuery({ query: SettingsDocument });
  const [hours, setHours] = useState<string | number>('');
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [{ fetching }, update] = useMutation(UpdateSettingsDocument);
  const ttl = data?.tenantSettings.defaultReservationTtlSeconds;
  useEffect(() => {
    setHours(ttl == null ? '' : ttl / 3600);
  }, [ttl]);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setMessage(null);
    setFailure(null);
    const seconds = hours === '' ? null : Math.round(Number(hours) * 3600);
    const res = await update({ input: { defaultReservationTtlSeconds: seconds } });
    if (res.error) return setFailure(friendlyError(res.error));
    const errs = res.data?.updateTenantSettings.userErrors ?? [];
    if (errs.length > 0) return setFailure(errs.map((x) => x.message).join(' '));
    setMessage('Saved.');
  }

  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h4">
          Business
        </Title>
        <ErrorAlert message={error ? friendlyError(error) : failure} />
        <Text>
          Name: <strong>{data?.tenantSettings.name}</strong>
        </Text>
        <Text size="sm" c="dimmed">
          Business id: {data?.tenantSettings.tenantId}
        </Text>
        <form onSubmit={onSubmit}>
          <Group align="flex-end" wrap="wrap">
            <NumberInput
              label="Reservations expire after (hours)"
              description="Empty: reservations without an expiry never expire."
              min={0}
              value={hours}
              onChange={setHours}
              disabled={!canEdit}
              maw={320}
            />
            {canEdit && (
              <Button type="submit" loading={fetching}>
                Save
              </Button>
            )}
          </Group>
        </form>
        <Text role="status" size="sm" c="teal">
          {message}
        </Text>
      </Stack>
    </Paper>
  );
}

const allRoles: Role[] = ['VIEWER', 'OPERATOR', 'ADMIN'];

type Member = { id: string; email: string; roles: Role[] };

/** RolesForm changes a member's roles; at least one is needed. */
export function RolesForm({ member, onSave }: { member: Member; onSave: (roles: Role[]) => Promise<string | null> }) {
  const [roles, setRoles] = useState<Role[]>(member.roles);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (roles.length === 0) return setFailure('Choose at least one role.');
    setBusy(true);
    setFailure(null);
    try {
      setFailure(await onSave(roles));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        <ErrorAlert message={failure} />
        <Checkbox.Group label="Roles" value={roles} onChange={(v) => setRoles(v as Role[])}>
          <Group mt="xs">
            {allRoles.map((r) => (
              <Checkbox key={r} value={r} label={r.charAt(0) + r.slice(1).toLowerCase()} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function UsersSection() {
  const [{ data, error }, refetch] = useQuery({ query: UsersDocument });
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>(['OPERATOR']);
  const [link, setLink] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [{ fetching }, invite] = useMutation(InviteDocument);
  const [{ data: pending }, refetchPending] = useQuery({ query: InvitationsDocument });
  const [, revokeInvitation] = useMutation(RevokeInvitationDocument);
  const [, updateRoles] = useMutation(UpdateUserRolesDocument);
  const [, removeUser] = useMutation(RemoveUserDocument);
  const [editing, setEditing] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  async function onRoles(m: Member, next: Role[]): Promise<string | null> {
    const res = await updateRoles({ input: { userId: m.id, roles: next } });
    if (res.error) return friendlyError(res.error);
    const failed = userErrorMessage(res.data?.updateUserRoles.userErrors);
    if (failed) return failed;
    setEditing(null);
    refetch({ requestPolicy: 'network-only' });
    return null;
  }

  async function onRemove(m: Member): Promise<string | null> {
    const res = await removeUser({ input: { userId: m.id } });
    if (res.error) return friendlyError(res.error);
    const failed = userErrorMessage(res.data?.removeUser.userErrors);
    if (failed) return failed;
    refetch({ requestPolicy: 'network-only' });
    return null;
  }

  async function onRevoke(id: string) {
    setFailure(null);
    const res = await revokeInvitation({ input: { id } });
    if (res.error) return setFailure(friendlyError(res.error));
    const errs = res.data?.revokeInvitation.userErrors ?? [];
    if (errs.length > 0) return setFailure(errs.map((x) => x.message).join(' '));
    refetchPending({ requestPolicy: 'network-only' });
  }

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setFailure(null);
    setLink(null);
    const res = await invite({ input: { email: email.trim(), roles } });
    if (res.error) return setFailure(friendlyError(res.error));
    const p = res.data?.inviteUser;
    if (p && p.userErrors.length > 0) return setFailure(p.userErrors.map((x) => x.message).join(' '));
    setLink(p?.invitation?.acceptUrl ?? null);
    setEmail('');
    refetch({ requestPolicy: 'network-only' });
    refetchPending({ requestPolicy: 'network-only' });
  }

  const users = data?.users.nodes ?? [];
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h4">
          People
        </Title>
        <ErrorAlert message={error ? friendlyError(error) : failure} />
        <DataTable label="People" headers={['Email', 'Name', 'Roles', 'Last signed in', 'Actions']} minWidth={640}>
          {users.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td>{u.name}</Table.Td>
              <Table.Td>{u.roles.map((r) => r.toLowerCase()).join(', ')}</Table.Td>
              <Table.Td>{formatDateTime(u.lastSignInAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => setEditing(u)} aria-label={`Change the roles of ${u.email}`}>
                    Roles
                  </Button>
                  <Button size="xs" variant="default" color="red" onClick={() => setRemoving(u)} aria-label={`Remove ${u.email}`}>
                    Remove
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
        {(pending?.invitations.length ?? 0) > 0 && (
          <DataTable label="Invitations" headers={['Invited', 'Roles', 'By', 'Expires', '']} minWidth={560}>
            {pending?.invitations.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.email}</Table.Td>
                <Table.Td>{i.roles.map((r) => r.toLowerCase()).join(', ')}</Table.Td>
                <Table.Td>{i.invitedBy}</Table.Td>
                <Table.Td>{formatDateTime(i.expiresAt)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="default" onClick={() => onRevoke(i.id)} aria-label={`Revoke the invitation of ${i.email}`}>
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
        <form onSubmit={onSubmit}>
          <Stack gap="sm">
            <TextInput label="Invite by email" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} maw={360} />
            <Checkbox.Group label="Roles" value={roles} onChange={(v) => setRoles(v as Role[])}>
              <Group mt="xs">
                {allRoles.map((r) => (
                  <Checkbox key={r} value={r} label={r.charAt(0) + r.slice(1).toLowerCase()} />
                ))}
              </Group>
            </Checkbox.Group>
            <Group>
              <Button type="submit" loading={fetching}>
                Invite
              </Button>
            </Group>
          </Stack>
        </form>
        {link && (
          <Text role="status" size="sm">
            Invitation link: <code>{link}</code>
          </Text>
        )}
        <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? `Roles of ${editing.email}` : ''}>
          {editing && <RolesForm key={editing.id} member={editing} onSave={(r) => onRoles(editing, r)} />}
        </Modal>
        <Confirm
          opened={removing !== null}
          title={`Remove ${removing?.email ?? ''}`}
          message="They leave this business at once: their sessions here end. Their account and their other businesses stay."
          confirmLabel="Remove"
          onConfirm={() => (removing ? onRemove(removing) : Promise.resolve(null))}
          onClose={() => setRemoving(null)}
        />
      </Stack>
    </Paper>
  );
}

export default function SettingsPage() {
  const session = useSession();
  const admin = hasRole(session, 'admin');
  return (
    <Stack>
      <Title order={1} size="h2">
        Settings
      </Title>
      <TenantSettingsSection canEdit={admin} />
      {/* People come with sign-in: a session from a pasted token has no user behind it. */}
      {admin && session?.kind === 'password' && <UsersSection />}
      {admin && <ApiKeysSection />}
      {admin && <WebhooksSection />}
    </Stack>
  );
}
