import { Center, Paper, Stack, Title } from '@mantine/core';

/** AuthCard frames the pages a visitor sees before signing in. */
export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={420}>
        <Stack>
          <Title order={1} size="h2">
            {title}
          </Title>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
