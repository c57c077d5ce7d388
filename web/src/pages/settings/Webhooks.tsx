import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SecretOnce } from '../../components/SecretOnce';
import { formatDateTime, friendlyError } from '../../lib/format';

const EndpointsDocument = graphql(`
  query WebhookEndpoints {
    webhookEndpoints(first: 100) { nodes { id url eventTypes description enabled disabledReason createdAt } }
  }
`);

const DeliveriesDocument = graphql(`
  query WebhookDeliveries($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, first: 50) {
      nodes { id eventId eventType status attempts lastStatusCode lastError lastLatencyMs nextAttemptAt deliveredAt createdAt }
    }
  }
`);

const CreateEndpointDocument = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint { id }
      secret
      userErrors { field message code }
    }
  }
`);

const UpdateEndpointDocument = graphql(`
  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) {
      endpoint { id enabled disabledReason }
      userErrors { message code }
    }
  }
`);

const RedeliverDocument = graphql(`
  mutation RedeliverWebhook($input: RedeliverWebhookInput!) {
    redeliverWebhook(input: $input) {
      delivery { id status attempts }
      userErrors { message code }
    }
  }
`);

const statusColour = { PENDING: 'blue', DELIVERED: 'teal', FAILED: 'red' } as const;

/** Deliveries is one endpoint's delivery log, with a button to send a message again. */
function Deliveries({ endpointId, url }: { endpointId: string; url: string }) {
  const [{ data, error, fetching }, refetch] = useQuery({ query: DeliveriesDocument, variables: { endpointId } });
  const [failure, setFailure] = useState<string | null>(null);
  const [, redeliver] = useMutation(RedeliverDocument);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  async function onRedeliver(deliveryId: string) {
    setFailure(null);
    const res = await redeliver({ input: { deliveryId } });
    if (res.error) return setFailure(friendlyError(res.error));
    const errs = res.data?.redeliverWebhook.userErrors ?? [];
    if (errs.length > 0) return setFailure(errs.map((x) => x.message).join(' '));
    reload();
  }

  const rows = data?.webhookDeliveries.nodes ?? [];
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h5">
          Deliveries to {url}
        </Title>
        <Button size="xs" variant="default" onClick={reload} loading={fetching}>
          Refresh
        </Button>
      </Group>
      <ErrorAlert message={error ? friendlyError(error) : failure} />
      <DataTable
        label="Deliveries"
        headers={['Created', 'Event', 'Status', 'Attempts', 'Last answer', '']}
        minWidth={720}
        empty={data && rows.length === 0 ? 'Nothing sent yet.' : null}
      >
        {rows.map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td>{formatDateTime(d.createdAt)}</Table.Td>
            <Table.Td>
              {d.eventType} <Text span size="xs" c="dimmed">{d.eventId}</Text>
            </Table.Td>
            <Table.Td>
              <Badge color={statusColour[d.status]}>{d.status.toLowerCase()}</Badge>
            </Table.Td>
            <Table.Td className="num">{d.attempts}</Table.Td>
            <Table.Td>
              {d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '')}
              {d.lastLatencyMs != null ? ` (${d.lastLatencyMs} ms)` : ''}
            </Table.Td>
            <Table.Td>
              <Button size="xs" variant="default" onClick={() => onRedeliver(d.id)}>
                Redeliver
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
    </Stack>
  );
}

/** WebhooksSection lists webhook endpoints, creates them (secret shown once), enables and disables them, and shows their deliveries. */
export function WebhooksSection() {
  const [{ data, error }, refetch] = useQuery({ query: EndpointsDocument });
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('*');
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [{ fetching }, create] = useMutation(CreateEndpointDocument);
  const [, update] = useMutation(UpdateEndpointDocument);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  async function onCreate(e: React.FormEvent) {
    e.preventDefault();
    setFailure(null);
    setSecret(null);
    const eventTypes = types.split(/[\s,]+/).filter(Boolean);
    const res = await create({ input: { url: url.trim(), eventTypes, description: description.trim() || undefined } });
    if (res.error) return setFailure(friendlyError(res.error));
    const p = res.data?.createWebhookEndpoint;
    if (p && p.userErrors.length > 0) return setFailure(p.userErrors.map((x) => x.message).join(' '));
    setSecret(p?.secret ?? null);
    setUrl('');
    setDescription('');
    reload();
  }

  async function onToggle(id: string, enabled: boolean) {
    setFailure(null);
    const res = await update({ input: { id, enabled } });
    if (res.error) return setFailure(friendlyError(res.error));
    const errs = res.data?.updateWebhookEndpoint.userErrors ?? [];
    if (errs.length > 0) return setFailure(errs.map((x) => x.message).join(' '));
    reload();
  }

  const endpoints = data?.webhookEndpoints.nodes ?? [];
  const open = endpoints.find((e) => e.id === shown);
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h4">
          Webhooks
        </Title>
        <Text size="sm" c="dimmed">
          Signed POSTs of changes to your endpoints, in commit order (Standard Webhooks).
        </Text>
        <ErrorAlert message={error ? friendlyError(error) : failure} />
        {secret && <SecretOnce label="Signing secret" secret={secret} onDone={() => setSecret(null)} />}
        <DataTable
          label="Webhook endpoints"
          headers={['URL', 'Events', 'Status', 'Created', '']}
          minWidth={760}
          empty={data && endpoints.length === 0 ? 'No endpoints yet.' : null}
        >
          {endpoints.map((ep) => (
            <Table.Tr key={ep.id}>
              <Table.Td>
                {ep.url}
                {ep.description && (
                  <Text size="xs" c="dimmed">
                    {ep.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{ep.eventTypes.join(', ')}</Table.Td>
              <Table.Td>
                {ep.enabled ? <Badge color="teal">enabled</Badge> : <Badge color="gray">disabled</Badge>}
                {ep.disabledReason && (
                  <Text size="xs" c="dimmed">
                    {ep.disabledReason}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatDateTime(ep.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => onToggle(ep.id, !ep.enabled)}>
                    {ep.enabled ? 'Disable' : 'Enable'}
                  </Button>
                  <Button size="xs" variant="default" onClick={() => setShown(shown === ep.id ? null : ep.id)}>
                    {shown === ep.id ? 'Hide deliveries' : 'Deliveries'}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
        {open && <Deliveries endpointId={open.id} url={open.url} />}
        <form onSubmit={onCreate}>
          <Stack gap="sm">
            <TextInput label="Endpoint URL" required placeholder="https://example.com/webhooks" value={url} onChange={(e) => setUrl(e.currentTarget.value)} maw={480} />
            <TextInput
              label="Event types"
              description="stock.changed, alert.raised, alert.resolved, reservation.expired, report.completed, or * for all"
              value={types}
              onChange={(e) => setTypes(e.currentTarget.value)}
              maw={480}
            />
            <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} maw={480} />
            <Group>
              <Button type="submit" loading={fetching}>
                Add endpoint
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
