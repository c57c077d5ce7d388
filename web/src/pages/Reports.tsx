import { useState } from 'react';
import { Button, Group, Progress, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import type { ReportKind, ReportsPageQuery } from '../gql/graphql';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatDateTime, formatNumber, friendlyError } from '../lib/format';
import { download } from '../lib/download';

const ReportsDocument = graphql(`
  query ReportsPage {
    reports(first: 25) {
      nodes { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }
    }
  }
`);

const RequestReportDocument = graphql(`
  mutation RequestReport($input: RequestReportInput!) {
    requestReport(input: $input) {
      report { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }
      userErrors { field message code }
    }
  }
`);

const ReportUpdatedDocument = graphql(`
  subscription ReportUpdated($id: ID!) {
    reportUpdated(id: $id) { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }
  }
`);

type Report = ReportsPageQuery['reports']['nodes'][number];

const kindNames: Record<string, string> = {
  STOCK_SNAPSHOT: 'Stock snapshot',
  MOVEMENT_HISTORY: 'Movement history',
  LOW_STOCK: 'Low stock',
};

const statusNames: Record<string, string> = { QUEUED: 'Waiting', RUNNING: 'Building', SUCCEEDED: 'Ready', FAILED: 'Failed' };

function ReportRow({ report }: { report: Report }) {
  const finished = report.status === 'SUCCEEDED' || report.status === 'FAILED';
  const [{ data }] = useSubscription({ query: ReportUpdatedDocument, variables: { id: report.id }, pause: finished });
  const r = data?.reportUpdated ?? report;
  const [error, setError] = useState<string | null>(null);
  const name = kindNames[r.kind] ?? r.kind;
  return (
    <Table.Tr>
      <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
      <Table.Td>{name}</Table.Td>
      <Table.Td>
        {r.status === 'SUCCEEDED' || r.status === 'FAILED' ? (
          <Text size="sm" c={r.status === 'FAILED' ? 'red' : undefined}>
            {statusNames[r.status]}
            {r.error ? `: ${r.error}` : ''}
          </Text>
        ) : (
          <Progress
            value={Math.round(r.progress * 100)}
            aria-label={`${name}: ${statusNames[r.status]}`}
            striped
            animated
            size="lg"
            miw={120}
          />
        )}
      </Table.Td>
      <Table.Td className="num">{r.status === 'SUCCEEDED' ? formatNumber(r.rowCount) : ''}</Table.Td>
      <Table.Td>
        {r.downloadUrl && (
          <Button
            size="xs"
            variant="light"
            onClick={() =>
              download(r.downloadUrl!, `${r.kind.toLowerCase()}-${r.id}.csv`).catch(() =>
                setError('The file could not be downloaded. It may have expired: request it again.'),
              )
            }
          >
            Download
          </Button>
        )}
        <ErrorAlert message={error} />
      </Table.Td>
    </Table.Tr>
  );
}

export default function ReportsPage() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ReportsDocument });
  const [kind, setKind] = useState<ReportKind>('STOCK_SNAPSHOT');
  const [from, setFrom] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [{ fetching: requesting }, request] = useMutation(RequestReportDocument);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setFormError(null);
    if (kind === 'MOVEMENT_HISTORY' && !from) {
      setFormError('Choose the date the history starts from.');
      return;
    }
    const res = await request({
      input: { kind, from: kind === 'MOVEMENT_HISTORY' && from ? new Date(from).toISOString() : undefined },
    });
    if (res.error) return setFormError(friendlyError(res.error));
    const errs = res.data?.requestReport.userErrors ?? [];
    if (errs.length > 0) return setFormError(errs.map((x) => x.message).join(' '));
    refetch({ requestPolicy: 'network-only' });
  }

  const reports = data?.reports.nodes ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">
        Reports
      </Title>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={formError} />
          <Group align="flex-end" wrap="wrap">
            <Select
              label="Report"
              data={Object.entries(kindNames).map(([value, label]) => ({ value, label }))}
              value={kind}
              onChange={(v) => v && setKind(v as ReportKind)}
              allowDeselect={false}
              maw={240}
            />
            {kind === 'MOVEMENT_HISTORY' && (
              <TextInput label="From" type="datetime-local" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
            )}
            <Button type="submit" loading={requesting}>
              Request report
            </Button>
          </Group>
        </Stack>
      </form>
      <ErrorAlert message={error ? friendlyError(error) : null} />
      <DataTable
        label="Reports"
        headers={['Requested', 'Report', 'Status', 'Rows', '']}
        numeric={['Rows']}
        empty={!fetching && reports.length === 0 ? 'No reports yet.' : null}
      >
        {reports.map((r) => (
          <ReportRow key={r.id} report={r} />
        ))}
      </DataTable>
    </Stack>
  );
}
