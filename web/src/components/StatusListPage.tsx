import { useState } from 'react';
import { Button, Group, SegmentedControl, Stack, Table, Title } from '@mantine/core';
import { useQuery, type CombinedError, type TypedDocumentNode } from 'urql';
import { DataTable } from './DataTable';
import { ErrorAlert } from './ErrorAlert';
import { CursorPager, useCursors } from './Pager';
import { friendlyError } from '../lib/format';
import { hasRole } from '../lib/session';
import { useSession } from '../lib/useSession';

/** StatusListVariables are the variables of a StatusListPage's query. */
export interface StatusListVariables<S extends string> {
  status?: S | null;
  first: number;
  after?: string | null;
}

/** StatusListConnection is the page of rows a StatusListPage's query returns. */
export interface StatusListConnection<R> {
  nodes: R[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** StatusListAction is a button on each row that an operator may act on. */
export interface StatusListAction<R> {
  label: string;
  variant: 'light' | 'default';
  /** ariaLabel names the action and its row for a screen reader. */
  ariaLabel: (row: R) => string;
  /** run sends the row's mutation, with a new idempotency key. */
  run: (row: R) => Promise<{ error?: CombinedError; data?: unknown }>;
}

/**
 * StatusListPage is a page of records with one status at a time (chosen with
 * a segmented control), fifty at a time, each row with the actions an operator
 * may take while it is in the status that allows them. An action's failure
 * shows above the table; after it succeeds the list is fetched again.
 */
export function StatusListPage<S extends string, D, R extends { id: string; status: string }>({
  title,
  filterLabel,
  filterWidth,
  statuses,
  initialStatus,
  query,
  connection,
  headers,
  numeric,
  empty,
  actionableStatus,
  actions,
  cells,
}: {
  title: string;
  filterLabel: string;
  filterWidth: number;
  statuses: { value: S; label: string }[];
  initialStatus: S;
  query: TypedDocumentNode<D, StatusListVariables<S>>;
  connection: (data: D) => StatusListConnection<R>;
  headers: string[];
  numeric: string[];
  empty: string;
  /** actionableStatus is the status in which a row has its actions. */
  actionableStatus: S;
  actions: StatusListAction<R>[];
  /** cells are a row's cells but the last, which holds its actions. */
  cells: (row: R) => React.ReactNode;
}) {
  const session = useSession();
  const [status, setStatus] = useState<S>(initialStatus);
  const pager = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query,
    variables: { status, first: 50, after: pager.after },
  });
  const [actionError, setActionError] = useState<string | null>(null);

  async function act(action: StatusListAction<R>, row: R) {
    setActionError(null);
    const res = await action.run(row);
    if (res.error) return setActionError(friendlyError(res.error));
    const d = res.data as Record<string, { userErrors: { message: string }[] }> | undefined;
    const errs = d ? Object.values(d)[0].userErrors : [];
    if (errs.length > 0) return setActionError(errs.map((e) => e.message).join(' '));
    refetch({ requestPolicy: 'network-only' });
  }

  const page = data ? connection(data) : undefined;
  const rows = page?.nodes ?? [];
  const canAct = hasRole(session, 'operator');
  return (
    <Stack>
      <Title order={1} size="h2">
        {title}
      </Title>
      <SegmentedControl
        aria-label={filterLabel}
        value={status}
        onChange={(v) => {
          setStatus(v as S);
          pager.reset();
        }}
        data={statuses}
        maw={filterWidth}
      />
      <ErrorAlert message={error ? friendlyError(error) : actionError} />
      <DataTable label={title} headers={headers} numeric={numeric} empty={!fetching && rows.length === 0 ? empty : null} minWidth={760}>
        {rows.map((r) => (
          <Table.Tr key={r.id}>
            {cells(r)}
            <Table.Td>
              {r.status === actionableStatus && canAct && (
                <Group gap="xs" wrap="nowrap">
                  {actions.map((a) => (
                    <Button key={a.label} size="xs" variant={a.variant} onClick={() => act(a, r)} aria-label={a.ariaLabel(r)}>
                      {a.label}
                    </Button>
                  ))}
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <CursorPager cursors={pager} pageInfo={page?.pageInfo} />
    </Stack>
  );
}
