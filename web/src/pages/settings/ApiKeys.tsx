import { useState } from 'react';
import { Badge, Button, Checkbox, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { Role } from '../../gql/graphql';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SecretOnce } from '../../components/SecretOnce';
import { formatDateTime, friendlyError } from '../../lib/format';

const ApiKeysDocument = graphql(`
  query ApiKeys {
    apiKeys(first: 100) { nodes { id name prefix roles createdBy createdAt expiresAt lastUsedAt revokedAt } }
  }
`);

const CreateApiKeyDocument = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey { id name prefix }
      secret
      userErrors { field message code }
    }
  }
`);

const RevokeApiKeyDocument = graphql(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      apiKey { id revokedAt }
      userErrors { message code }
    }
  }
`);

const allRoles: Role[] = ['VIEWER', 'OPERATOR', 'ADMIN'];

/** ApiKeysSection lists the business's API keys, creates them (secret shown once) and revokes them. */
export function ApiKeysSection() {
  const [{ data, error }, refetch] = useQuery({ query: ApiKeysDocument });
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['OPERATOR']);
  const [secret, setSecret] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [{ fetching }, create] = useMutation(CreateApiKeyDocument);
  const [, revoke] = useMutation(RevokeApiKeyDocument);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  async function onCreate(e: React.FormEvent) {
    e.preventDefault();
    setFailure(null);
    setSecret(null);
    const res = await create({ input: { name: name.trim(), roles } });
    if (res.error) return setFailure(friendlyError(res.error));
    const p = res.data?.createApiKey;
    if (p && p.userErrors.length > 0) return setFailure(p.userErrors.map((x) => x.message).join(' '));
    setSecret(p?.secret ?? null);
    setName('');
    reload();
  }

  async function onRevoke(id: string, keyName: string) {
    if (!window.confirm(`Revoke the key ${keyName}? Integrations using it stop working at once.`)) return;
    setFailure(null);
    const res = await revoke({ input: { id } });
    if (res.error) return setFailure(friendlyError(res.error));
    const errs = res.data?.revokeApiKey.userErrors ?? [];
    if (errs.length > 0) return setFailure(errs.map((x) => x.message).join(' '));
    reload();
  }

  const keys = data?.apiKeys.nodes ?? [];
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h4">
          API keys
        </Title>
        <Text size="sm" c="dimmed">
          For integrations: send a key as <code>Authorization: Bearer inv_…</code>.
        </Text>
        <ErrorAlert message={error ? friendlyError(error) : failure} />
        {secret && <SecretOnce label="New API key" secret={secret} onDone={() => setSecret(null)} />}
        <DataTable
          label="API keys"
          headers={['Name', 'Key', 'Roles', 'Created', 'Last used', 'Status', '']}
          minWidth={760}
          empty={data && keys.length === 0 ? 'No API keys yet.' : null}
        >
          {keys.map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>{k.name}</Table.Td>
              <Table.Td>
                <code>{k.prefix}…</code>
              </Table.Td>
              <Table.Td>{k.roles.map((r) => r.toLowerCase()).join(', ')}</Table.Td>
              <Table.Td>
                {formatDateTime(k.createdAt)} by {k.createdBy}
              </Table.Td>
              <Table.Td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'never'}</Table.Td>
              <Table.Td>
                {k.revokedAt ? (
                  <Badge color="gray">revoked</Badge>
                ) : k.expiresAt && new Date(k.expiresAt) < new Date() ? (
                  <Badge color="gray">expired</Badge>
                ) : (
                  <Badge color="teal">active</Badge>
                )}
              </Table.Td>
              <Table.Td>
                {!k.revokedAt && (
                  <Button size="xs" variant="default" color="red" onClick={() => onRevoke(k.id, k.name)} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
        <form onSubmit={onCreate}>
          <Stack gap="sm">
            <TextInput label="Key name" required value={name} onChange={(e) => setName(e.currentTarget.value)} maw={360} />
            <Checkbox.Group label="Key roles" value={roles} onChange={(v) => setRoles(v as Role[])}>
              <Group mt="xs">
                {allRoles.map((r) => (
                  <Checkbox key={r} value={r} label={r.charAt(0) + r.slice(1).toLowerCase()} />
                ))}
              </Group>
            </Checkbox.Group>
            <Group>
              <Button type="submit" loading={fetching}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
