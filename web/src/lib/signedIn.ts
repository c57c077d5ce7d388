import { sessionFromToken, setSession } from './session';

interface AuthResult {
  accessToken?: string | null;
  tenant?: { name: string } | null;
  userErrors: { message: string }[];
}

/** startSession keeps the access token an AuthPayload brings; it returns an error to show, or null. */
export function startSession(p: AuthResult | undefined, fallback: string): string | null {
  if (!p) return fallback;
  if (p.userErrors.length > 0) return p.userErrors.map((e) => e.message).join(' ');
  const s = p.accessToken ? sessionFromToken(p.accessToken, 'password', p.tenant?.name) : null;
  if (!s) return fallback;
  setSession(s);
  return null;
}

/** safeNext keeps a post-sign-in destination on this site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/stock';
}
