// The signed-in session: an access token (a JWT of CONTRACT §2) and what its
// claims say. A session from sign-in keeps its access token in memory only and
// is renewed with refreshSession, whose refresh token travels in an HttpOnly
// cookie the page never sees (a reload renews it the same way); a session from
// a pasted token (the `token` command) is kept in the tab's sessionStorage and
// simply ends when the token does.

export type SessionKind = 'password' | 'token';

export interface Session {
  accessToken: string;
  kind: SessionKind;
  tenantId: string;
  subject: string;
  roles: string[];
  /** Milliseconds since the epoch. */
  expiresAt: number;
  tenantName?: string;
}

const storageKey = 'inventory.session';
const hadSessionKey = 'inventory.signedIn';

type Claims = { sub?: string; tenant_id?: string; roles?: string[]; exp?: number };

/** decodeClaims reads a JWT's payload without verifying it (the server does). */
export function decodeClaims(token: string): Claims | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      atob(b64.padEnd(b64.length + ((4 - (b64.length % 4)) % 4), '='))
        .split('')
        .map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'))
        .join(''),
    );
    return JSON.parse(json) as Claims;
  } catch {
    return null;
  }
}

/** sessionFromToken builds a session from an access token's claims. */
export function sessionFromToken(token: string, kind: SessionKind, tenantName?: string): Session | null {
  const c = decodeClaims(token.trim());
  if (!c || !c.tenant_id || !c.sub) return null;
  return {
    accessToken: token.trim(),
    kind,
    tenantId: c.tenant_id,
    subject: c.sub,
    roles: (c.roles ?? []).map((r) => r.toLowerCase()),
    expiresAt: (c.exp ?? 0) * 1000,
    tenantName,
  };
}

let current: Session | null = load();
const listeners = new Set<() => void>();

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(storageKey);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (s.kind !== 'token' || (s.expiresAt && s.expiresAt < Date.now())) return null;
    return s;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return current;
}

export function setSession(s: Session | null): void {
  current = s;
  try {
    if (s?.kind === 'token') {
      sessionStorage.setItem(storageKey, JSON.stringify(s));
    } else if (s) {
      sessionStorage.removeItem(storageKey);
      localStorage.setItem(hadSessionKey, '1');
    } else {
      sessionStorage.removeItem(storageKey);
      localStorage.removeItem(hadSessionKey);
    }
  } catch {
    // Storage may be unavailable (private mode): the session lives in memory.
  }
  listeners.forEach((l) => l());
}

/** mayResume says whether a refresh cookie may be waiting from an earlier sign-in. */
export function mayResume(): boolean {
  try {
    return localStorage.getItem(hadSessionKey) === '1';
  } catch {
    return false;
  }
}

export function subscribeSession(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** hasRole says whether the session's roles include role (roles nest). */
export function hasRole(s: Session | null, role: 'viewer' | 'operator' | 'admin'): boolean {
  if (!s) return false;
  const rank = { viewer: 1, operator: 2, admin: 3 } as const;
  const best = Math.max(0, ...s.roles.map((r) => rank[r as keyof typeof rank] ?? 0));
  return best >= rank[role];
}
