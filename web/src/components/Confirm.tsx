import { useState } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { ErrorAlert } from './ErrorAlert';

/**
 * Confirm asks before a change that takes something away (archiving, removing
 * a member). onConfirm returns a failure's message, or null when it is done;
 * a failure stays in the dialog, in an element of role alert.
 */
export function Confirm({
  opened,
  title,
  message,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  message: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<string | null>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const close = () => {
    setFailure(null);
    onClose();
  };
  async function confirm() {
    setBusy(true);
    setFailure(null);
    try {
      const err = await onConfirm();
      if (err) setFailure(err);
      else close();
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal opened={opened} onClose={close} title={title}>
      <Stack>
        <ErrorAlert message={failure} />
        <Text>{message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={busy} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
