import { err, ok, type Result } from '../../../util/index.js';
import { PASSWORD, TOKEN, USER, inClass, isDigit } from './char-classes.js';
import { unescapeRange } from './escape.js';
import { parseHost } from './host.js';
import { parseHeaders, parseParams } from './params.js';
import type { SipUri, UriParam } from './types.js';

const AT = 0x40;
const COLON = 0x3a;
const SEMI = 0x3b;
const QUESTION = 0x3f;

/**
 * Parses the part of a SIP/SIPS URI after `sip:`/`sips:` in text[start, end)
 * (RFC 3261 §19.1.1, §25.1: [ userinfo ] hostport uri-parameters [ headers ]).
 */
export function parseSipUriBody(scheme: 'sip' | 'sips', text: string, start: number, end: number): Result<SipUri> {
  const uri: SipUri = { scheme, host: '', hostKind: 'domain', params: [], headers: [] };
  let i = start;
  // userinfo can hold no raw '@' (user, password chars exclude it), nor can params or headers:
  // so the first '@' is the one that ends the userinfo.
  let at = start;
  while (at < end && text.charCodeAt(at) !== AT) at++;
  if (at < end) {
    let colon = start;
    while (colon < at && text.charCodeAt(colon) !== COLON) colon++;
    if (colon === start) return err('empty user in URI');
    const user = unescapeRange(text, start, colon, USER, 'user');
    if (!user.ok) return user;
    uri.user = user.value;
    if (colon < at) {
      const password = unescapeRange(text, colon + 1, at, PASSWORD, 'password');
      if (!password.ok) return password;
      uri.password = password.value;
    }
    i = at + 1;
  }
  // hostport: an IPv6 reference runs to its ']', any other host to ':', ';', '?' or the end.
  const hostStart = i;
  if (i < end && text.charCodeAt(i) === 0x5b) {
    while (i < end && text.charCodeAt(i) !== 0x5d) i++;
    if (i === end) return err('unterminated IPv6 reference in host');
    i++;
  } else {
    while (i < end && !isHostStop(text.charCodeAt(i))) i++;
  }
  if (text.charCodeAt(hostStart) !== 0x5b && i < end && text.charCodeAt(i) === COLON && hasSecondColon(text, i + 1, end)) {
    return err('IPv6 address without [ ] in URI host'); // RFC 5118 §4.2
  }
  const host = parseHost(text, hostStart, i);
  if (!host.ok) return host;
  uri.host = host.value.host;
  uri.hostKind = host.value.hostKind;
  if (i < end && text.charCodeAt(i) === COLON) {
    const portStart = ++i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    const port = i - portStart <= 5 ? Number(text.slice(portStart, i)) : NaN;
    if (i === portStart || !(port <= 65535)) return err('invalid port');
    uri.port = port;
  }
  if (i < end && text.charCodeAt(i) !== SEMI && text.charCodeAt(i) !== QUESTION) {
    return err(text.charCodeAt(i) === COLON ? 'invalid port' : `invalid character '${text[i]}' after host`);
  }
  const afterParams = parseParams(text, i, end, uri.params);
  if (!afterParams.ok) return afterParams;
  const checked = checkKnownParams(uri.params);
  if (!checked.ok) return checked;
  const afterHeaders = parseHeaders(text, afterParams.value, end, uri.headers);
  if (!afterHeaders.ok) return afterHeaders;
  if (afterHeaders.value !== end) return err(`invalid character '${text[afterHeaders.value]}' in URI`);
  return ok(uri);
}

/** A ':' after the host's ':' and before params or headers: an unbracketed IPv6 address. */
function hasSecondColon(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) return true;
    if (c === SEMI || c === QUESTION) return false;
  }
  return false;
}

function isHostStop(c: number): boolean {
  return c === COLON || c === SEMI || c === QUESTION;
}

/**
 * Values of the parameters RFC 3261 §19.1.1 defines (transport, user, method: token; ttl:
 * 0-255; maddr: a host). A bare name (`;transport`) is an other-param by the grammar.
 */
function checkKnownParams(params: UriParam[]): Result<void> {
  for (const p of params) {
    if (p.value === null) continue;
    const name = p.name.toLowerCase();
    const v = p.value;
    if (name === 'transport' || name === 'user' || name === 'method') {
      if (!isToken(v)) return err(`invalid ${name} parameter`);
    } else if (name === 'ttl') {
      if (v.length > 3 || !isDigits(v) || Number(v) > 255) return err('invalid ttl parameter');
    } else if (name === 'maddr') {
      if (!parseHost(v, 0, v.length).ok) return err('invalid maddr parameter');
    }
  }
  return ok(undefined);
}

function isToken(v: string): boolean {
  for (let i = 0; i < v.length; i++) if (!inClass(v.charCodeAt(i), TOKEN)) return false;
  return v.length > 0;
}

function isDigits(v: string): boolean {
  for (let i = 0; i < v.length; i++) if (!isDigit(v.charCodeAt(i))) return false;
  return v.length > 0;
}

