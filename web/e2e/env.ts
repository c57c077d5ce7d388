// What the end-to-end tests share: where the service runs and how to call it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const port = Number(process.env.CONSOLE_E2E_PORT);
export const baseURL = `http://127.0.0.1:${port}`;
export const binary = process.env.INVENTORY_BIN ?? path.join(repoRoot, 'tmp', 'inventory-console-e2e');
export const databaseURL =
  process.env.DATABASE_URL ?? `postgres://localhost:5432/inventory_console_e2e?sslmode=disable`;
export const jwtSecret = process.env.INVENTORY_JWT_SECRET ?? 'console-e2e-secret-console-e2e-secret';
export const screenshotDir = path.join(here, 'screenshots');
export const pidFile = path.join(repoRoot, 'tmp', 'console-e2e.pid');

/** clientHeader is where a test names its client address (see clientAddress). */
export const clientHeader = 'X-Console-Test-Client';

/** clientAddress is an address of its own for one test, so that sign-up throttling counts tests apart. */
export function clientAddress(): string {
  return `198.51.100.${Math.floor(Math.random() * 254) + 1}-${Date.now()}`;
}

/** serviceEnv is the environment of the service and its command line. */
export function serviceEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseURL,
    INVENTORY_JWT_SECRET: jwtSecret,
    INVENTORY_ADDR: `127.0.0.1:${port}`,
    // The webhook tests' receiver listens on this machine.
    INVENTORY_WEBHOOK_ALLOW_PRIVATE: 'true',
    INVENTORY_WEBHOOK_RETRY_SCHEDULE: '1s',
    // Sign-ups are throttled per client address: each test names its own.
    INVENTORY_CLIENT_IP_HEADER: clientHeader,
  };
}

/** cli runs the binary's command line and returns what it printed. */
export function cli(...args: string[]): string {
  return execFileSync(binary, args, { env: serviceEnv(), encoding: 'utf8' }).trim();
}

export interface Tenant {
  id: string;
  /** token mints an access token for a subject of this tenant. */
  token: (sub: string, roles?: string) => string;
}

/** newTenant creates a tenant with the command line, as an operator would. */
export function newTenant(name: string): Tenant {
  const id = cli('tenant', 'create', '--name', name);
  return {
    id,
    token: (sub, roles = 'admin,operator,viewer') => cli('token', '--tenant', id, '--sub', sub, '--roles', roles, '--ttl', '2h'),
  };
}

/** gql calls the public GraphQL API, as an integration would. */
export async function gql<T = any>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${baseURL}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data as T;
}

/** seed creates locations and items through the API and returns their ids. */
export async function seed(token: string, locations: string[], items: { sku: string; name: string; reorderPoint?: number }[]) {
  const loc: Record<string, string> = {};
  for (const code of locations) {
    const d = await gql(token, `mutation($i: CreateLocationInput!) { createLocation(input: $i) { location { id } userErrors { message } } }`, {
      i: { code, name: `${code} store` },
    });
    loc[code] = d.createLocation.location.id;
  }
  const item: Record<string, string> = {};
  for (const it of items) {
    const d = await gql(token, `mutation($i: CreateItemInput!) { createItem(input: $i) { item { id } userErrors { message } } }`, { i: it });
    item[it.sku] = d.createItem.item.id;
  }
  return { loc, item };
}

export async function receive(token: string, itemId: string, locationId: string, quantity: number, reference?: string) {
  const d = await gql(
    token,
    `mutation($i: ReceiveStockInput!) { receiveStock(input: $i) { userErrors { message } } }`,
    { i: { itemId, locationId, quantity, reference } },
  );
  if (d.receiveStock.userErrors.length) throw new Error(d.receiveStock.userErrors[0].message);
}
