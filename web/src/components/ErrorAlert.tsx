import { Alert } from '@mantine/core';

/** ErrorAlert shows a failure in an element of role alert, so screen readers announce it. */
export function ErrorAlert({ message, title }: { message: string | null | undefined; title?: string }) {
  if (!message) return null;
  return (
    <Alert role="alert" color="red" variant="light" title={title}>
      {message}
    </Alert>
  );
}
