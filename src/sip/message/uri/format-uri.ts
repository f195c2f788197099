import { HEADER, PARAM, PASSWORD, USER } from './char-classes.js';
import { escapeComponent } from './escape.js';
import type { SipUri, TelUri, Uri, UriParam } from './types.js';

/**
 * Writes a URI, escaping each part for its character class (RFC 3261 §19.1.2, §25.1), so
 * parsing the result gives back an equal value.
 */
export function formatUri(uri: Uri): string {
  if (isSipUri(uri)) return formatSipUri(uri);
  if (isTelUri(uri)) return 'tel:' + uri.number + formatParams(uri.params);
  return uri.scheme + ':' + uri.value;
}

export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel';
}

function formatSipUri(uri: SipUri): string {
  let out = uri.scheme + ':';
  if (uri.user !== undefined) {
    out += escapeComponent(uri.user, USER);
    if (uri.password !== undefined) out += ':' + escapeComponent(uri.password, PASSWORD);
    out += '@';
  }
  out += uri.host;
  if (uri.port !== undefined) out += ':' + uri.port;
  out += formatParams(uri.params);
  for (let i = 0; i < uri.headers.length; i++) {
    const h = uri.headers[i]!;
    out += (i === 0 ? '?' : '&') + escapeComponent(h.name, HEADER) + '=' + escapeComponent(h.value, HEADER);
  }
  return out;
}

function formatParams(params: UriParam[]): string {
  let out = '';
  for (const p of params) {
    out += ';' + escapeComponent(p.name, PARAM);
    if (p.value !== null) out += '=' + escapeComponent(p.value, PARAM);
  }
  return out;
}
