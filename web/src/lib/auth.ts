// Talking to the sign-in API (CONTRACT §5) outside the urql client, so that
// the client itself can renew its token before a request.
import { stringifyDocument } from 'urql';
import { graphql } from '../gql';
import type { Session } from './session';
import { getSession, mayResume, sessionFromToken, setSession, subscribeSession } from './session';

const RefreshDocument = graphql(`
  mutation RefreshSession {
    refreshSession(input: {}) {
      accessToken
      tenant { id name }
      userErrors { message code }
    }
  }
`);

let refreshing: Promise<Session | null> | null = null;

/**
 * refresh renews a sign-in session with the refresh cookie. Concurrent
 * callers share one request (the server rotates the cookie: two requests with
 * the same one would end the session).
 */
export function refresh(): Promise<Session | null> {
  if (!refreshing) {
    refreshing = doRefresh().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function doRefresh(): Promise<Session | null> {
  try {
    const res = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: stringifyDocument(RefreshDocument), operationName: 'RefreshSession' }),
    });
    if (!res.ok) return null;
    const body = await res.json();
    const p = body?.data?.refreshSession;
    if (!p?.accessToken) return null;
    const s = sessionFromToken(p.accessToken, 'password', p.tenant?.name);
    if (s) setSession(s);
    return s;
  } catch {
    return null;
  }
}

/** freshToken returns a token good for at least half a minute, renewing it when it can. */
export async function freshToken(): Promise<string | null> {
  const s = getSession();
  if (s && (s.expiresAt === 0 || s.expiresAt - Date.now() > 30_000)) return s.accessToken;
  if ((s && s.kind === 'password') || (!s && mayResume())) {
    const r = await refresh();
    if (r) return r.accessToken;
  }
  if (s && s.expiresAt > Date.now()) return s.accessToken;
  return null;
}

// A sign-in session renews itself a minute before its access token expires,
// so that a page left open (and its live connection) keeps working.
let renewal: ReturnType<typeof setTimeout> | undefined;
let renewalFor: string | undefined;
function scheduleRenewal() {
  const s = getSession();
  if (s?.accessToken === renewalFor) return;
  clearTimeout(renewal);
  renewalFor = s?.accessToken;
  if (!s || s.kind !== 'password' || !s.expiresAt) return;
  const wait = Math.max(5_000, s.expiresAt - Date.now() - 60_000);
  renewal = setTimeout(() => void refresh(), wait);
}
subscribeSession(scheduleRenewal);
