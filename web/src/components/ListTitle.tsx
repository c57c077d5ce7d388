import { Button, Group, Title } from '@mantine/core';

/** ListTitle is a list page's heading and, for someone who may create, its New button. */
export function ListTitle({ title, newLabel, canCreate, onNew }: { title: string; newLabel: string; canCreate: boolean; onNew: () => void }) {
  return (
    <Group justify="space-between">
      <Title order={1} size="h2">
        {title}
      </Title>
      {canCreate && <Button onClick={onNew}>{newLabel}</Button>}
    </Group>
  );
}
