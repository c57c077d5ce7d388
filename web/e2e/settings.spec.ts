// Settings for admins: API keys (secret shown once, revoked at once) and
// webhooks (secret shown once, deliveries, redelivery, disable and enable),
// against a receiver the test runs itself.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { baseURL, clientAddress, clientHeader, gql, receive, seed } from './env';
import { password, signInWithToken, signUp } from './fixtures';

/** signUpByApi creates an account and business and returns its access token. */
async function signUpByApi(business: string): Promise<string> {
  const res = await fetch(`${baseURL}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [clientHeader]: clientAddress() },
    body: JSON.stringify({
      query: `mutation($i: SignUpInput!) { signUp(input: $i) { accessToken userErrors { message } } }`,
      variables: { i: { email: `admin-${Date.now()}-${Math.random()}@example.com`, password, businessName: business } },
    }),
  });
  const body = await res.json();
  const token = body?.data?.signUp?.accessToken;
  if (!token) throw new Error(`signUp: ${JSON.stringify(body)}`);
  return token;
}

test('an API key is shown once, works as a bearer token, and stops working when revoked', async ({ page }) => {
  const token = await signUpByApi('Key shop');
  await signInWithToken(page, token, '/settings');
  const section = page.getByRole('heading', { name: 'API keys' }).locator('xpath=ancestor::div[contains(@class,"mantine-Paper-root")]');
  await section.getByRole('textbox', { name: 'Key name' }).fill('Web shop');
  await section.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('status', { name: 'New API key' });
  await expect(shown).toBeVisible();
  const secret = (await shown.getByTestId('secret').innerText()).trim();
  expect(secret).toMatch(/^inv_/);
  await expect(shown.getByRole('button', { name: 'Copy' })).toBeVisible();

  const keys = page.getByRole('table', { name: 'API keys' });
  const row = keys.getByRole('row').filter({ hasText: 'Web shop' });
  await expect(row).toContainText(secret.slice(0, 8));
  await expect(row).toContainText('active');
  // The secret is the key: it reads the catalogue like a token.
  await gql(secret, `{ items(first: 1) { nodes { id } } }`);

  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();
  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: 'Revoke Web shop' }).click();
  await expect(row).toContainText('revoked');
  await expect
    .poll(async () => (await fetch(`${baseURL}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: '{ items(first: 1) { nodes { id } } }' }),
    })).status, { timeout: 5_000 })
    .toBe(401);
});

test('a webhook endpoint gets its signing secret once, receives changes, shows deliveries and redelivers', async ({ page }) => {
  const received: { id: string; type: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ id: String(req.headers['webhook-id']), type: JSON.parse(body).type });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const token = await signUpByApi('Hook shop');
    const { loc, item } = await seed(token, ['HK'], [{ sku: 'HOOK-1', name: 'Hook' }]);
    await signInWithToken(page, token, '/settings');

    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(hook);
    await page.getByRole('textbox', { name: 'Event types' }).fill('stock.changed');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const shown = page.getByRole('status', { name: 'Signing secret' });
    await expect(shown.getByTestId('secret')).toHaveText(/^whsec_/);
    const row = page.getByRole('table', { name: 'Webhook endpoints' }).getByRole('row').filter({ hasText: hook });
    await expect(row).toContainText('enabled');

    await receive(token, item['HOOK-1'], loc['HK'], 5, 'PO-HOOK');
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    expect(received[0].type).toBe('stock.changed');

    await row.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('table', { name: 'Deliveries' });
    await expect(log.getByRole('row').filter({ hasText: 'stock.changed' })).toContainText('delivered');
    await log.getByRole('button', { name: 'Redeliver' }).first().click();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);
    expect(received[1].id).toBe(received[0].id);

    await row.getByRole('button', { name: 'Disable' }).click();
    await expect(row).toContainText('disabled');
    await row.getByRole('button', { name: 'Enable' }).click();
    await expect(row).toContainText('enabled');
  } finally {
    receiver.close();
  }
});

test('the last admin can neither lose the role nor be removed, and the console says why', async ({ page }) => {
  const email = `owner-${Date.now()}@example.com`;
  await signUp(page, email, 'People shop');
  await page.getByRole('link', { name: 'Settings' }).click();
  const people = page.getByRole('table', { name: 'People' });
  await expect(people.getByRole('row').filter({ hasText: email })).toContainText('admin');

  await page.getByRole('button', { name: `Change the roles of ${email}` }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByRole('checkbox', { name: 'Admin' }).uncheck();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Choose at least one role.');
  await dialog.getByRole('checkbox', { name: 'Viewer' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('a business must keep at least one admin');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: `Remove ${email}` }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(dialog.getByRole('alert')).toContainText('a business must keep at least one admin');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(people.getByRole('row').filter({ hasText: email })).toContainText('admin');
});
