import { useState } from 'react';
import { Button, Group, Text } from '@mantine/core';

/** useCursors keeps the cursors of the pages visited, for Previous and Next. */
export function useCursors() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1],
    page: cursors.length,
    next: (c: string | null | undefined) => setCursors((old) => [...old, c ?? null]),
    previous: () => setCursors((old) => (old.length > 1 ? old.slice(0, -1) : old)),
    reset: () => setCursors([null]),
  };
}

/** Pager is Previous page, the page's number and Next page. */
export function Pager({
  page,
  hasNext,
  onPrevious,
  onNext,
}: {
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  return (
    <Group justify="space-between">
      <Button variant="default" disabled={page === 1} onClick={onPrevious}>
        Previous page
      </Button>
      <Text size="sm" c="dimmed">
        Page {page}
      </Text>
      <Button variant="default" disabled={!hasNext} onClick={onNext}>
        Next page
      </Button>
    </Group>
  );
}

/**
 * CursorPager is the Pager of a connection's list: it moves the cursors that
 * useCursors keeps, to the connection's endCursor for Next.
 */
export function CursorPager({
  cursors,
  pageInfo,
}: {
  cursors: ReturnType<typeof useCursors>;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
}) {
  return (
    <Pager
      page={cursors.page}
      hasNext={!!pageInfo?.hasNextPage}
      onPrevious={cursors.previous}
      onNext={() => cursors.next(pageInfo?.endCursor)}
    />
  );
}
