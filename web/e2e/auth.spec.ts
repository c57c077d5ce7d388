// Sign-up, sign-in, sign-out and invitations (CONTRACT §5). They need the
// people API and run in CI with the rest.
import { test, expect } from '@playwright/test';
import { operate, stockRow, cellOf, password, signUp } from './fixtures';


test('sign up, create a location and an item, receive 10, ship 3, see 7; sign out and in again', async ({ page }) => {
  const email = `owner-${Date.now()}@example.com`;
  await signUp(page, email, 'Corner shop');
  await expect(page).toHaveURL(/\/stock$/);

  await page.getByRole('link', { name: 'Locations' }).click();
  await page.getByRole('button', { name: 'New location' }).click();
  await page.getByRole('dialog').getByRole('textbox', { name: 'Code' }).fill('SHOP');
  await page.getByRole('dialog').getByRole('textbox', { name: 'Name' }).fill('The shop');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'Items' }).click();
  await page.getByRole('button', { name: 'New item' }).click();
  await page.getByRole('dialog').getByRole('textbox', { name: 'SKU' }).fill('TEA-1');
  await page.getByRole('dialog').getByRole('textbox', { name: 'Name', exact: true }).fill('Green tea');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'Stock' }).click();
  await operate(page, 'Receive', { item: 'TEA-1', location: 'SHOP', quantity: 10 });
  await operate(page, 'Ship', { item: 'TEA-1', location: 'SHOP', quantity: 3 });
  await expect(await cellOf(page, stockRow(page, 'TEA-1', 'SHOP'), 'On hand')).toHaveText('7');

  // A reload keeps the session (the refresh cookie renews it).
  await page.reload();
  await expect(await cellOf(page, stockRow(page, 'TEA-1', 'SHOP'), 'On hand')).toHaveText('7');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/stock');
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/stock/);
  await expect(await cellOf(page, stockRow(page, 'TEA-1', 'SHOP'), 'On hand')).toHaveText('7');
});

test('an invitation link signs a new user in, who sees the same stock live', async ({ page, browser }) => {
  await signUp(page, `boss-${Date.now()}@example.com`, 'Invite shop');
  await page.getByRole('link', { name: 'Settings' }).click();
  const invitee = `clerk-${Date.now()}@example.com`;
  await page.getByRole('textbox', { name: 'Invite by email' }).fill(invitee);
  await page.getByRole('button', { name: 'Invite' }).click();
  const link = (await page.getByRole('status').filter({ hasText: 'Invitation link' }).locator('code').innerText()).trim();
  const url = new URL(link);

  const other = await browser.newContext();
  const clerk = await other.newPage();
  await clerk.goto(url.pathname + url.search);
  await clerk.getByRole('textbox', { name: 'Your name' }).fill('Clerk');
  await clerk.getByRole('textbox', { name: 'Password' }).fill(password);
  await clerk.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(clerk.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(clerk).toHaveURL(/\/stock/);

  // The owner sets up stock; the clerk's table follows without a reload.
  await page.getByRole('link', { name: 'Locations' }).click();
  await page.getByRole('button', { name: 'New location' }).click();
  await page.getByRole('dialog').getByRole('textbox', { name: 'Code' }).fill('WH');
  await page.getByRole('dialog').getByRole('textbox', { name: 'Name' }).fill('Warehouse');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'Items' }).click();
  await page.getByRole('button', { name: 'New item' }).click();
  await page.getByRole('dialog').getByRole('textbox', { name: 'SKU' }).fill('BOX-1');
  await page.getByRole('dialog').getByRole('textbox', { name: 'Name', exact: true }).fill('Box');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'Stock' }).click();
  await operate(page, 'Receive', { item: 'BOX-1', location: 'WH', quantity: 8 });
  await clerk.reload(); // the item is new to the clerk's page
  await expect(await cellOf(clerk, stockRow(clerk, 'BOX-1', 'WH'), 'On hand')).toHaveText('8');
  await operate(page, 'Ship', { item: 'BOX-1', location: 'WH', quantity: 2 });
  await expect(await cellOf(clerk, stockRow(clerk, 'BOX-1', 'WH'), 'On hand')).toHaveText('6', { timeout: 1_000 });
  await other.close();
});

test('a user of two businesses switches between them by signing in again', async ({ page }) => {
  const email = `two-${Date.now()}@example.com`;
  await signUp(page, email, 'First shop');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signUp(page, email, 'Second shop'); // the same account gets a second business
  const switcher = page.getByRole('button', { name: /Switch business/ });
  await expect(switcher).toHaveText(/Second shop/);
  await switcher.click();
  await page.getByRole('menuitem', { name: 'First shop' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to First shop' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /Switch business/ })).toHaveText(/First shop/);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText('Name: First shop')).toBeVisible();
});
