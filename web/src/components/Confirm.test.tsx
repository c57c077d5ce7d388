import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { Confirm } from './Confirm';

describe('Confirm', () => {
  it('keeps a refusal in the dialog as an alert, and closes when done', async () => {
    const onClose = vi.fn();
    const onConfirm = vi.fn().mockResolvedValueOnce('the last admin cannot be removed').mockResolvedValueOnce(null);
    render(
      <MantineProvider>
        <Confirm opened title="Remove a@example.com" message="Sure?" confirmLabel="Remove" onConfirm={onConfirm} onClose={onClose} />
      </MantineProvider>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('the last admin cannot be removed');
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });
});
