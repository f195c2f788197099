// Validation of the settings and account forms for the local engine: errors name the field.
import { parseUri } from '../sip/index.js';
import type { EngineCommandArg, EngineCommandResult, HandsetSettings } from '../ui/index.js';

export const arg = (name: string, type: EngineCommandArg['type'], description: string, required = false): EngineCommandArg => ({ name, type, required, description });

const TRANSPORTS = ['udp', 'tcp', 'tls', 'ws', 'wss'] as const;
const SRTP = ['off', 'optional', 'mandatory'] as const;
const FORWARD = ['off', 'always', 'busy', 'no-answer'] as const;
export const KNOWN_CODECS = ['PCMU', 'PCMA', 'G722', 'opus'] as const;

function oneOf<T extends string>(field: string, list: readonly T[], v: unknown): T | EngineCommandResult {
  return list.includes(v as T) ? (v as T) : { ok: false, error: `${field} must be one of ${list.join(', ')}`, field };
}

export function checkSipUri(field: string, v: unknown): EngineCommandResult | undefined {
  if (typeof v !== 'string' || v === '') return { ok: false, error: `${field} is required (a sip: URI such as sip:alice@example.com)`, field };
  const r = parseUri(v);
  if (!r.ok || (r.value.scheme !== 'sip' && r.value.scheme !== 'sips')) return { ok: false, error: `${field}: "${v}" is not a sip: or sips: URI`, field };
  return undefined;
}

/** Applies the given settings fields to `current`, or names the first bad field. */
export function applySettings(current: HandsetSettings, a: Readonly<Record<string, unknown>>): HandsetSettings | EngineCommandResult {
  const next: { -readonly [K in keyof HandsetSettings]: HandsetSettings[K] } = { ...current };
  if (a['dnd'] !== undefined) next.dnd = a['dnd'] as boolean;
  if (a['autoAnswer'] !== undefined) next.autoAnswer = a['autoAnswer'] as boolean;
  for (const [field, list] of [['transport', TRANSPORTS], ['srtp', SRTP], ['forwardMode', FORWARD]] as const) {
    if (a[field] === undefined) continue;
    const v = oneOf(field, list as readonly string[], a[field]);
    if (typeof v !== 'string') return v;
    (next as Record<string, unknown>)[field] = v;
  }
  if (a['forwardTo'] !== undefined) {
    const t = a['forwardTo'] as string;
    if (t !== '') {
      const bad = checkSipUri('forwardTo', t);
      if (bad) return bad;
    }
    next.forwardTo = t;
  }
  if (next.forwardMode !== 'off' && next.forwardTo === '') return { ok: false, error: 'forwardTo is required when forwarding is on', field: 'forwardTo' };
  if (a['codecOrder'] !== undefined) {
    const list = (a['codecOrder'] as string).split(',').map((c) => c.trim()).filter((c) => c !== '');
    const unknown = list.find((c) => !(KNOWN_CODECS as readonly string[]).includes(c));
    if (unknown !== undefined) return { ok: false, error: `codecOrder: unknown codec "${unknown}" (known: ${KNOWN_CODECS.join(', ')})`, field: 'codecOrder' };
    if (list.length === 0) return { ok: false, error: 'codecOrder must name at least one codec', field: 'codecOrder' };
    next.codecOrder = list;
  }
  return next;
}

export function checkAccount(a: Readonly<Record<string, unknown>>): EngineCommandResult | undefined {
  const bad = checkSipUri('aor', a['aor']);
  if (bad) return bad;
  if (typeof a['password'] !== 'string' || a['password'] === '') return { ok: false, error: 'password is required', field: 'password' };
  if (a['proxy'] !== undefined && a['proxy'] !== '') {
    const p = checkSipUri('proxy', a['proxy']);
    if (p) return p;
  }
  if (a['transport'] !== undefined) {
    const t = oneOf('transport', TRANSPORTS, a['transport']);
    if (typeof t !== 'string') return t;
  }
  return undefined;
}
