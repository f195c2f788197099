// Who may talk to the local server. The server listens on loopback only, but any web page the
// user visits can still reach 127.0.0.1: these checks close that door.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'handset_session';

/** Host names that mean "this machine"; anything else is a DNS-rebinding attempt. */
const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];

/** The exact `Host` values the server answers to: a loopback name or address with our port. */
export function allowedHosts(port: number): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((h) => `${h}:${port}`));
}

/** The page's own origins (what a browser sends as `Origin` from the UI). */
export function allowedOrigins(port: number): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((h) => `http://${h}:${port}`));
}

/** The cookie value is derived from the token, so the token itself never travels after the first request. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('handset web session v1').digest('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function tokenMatches(token: string, given: string | null | undefined): boolean {
  return typeof given === 'string' && sameSecret(token, given);
}

/** True when the Cookie header carries our session. */
export function hasSession(token: string, cookieHeader: string | undefined): boolean {
  if (cookieHeader === undefined || cookieHeader.length > 4096) return false;
  const want = sessionValue(token);
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE && sameSecret(part.slice(eq + 1).trim(), want)) return true;
  }
  return false;
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${sessionValue(token)}; HttpOnly; SameSite=Strict; Path=/`;
}

export interface GuardInput {
  readonly method: string;
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly secFetchSite: string | undefined;
  readonly upgrade: boolean;
}

export type GuardVerdict = { readonly ok: true } | { readonly ok: false; readonly status: number; readonly reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Host and Origin checks, before any token check. WebSocket upgrades and state-changing requests
 * must come from our own origin; cross-site fetch metadata is refused on every request.
 */
export function checkRequest(input: GuardInput, port: number): GuardVerdict {
  if (input.host === undefined || !allowedHosts(port).has(input.host.toLowerCase())) {
    return { ok: false, status: 421, reason: 'Host is not a loopback address with this server\'s port' };
  }
  // No CORS at all: a preflight is answered with a refusal and no Access-Control-* headers.
  if (input.method === 'OPTIONS') return { ok: false, status: 405, reason: 'cross-origin requests are not served' };
  if (input.secFetchSite !== undefined && input.secFetchSite !== 'same-origin' && input.secFetchSite !== 'none') {
    return { ok: false, status: 403, reason: `request from a ${input.secFetchSite} page` };
  }
  const needsOrigin = input.upgrade || !SAFE_METHODS.has(input.method);
  if (needsOrigin && (input.origin === undefined || !allowedOrigins(port).has(input.origin.toLowerCase()))) {
    return { ok: false, status: 403, reason: 'Origin is not the handset page' };
  }
  return { ok: true };
}
