import { Table, Text } from '@mantine/core';

/** DataTable is a labelled table that scrolls sideways on its own on a narrow screen. */
export function DataTable({
  label,
  headers,
  numeric = [],
  children,
  empty,
  minWidth = 560,
}: {
  label: string;
  headers: string[];
  numeric?: string[];
  children: React.ReactNode;
  empty?: string | null;
  minWidth?: number;
}) {
  return (
    <>
      <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
        <Table striped highlightOnHover aria-label={label} miw={minWidth}>
          <Table.Thead>
            <Table.Tr>
              {headers.map((h) => (
                <Table.Th key={h} scope="col" className={numeric.includes(h) ? 'num' : undefined}>
                  {h}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </div>
      {empty && <Text c="dimmed">{empty}</Text>}
    </>
  );
}
