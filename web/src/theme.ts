import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Focus rings on keyboard focus, never hidden.
  focusRing: 'auto',
  defaultRadius: 'sm',
  // Darker shades, so that links and buttons meet WCAG AA contrast.
  primaryShade: { light: 8, dark: 6 },
});
