import { expect, type Locator, type Page } from '@playwright/test';
import { clientAddress, clientHeader } from './env';

/** signInWithToken signs a page in with an access token from the command line. */
export async function signInWithToken(page: Page, token: string, path = '/stock') {
  await page.goto(`/sign-in?next=${encodeURIComponent(path)}`);
  await page.getByRole('button', { name: 'Use an access token instead' }).click();
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** pick types into a combobox field (a select) and chooses the option that matches. */
export async function pick(scope: Locator | Page, page: Page, label: string, text: string) {
  const field = scope.getByRole('combobox', { name: label, exact: true });
  await field.click();
  await field.fill(text);
  await page.getByRole('option', { name: new RegExp(text) }).first().click();
}

/** operate opens a stock operation's form from the Stock page, fills it and saves. */
export async function operate(
  page: Page,
  button: 'Receive' | 'Ship' | 'Transfer' | 'Count' | 'Adjust',
  f: { item: string; location?: string; from?: string; to?: string; quantity: number; reference?: string; reason?: string },
) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await pick(dialog, page, 'Item', f.item);
  if (f.location) await pick(dialog, page, 'Location', f.location);
  if (f.from) await pick(dialog, page, 'From', f.from);
  if (f.to) await pick(dialog, page, 'To', f.to);
  await dialog.getByLabel('Quantity').fill(String(f.quantity));
  if (f.reference) await dialog.getByLabel('Reference').fill(f.reference);
  if (f.reason) await dialog.getByLabel('Reason').fill(f.reason);
  await dialog.getByRole('button', { name: 'Save' }).click();
  return dialog;
}

/** stockRow is the Stock table's row of an item at a location. */
export function stockRow(page: Page, sku: string, location: string): Locator {
  return page
    .getByRole('table', { name: 'Stock levels' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: sku, exact: true }) })
    .filter({ has: page.getByRole('cell', { name: location, exact: true }) });
}

/** cellOf is a row's cell under a column header. */
export async function cellOf(page: Page, row: Locator, header: string): Promise<Locator> {
  const table = page.getByRole('table', { name: 'Stock levels' });
  await expect(table.getByRole('columnheader', { name: header, exact: true })).toBeVisible(); // after a reload too
  const headers = await table.getByRole('columnheader').allInnerTexts();
  const i = headers.findIndex((h) => h.trim() === header);
  if (i < 0) throw new Error(`no column ${header} in ${headers.join(', ')}`);
  return row.getByRole('cell').nth(i);
}

/** password is the password of the accounts the tests sign up. */
export const password = 'correct horse battery staple';

/** signUp creates an account and its business from the sign-in page, and waits until it is signed in. */
export async function signUp(page: Page, email: string, business: string) {
  await page.setExtraHTTPHeaders({ [clientHeader]: clientAddress() });
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByRole('textbox', { name: 'Business name' }).fill(business);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
