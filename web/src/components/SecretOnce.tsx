import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

/**
 * SecretOnce shows a secret the service gives out once (an API key, a
 * webhook signing secret), with a button that copies it.
 */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  return (
    <Alert color="yellow" title={label} role="status" aria-label={label}>
      <Stack gap="xs">
        <Text size="sm">Copy it now: it is not shown again.</Text>
        <Code block data-testid="secret">
          {secret}
        </Code>
        <Group>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="xs" onClick={copy} color={copied ? 'teal' : undefined}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={onDone}>
            Done
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
