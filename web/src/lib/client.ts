// The GraphQL client: urql over HTTP for queries and mutations, graphql-ws
// for subscriptions, both carrying the session's bearer token.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { freshToken, refresh } from './auth';
import { getSession, setSession } from './session';
import { setLiveStatus } from './liveStatus';

/** authFetch adds the bearer token, renewing it once when the server refuses it. */
export async function authFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const send = (token: string | null) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers, credentials: 'same-origin' });
  };
  let res = await send(await freshToken());
  if (res.status === 401) {
    const s = getSession();
    const renewed = s?.kind === 'password' ? await refresh() : null;
    if (renewed) {
      res = await send(renewed.accessToken);
    }
    if (res.status === 401) setSession(null);
  }
  return res;
}

function wsURL(): string {
  const u = new URL('/graphql', window.location.href);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

export interface Api {
  client: Client;
  ws: WsClient;
}

/** createApi builds the clients for one session; dispose the ws client when the session ends. */
export function createApi(): Api {
  let everConnected = false;
  const ws = createWsClient({
    url: wsURL(),
    lazy: true,
    lazyCloseTimeout: 3_000,
    keepAlive: 20_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      // 0.5 s, 1 s, 2 s ... up to 10 s, with jitter.
      const base = Math.min(10_000, 500 * 2 ** Math.min(retries, 5));
      await new Promise((r) => setTimeout(r, base / 2 + Math.random() * (base / 2)));
    },
    connectionParams: async () => {
      const token = await freshToken();
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: () => setLiveStatus(everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        everConnected = true;
        setLiveStatus('live');
      },
      closed: (event) => {
        const code = (event as CloseEvent | undefined)?.code;
        if (code === 4403 && getSession()?.kind === 'token') setSession(null);
        setLiveStatus(everConnected ? 'reconnecting' : 'idle');
      },
    },
  });
  const client = new Client({
    url: '/graphql',
    fetch: authFetch,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, ws };
}
