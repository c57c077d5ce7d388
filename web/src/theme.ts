import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Focus rings on keyboard focus, never hidden.
  focusRing: 'auto',
  defaultRadius: 'sm',
});
