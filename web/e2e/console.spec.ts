// The console in a real browser against the real service, signed in with
// tokens from the command line. (Sign-up and sign-in are in auth.spec.ts.)
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import path from 'node:path';
import { gql, newTenant, receive, screenshotDir, seed } from './env';
import { cellOf, operate, pick, signInWithToken, stockRow } from './fixtures';


test('create a location and an item, receive 10, ship 3, see 7', async ({ page }) => {
  const t = newTenant('Corner shop');
  await signInWithToken(page, t.token('owner@example.com'));

  await page.getByRole('link', { name: 'Locations' }).click();
  await page.getByRole('button', { name: 'New location' }).click();
  await page.getByRole('dialog').getByLabel('Code').fill('SHOP');
  await page.getByRole('dialog').getByLabel('Name').fill('The shop');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('table', { name: 'Locations' }).getByRole('cell', { name: 'SHOP', exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'Items' }).click();
  await page.getByRole('button', { name: 'New item' }).click();
  await page.getByRole('dialog').getByLabel('SKU').fill('TEA-1');
  await page.getByRole('dialog').getByRole('textbox', { name: 'Name', exact: true }).fill('Green tea');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('table', { name: 'Items' }).getByRole('link', { name: 'TEA-1' })).toBeVisible();

  await page.getByRole('link', { name: 'Stock' }).click();
  let dialog = await operate(page, 'Receive', { item: 'TEA-1', location: 'SHOP', quantity: 10, reference: 'PO-1' });
  await expect(dialog).toBeHidden();
  const row = stockRow(page, 'TEA-1', 'SHOP');
  await expect(await cellOf(page, row, 'On hand')).toHaveText('10');

  dialog = await operate(page, 'Ship', { item: 'TEA-1', location: 'SHOP', quantity: 3, reference: 'SO-1' });
  await expect(dialog).toBeHidden();
  await expect(await cellOf(page, row, 'On hand')).toHaveText('7');
  await expect(await cellOf(page, row, 'Available')).toHaveText('7');
});

test('shipping more than is available shows the message and writes nothing', async ({ page }) => {
  const t = newTenant('Short shop');
  const admin = t.token('owner@example.com');
  const { loc, item } = await seed(admin, ['SHOP'], [{ sku: 'MUG-1', name: 'Mug' }]);
  await receive(admin, item['MUG-1'], loc['SHOP'], 5);
  await signInWithToken(page, t.token('clerk@example.com', 'operator,viewer'));

  const dialog = await operate(page, 'Ship', { item: 'MUG-1', location: 'SHOP', quantity: 9, reference: 'SO-9' });
  const alert = dialog.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/available/i);
  await expect(alert).toContainText('5');
  const d = await gql(admin, `query($i: ID!, $l: ID!) { stockLevel(itemId: $i, locationId: $l) { onHand version } movements(itemId: $i) { nodes { id } } }`, {
    i: item['MUG-1'],
    l: loc['SHOP'],
  });
  expect(d.stockLevel.onHand).toBe(5);
  expect(d.movements.nodes).toHaveLength(1);

  // A double click on Save applies once: the idempotency key is the same.
  await dialog.getByLabel('Quantity').fill('2');
  await dialog.getByRole('button', { name: 'Save' }).dblclick();
  await expect(dialog).toBeHidden();
  const after = await gql(admin, `query($i: ID!) { movements(itemId: $i) { nodes { id kind } } }`, { i: item['MUG-1'] });
  expect(after.movements.nodes.filter((m: { kind: string }) => m.kind === 'SHIPMENT')).toHaveLength(1);
});

test('a change by another user or an integration appears live, without a reload', async ({ browser }) => {
  const t = newTenant('Live shop');
  const admin = t.token('owner@example.com');
  const { loc, item } = await seed(admin, ['WH', 'SHOP'], [{ sku: 'PEN-1', name: 'Pen' }]);
  await receive(admin, item['PEN-1'], loc['WH'], 50);

  const a = await browser.newContext();
  const b = await browser.newContext();
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  await signInWithToken(pageA, t.token('anna@example.com'));
  await signInWithToken(pageB, t.token('ben@example.com'));
  const rowB = stockRow(pageB, 'PEN-1', 'WH');
  await expect(await cellOf(pageB, rowB, 'On hand')).toHaveText('50');
  await expect(pageB.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  let navigations = 0;
  pageB.on('framenavigated', () => navigations++);

  // "Live" means the socket is up; its subscriptions start a moment later
  // (longer on a loaded machine). Once they have, an integration's shipment
  // through the API shows on the other screen within a second.
  const ship = (quantity: number) =>
    gql(admin, `mutation($i: ShipStockInput!) { shipStock(input: $i) { userErrors { message } } }`, {
      i: { itemId: item['PEN-1'], locationId: loc['WH'], quantity, reference: 'API-1' },
    });
  const onHand = await cellOf(pageB, rowB, 'On hand');
  const within = Number(process.env.CONSOLE_LIVE_MS ?? 1_000);
  let inTime = false;
  for (let attempt = 0; attempt < 5 && !inTime; attempt++) {
    const now = Number(await onHand.innerText());
    await ship(1);
    const t0 = Date.now();
    // Highlighted: it came live, not with a reload of the page's query.
    inTime = await expect(onHand)
      .toHaveText(String(now - 1), { timeout: within })
      .then(() => expect(onHand).toHaveAttribute('data-changed', 'true', { timeout: Math.max(1, within - (Date.now() - t0)) }))
      .then(() => true)
      .catch(() => false);
    if (!inTime) await pageB.waitForTimeout(1_500); // the subscriptions were still starting
  }
  expect(inTime, `a shipment showed on the other screen within ${within} ms`).toBe(true);
  await expect(onHand).toHaveAttribute('data-changed', 'true');

  // Another user ships in the console.
  const expected = Number(await onHand.innerText());
  await operate(pageA, 'Ship', { item: 'PEN-1', location: 'WH', quantity: 6 });
  await expect(await cellOf(pageB, rowB, 'On hand')).toHaveText(String(expected - 6), { timeout: 2_000 });
  // A transfer in transit shows as incoming at its destination.
  await gql(admin, `mutation($i: TransferStockInput!) { transferStock(input: $i) { userErrors { message } } }`, {
    i: { itemId: item['PEN-1'], fromLocationId: loc['WH'], toLocationId: loc['SHOP'], quantity: 5, inTransit: true },
  });
  await expect(await cellOf(pageB, stockRow(pageB, 'PEN-1', 'SHOP'), 'Incoming')).toHaveText('5', { timeout: 3_000 });
  expect(navigations).toBe(0);
  await a.close();
  await b.close();
});

test("an item's ledger shows its movements with who and reference", async ({ page }) => {
  const t = newTenant('Ledger shop');
  const admin = t.token('owner@example.com');
  const { loc, item } = await seed(admin, ['SHOP'], [{ sku: 'CUP-1', name: 'Cup' }]);
  await receive(admin, item['CUP-1'], loc['SHOP'], 12, 'PO-77');
  await gql(t.token('clerk@example.com', 'operator,viewer'), `mutation($i: ShipStockInput!) { shipStock(input: $i) { userErrors { message } } }`, {
    i: { itemId: item['CUP-1'], locationId: loc['SHOP'], quantity: 2, reference: 'SO-78' },
  });
  await signInWithToken(page, admin);
  await stockRow(page, 'CUP-1', 'SHOP').getByRole('link', { name: 'CUP-1' }).click();
  await expect(page).toHaveURL(/\/items\//);
  const ledger = page.getByRole('table', { name: 'Movements' });
  for (const h of ['When', 'Kind', 'Quantity', 'Location', 'By', 'Reference']) {
    await expect(ledger.getByRole('columnheader', { name: h, exact: true })).toBeVisible();
  }
  const rows = ledger.getByRole('row');
  await expect(rows).toHaveCount(3); // the header and two movements, newest first
  await expect(rows.nth(1)).toContainText('Shipment');
  await expect(rows.nth(1)).toContainText('clerk@example.com');
  await expect(rows.nth(1)).toContainText('SO-78');
  await expect(rows.nth(2)).toContainText('Receipt');
  await expect(rows.nth(2)).toContainText('owner@example.com');
  await expect(rows.nth(2)).toContainText('PO-77');
  // Reloading the item's page shows it again: every page has its own URL.
  await page.reload();
  await expect(ledger.getByRole('row')).toHaveCount(3);
});

test('a report is requested, follows its progress and downloads', async ({ page }) => {
  const t = newTenant('Report shop');
  const admin = t.token('owner@example.com');
  const { loc, item } = await seed(admin, ['SHOP'], [{ sku: 'INK-1', name: 'Ink' }]);
  await receive(admin, item['INK-1'], loc['SHOP'], 3);
  await signInWithToken(page, admin, '/reports');
  await page.getByRole('button', { name: 'Request report' }).click();
  const download = page.getByRole('button', { name: 'Download' }).first();
  await expect(download).toBeVisible({ timeout: 20_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const text = await file.createReadStream().then(
    (s) =>
      new Promise<string>((resolve, reject) => {
        let body = '';
        s.on('data', (c) => (body += c));
        s.on('end', () => resolve(body));
        s.on('error', reject);
      }),
  );
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  expect(text).toContain('INK-1');
});

test('alerts are raised live, counted in the navigation and acknowledged', async ({ page }) => {
  const t = newTenant('Alert shop');
  const admin = t.token('owner@example.com');
  const { loc, item } = await seed(admin, ['SHOP'], [{ sku: 'BAG-1', name: 'Bag', reorderPoint: 5 }]);
  await receive(admin, item['BAG-1'], loc['SHOP'], 8);
  await signInWithToken(page, admin, '/alerts');
  await expect(page.getByText('No alerts here.')).toBeVisible();
  await gql(admin, `mutation($i: ShipStockInput!) { shipStock(input: $i) { userErrors { message } } }`, {
    i: { itemId: item['BAG-1'], locationId: loc['SHOP'], quantity: 4 },
  });
  const alerts = page.getByRole('table', { name: 'Alerts' });
  await expect(alerts.getByRole('row').filter({ hasText: 'BAG-1' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Alerts' })).toHaveAccessibleDescription('1 open alerts');
  await alerts.getByRole('button', { name: /Acknowledge BAG-1/ }).click();
  await expect(page.getByText('No alerts here.')).toBeVisible();
});

const pages = [
  { name: 'sign-in', path: '/sign-in', signedIn: false },
  { name: 'sign-up', path: '/sign-up', signedIn: false },
  { name: 'accept-invitation', path: '/accept-invitation?token=example', signedIn: false },
  { name: 'stock', path: '/stock', signedIn: true },
  { name: 'items', path: '/items', signedIn: true },
  { name: 'item', path: '/items/:item', signedIn: true },
  { name: 'locations', path: '/locations', signedIn: true },
  { name: 'reservations', path: '/reservations', signedIn: true },
  { name: 'transfers', path: '/transfers', signedIn: true },
  { name: 'alerts', path: '/alerts', signedIn: true },
  { name: 'reports', path: '/reports', signedIn: true },
  { name: 'settings', path: '/settings', signedIn: true },
];

test('every page: no horizontal scroll at 390 px, no serious accessibility violations, screenshots', async ({ page }) => {
  test.setTimeout(180_000);
  const t = newTenant('Tour shop');
  const admin = t.token('owner@example.com');
  const { loc, item } = await seed(admin, ['WH', 'SHOP'], [
    { sku: 'TEA-1', name: 'Green tea', reorderPoint: 4 },
    { sku: 'MUG-1', name: 'Mug with a rather long name for a narrow screen' },
  ]);
  await receive(admin, item['TEA-1'], loc['WH'], 20, 'PO-1');
  await receive(admin, item['MUG-1'], loc['SHOP'], 3, 'PO-2');
  await gql(admin, `mutation($i: ShipStockInput!) { shipStock(input: $i) { userErrors { message } } }`, {
    i: { itemId: item['TEA-1'], locationId: loc['WH'], quantity: 17, reference: 'SO-1' },
  });
  await gql(admin, `mutation($i: ReserveStockInput!) { reserveStock(input: $i) { userErrors { message } } }`, {
    i: { itemId: item['MUG-1'], locationId: loc['SHOP'], quantity: 1, reference: 'ORDER-5' },
  });
  await signInWithToken(page, admin);

  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    for (const p of pages) {
      const url = p.path.replace(':item', encodeURIComponent(item['TEA-1']));
      if (!p.signedIn) {
        const other = await page.context().newPage();
        await other.setViewportSize({ width, height: 844 });
        await check(other, url, p.name, width);
        await other.close();
      } else {
        await check(page, url, p.name, width);
      }
    }
  }
});

async function check(page: import('@playwright/test').Page, url: string, name: string, width: number) {
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect.soft(overflow, `${name} at ${width} px scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect.soft(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    `${name} at ${width} px`,
  ).toEqual([]);
  await page.screenshot({ path: path.join(screenshotDir, `${name}-${width}.png`), fullPage: true });
  if (name === 'stock' && width === 1440) {
    // The README's picture (docs/images/stock.png): the top of the page.
    await page.screenshot({ path: path.join(screenshotDir, 'stock-readme.png'), clip: { x: 0, y: 0, width: 1440, height: 400 } });
  }
}

test('the operation forms carry the contract labels, and a scanner fills the item', async ({ page }) => {
  const t = newTenant('Form shop');
  const admin = t.token('owner@example.com');
  const { loc, item } = await seed(admin, ['A', 'B'], [{ sku: 'SCAN-1', name: 'Scanned thing' }]);
  await receive(admin, item['SCAN-1'], loc['A'], 9);
  await signInWithToken(page, admin);
  for (const op of ['Receive', 'Ship', 'Transfer', 'Count', 'Adjust']) {
    await page.getByRole('button', { name: op, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('combobox', { name: 'Item', exact: true })).toBeVisible();
    if (op === 'Transfer') {
      await expect(dialog.getByRole('combobox', { name: 'From', exact: true })).toBeVisible();
      await expect(dialog.getByRole('combobox', { name: 'To', exact: true })).toBeVisible();
    } else {
      await expect(dialog.getByRole('combobox', { name: 'Location', exact: true })).toBeVisible();
    }
    for (const label of ['Quantity', 'Reference', 'Reason']) await expect(dialog.getByRole('textbox', { name: label, exact: true })).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Save' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  }
  // A barcode scanner types the code and Enter into the focused item field.
  await page.getByRole('button', { name: 'Transfer', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('combobox', { name: 'Item', exact: true })).toBeFocused();
  await page.keyboard.type('SCAN-1');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('combobox', { name: 'Item', exact: true })).toHaveValue(/SCAN-1/);
  await pick(dialog, page, 'From', 'A —');
  await pick(dialog, page, 'To', 'B —');
  await dialog.getByLabel('Quantity').fill('4');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(await cellOf(page, stockRow(page, 'SCAN-1', 'B'), 'On hand')).toHaveText('4');
});

test('after a dropped connection, Stock resumes from its cursor and misses nothing', async ({ page }) => {
  const t = newTenant('Resume shop');
  const admin = t.token('owner@example.com');
  const { loc, item } = await seed(admin, ['WH'], [{ sku: 'NUT-1', name: 'Nut' }]);
  await receive(admin, item['NUT-1'], loc['WH'], 30);
  const sockets: import('@playwright/test').WebSocketRoute[] = [];
  const sent: string[] = [];
  const received: string[] = [];
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    const server = ws.connectToServer();
    sockets.push(ws);
    server.onMessage((m) => {
      received.push(String(m));
      ws.send(m);
    });
    ws.onMessage((m) => {
      sent.push(String(m));
      server.send(m);
    });
  });
  await signInWithToken(page, admin);
  const row = stockRow(page, 'NUT-1', 'WH');
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(await cellOf(page, row, 'On hand')).toHaveText('30');
  // A change while connected gives the page a cursor. "Live" means the socket
  // is acknowledged, and the row means the page has loaded; its subscriptions
  // start a moment later, and a change that commits before they do reaches
  // the page by its reload, not by the feed (so it carries no cursor). Ship
  // one unit at a time until the feed delivers one.
  const ship = (quantity: number) =>
    gql(admin, `mutation($i: ShipStockInput!) { shipStock(input: $i) { userErrors { message } } }`, {
      i: { itemId: item['NUT-1'], locationId: loc['WH'], quantity },
    });
  const hasCursor = () => received.some((m) => m.includes('"stockChanged"') && m.includes('"cursor"'));
  let shipped = 0;
  for (let attempt = 0; attempt < 5 && !hasCursor(); attempt++) {
    await ship(1);
    shipped++;
    await expect.poll(hasCursor, { timeout: 2_000 }).toBe(true).catch(() => undefined);
  }
  expect(hasCursor()).toBe(true);
  await expect(await cellOf(page, row, 'On hand')).toHaveText(String(30 - shipped), { timeout: 5_000 });

  // The connection drops; stock moves meanwhile.
  const before = sockets.length;
  await sockets[sockets.length - 1].close({ code: 1001, reason: 'test drops the connection' });
  await expect(page.getByRole('status').filter({ hasText: /Reconnecting|Live/ })).toBeVisible();
  await ship(4);
  await expect(await cellOf(page, row, 'On hand')).toHaveText(String(26 - shipped), { timeout: 15_000 });
  expect(sockets.length).toBeGreaterThan(before);
  // The new connection asked the feed for what came after the cursor it had.
  const resumed = sent
    .map((m) => JSON.parse(m))
    .filter((m) => m.type === 'subscribe' && String(m.payload?.query).includes('stockChanged') && m.payload?.variables?.after);
  expect(resumed.length).toBeGreaterThan(0);
});
