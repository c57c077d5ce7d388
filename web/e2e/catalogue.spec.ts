// Items and locations: search, edit, archive, in a real browser against the
// real service.
import { test, expect } from '@playwright/test';
import { newTenant, receive, seed } from './env';
import { operate, signInWithToken } from './fixtures';

test('an item is found, edited, refused a taken barcode, archived, and then takes no new stock', async ({ page }) => {
  const t = newTenant('Catalogue shop');
  const admin = t.token('owner@example.com');
  await seed(admin, ['SHOP'], [
    { sku: 'TEA-1', name: 'Green tea' },
    { sku: 'MUG-1', name: 'Blue mug' },
  ]);
  await signInWithToken(page, admin, '/items');
  const table = page.getByRole('table', { name: 'Items' });
  await expect(table.getByRole('link', { name: 'TEA-1' })).toBeVisible();

  // The search is the service's: name words, SKU prefixes, barcodes.
  await page.getByRole('searchbox', { name: 'Search' }).fill('blue');
  await expect(table.getByRole('link', { name: 'MUG-1' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'TEA-1' })).toBeHidden();
  await page.getByRole('searchbox', { name: 'Search' }).fill('');

  await page.getByRole('button', { name: 'Edit TEA-1' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Sencha');
  await dialog.getByRole('textbox', { name: 'Reorder point' }).fill('4');
  await dialog.getByRole('textbox', { name: 'Barcode' }).fill('4006381333931');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const tea = table.getByRole('row').filter({ hasText: 'TEA-1' });
  await expect(tea).toContainText('Sencha');
  await expect(tea).toContainText('4006381333931');

  await page.getByRole('button', { name: 'Edit MUG-1' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Barcode' }).fill('4006381333931');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Another item already has this barcode.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('searchbox', { name: 'Search' }).fill('4006381333931');
  await expect(table.getByRole('link', { name: 'TEA-1' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'MUG-1' })).toBeHidden();

  await page.getByRole('button', { name: 'Archive TEA-1' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Archive' }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole('link', { name: 'TEA-1' })).toBeHidden();
  await page.getByRole('switch', { name: 'Include archived' }).check();
  await expect(table.getByRole('row').filter({ hasText: 'TEA-1' })).toContainText('Archived');

  // Receiving an archived item is refused with the service's message.
  await page.getByRole('link', { name: 'Stock' }).click();
  dialog = await operate(page, 'Receive', { item: 'TEA-1', location: 'SHOP', quantity: 3 });
  await expect(dialog.getByRole('alert')).toContainText('is archived: it takes no new stock');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Unarchived, it takes stock again.
  await page.getByRole('link', { name: 'Items' }).click();
  await page.getByRole('switch', { name: 'Include archived' }).check();
  await page.getByRole('button', { name: 'Unarchive TEA-1' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Unarchive' }).click();
  await expect(table.getByRole('row').filter({ hasText: 'TEA-1' })).toContainText('Active');
});

test('a location holding stock is not archived, and says why; an empty one is', async ({ page }) => {
  const t = newTenant('Location shop');
  const admin = t.token('owner@example.com');
  const { loc, item } = await seed(admin, ['SHOP', 'SPARE'], [{ sku: 'PEN-1', name: 'Pen' }]);
  await receive(admin, item['PEN-1'], loc['SHOP'], 5);
  await signInWithToken(page, admin, '/locations');
  const table = page.getByRole('table', { name: 'Locations' });

  await page.getByRole('button', { name: 'Edit SPARE' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Back room');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole('row').filter({ hasText: 'SPARE' })).toContainText('Back room');

  await page.getByRole('button', { name: 'Archive SHOP' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Archive' }).click();
  await expect(dialog.getByRole('alert')).toContainText('location SHOP still holds 5 units');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(table.getByRole('row').filter({ hasText: 'SHOP' })).toContainText('Active');

  await page.getByRole('button', { name: 'Archive SPARE' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();
  await expect(table.getByRole('cell', { name: 'SPARE', exact: true })).toBeHidden();
  await page.getByRole('switch', { name: 'Include archived' }).check();
  await expect(table.getByRole('row').filter({ hasText: 'SPARE' })).toContainText('Archived');
});
