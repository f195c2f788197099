// Typed parsing of the address-like headers from byte ranges: Via, From/To, Contact, Route,
// Record-Route, Path, Refer-To, Referred-By, P-Asserted-Identity, Call-Info/Alert-Info.
import { utf8, ascii } from './bytes.js';
import { COMMA, skipLws } from './bytes.js';
import type { ContactValue, InfoValue, NameAddr, Params, Via } from './header-types.js';
import { newNameAddrRanges, scanNameAddr, type NameAddrRanges } from './scan-name-addr.js';
import { paramsMap, scanError, unquote } from './scan-params.js';
import { newViaRanges, scanVia } from './scan-via.js';
import { parseUri, type Uri } from './uri/index.js';

/** Appends parsed values to `out`; returns an error reason or undefined. */
export type ListParser<T> = (b: Buffer, s: number, e: number, out: T[]) => string | undefined;

const scratch: number[] = [];
const naRanges: NameAddrRanges = newNameAddrRanges();
const viaRanges = newViaRanges();

function where(reason: string, at: number): string {
  return `${reason} (offset ${at})`;
}

/** Walks a comma-separated list, calling `one` at each element start; `one` returns the end or -1. */
function eachElement(b: Buffer, s: number, e: number, one: (p: number) => number): string | undefined {
  let p = s;
  for (;;) {
    p = one(p);
    if (p < 0) return where(scanError.reason, scanError.at);
    p = skipLws(b, p, e);
    if (p >= e) return undefined;
    if (b[p] !== COMMA) return where('expected ","', p); // scanners stop only at end or ","
    p++;
  }
}

/**
 * A name-addr whose URI is parsed on first read of `uri` (most readers only want the tag or
 * the text). A URI that does not parse reads as an opaque URI; `uriError` says why.
 */
export class ParsedNameAddr implements NameAddr {
  private parsedUri: Uri | undefined = undefined;
  private fault: string | undefined = undefined;
  constructor(
    readonly displayName: string | undefined,
    readonly uriText: string,
    readonly params: Params,
    readonly tag: string | undefined,
  ) {}

  get uri(): Uri {
    if (this.parsedUri === undefined) {
      const r = parseUri(this.uriText);
      if (r.ok) this.parsedUri = r.value;
      else {
        this.fault = r.error;
        const colon = this.uriText.indexOf(':');
        this.parsedUri = { scheme: colon < 0 ? '' : this.uriText.slice(0, colon), value: this.uriText.slice(colon + 1) };
      }
    }
    return this.parsedUri;
  }

  get uriError(): string | undefined {
    void this.uri;
    return this.fault;
  }
}

function buildNameAddr(b: Buffer, r: NameAddrRanges, params: number[]): ParsedNameAddr {
  let displayName: string | undefined;
  if (r.displayStart >= 0) {
    displayName = b[r.displayStart] === 0x22 ? unquote(b, r.displayStart, r.displayEnd) : utf8(b, r.displayStart, r.displayEnd);
  }
  const map = paramsMap(b, params, r.paramsFrom);
  return new ParsedNameAddr(displayName, utf8(b, r.uriStart, r.uriEnd), map, map.get('tag'));
}

function nameAddrList(needBrackets: boolean): ListParser<ParsedNameAddr> {
  return (b, s, e, out) =>
    eachElement(b, s, e, (p) => {
      scratch.length = 0;
      const q = scanNameAddr(b, p, e, naRanges, scratch, needBrackets, true);
      if (q < 0) return q;
      out.push(buildNameAddr(b, naRanges, scratch));
      return q;
    });
}

/** Route, Record-Route, Path, Service-Route: name-addr only (RFC 3261 §20.30, §20.34). */
export const parseRouteList = nameAddrList(true);
/** P-Asserted-Identity and similar lists allowing addr-spec. */
export const parseNameAddrList = nameAddrList(false);

/** From, To, Refer-To, Referred-By: one name-addr / addr-spec with parameters. */
export function parseNameAddr(b: Buffer, s: number, e: number): ParsedNameAddr | string {
  scratch.length = 0;
  const q = scanNameAddr(b, s, e, naRanges, scratch, false, false);
  if (q < 0) return where(scanError.reason, scanError.at);
  return buildNameAddr(b, naRanges, scratch);
}

/** A Contact value with its RFC 3261 §20.10 / RFC 5626 §4.1 parameters read out. */
class ParsedContact extends ParsedNameAddr implements ContactValue {
  expires: number | undefined = undefined;
  q: number | undefined = undefined;
  instance: string | undefined = undefined;
  regId: number | undefined = undefined;
}

export const parseContactList: ListParser<ContactValue> = (b, s, e, out) => {
  const inner: ParsedNameAddr[] = [];
  const err = parseNameAddrList(b, s, e, inner);
  if (err !== undefined) return err;
  for (const na of inner) {
    const p = na.params;
    const c = new ParsedContact(na.displayName, na.uriText, p, na.tag);
    if (p.size > 0) {
      const expires = p.get('expires');
      const q = p.get('q');
      const regId = p.get('reg-id');
      const instance = p.get('+sip.instance');
      c.instance = instance !== undefined && instance.startsWith('<') && instance.endsWith('>') ? instance.slice(1, -1) : instance;
      if (expires !== undefined && (c.expires = deltaSeconds(expires)) === undefined) return `bad expires parameter "${expires}"`;
      if (q !== undefined && (c.q = qValue(q)) === undefined) return `bad q parameter "${q}"`;
      if (regId !== undefined && (c.regId = deltaSeconds(regId)) === undefined) return `bad reg-id parameter "${regId}"`;
    }
    out.push(c);
  }
  return undefined;
};

/** Via values (RFC 3261 §20.42). */
export const parseViaList: ListParser<Via> = (b, s, e, out) =>
  eachElement(b, s, e, (p) => {
    scratch.length = 0;
    const r = viaRanges;
    const q = scanVia(b, p, e, r, scratch);
    if (q < 0) return q;
    const params = paramsMap(b, scratch, 0);
    const rport = params.get('rport');
    const ttl = params.get('ttl');
    out.push({
      protocol: `${ascii(b, r.protocolStart, r.protocolEnd)}/${ascii(b, r.versionStart, r.versionEnd)}`,
      transport: ascii(b, r.transportStart, r.transportEnd).toUpperCase(),
      host: ascii(b, r.hostStart, r.hostEnd),
      port: r.port < 0 ? undefined : r.port,
      params,
      branch: params.get('branch'),
      received: params.get('received'),
      rport: rport === undefined ? undefined : rport === '' ? true : deltaSeconds(rport) ?? true,
      maddr: params.get('maddr'),
      ttl: ttl === undefined ? undefined : deltaSeconds(ttl),
    });
    return q;
  });

/** Call-Info, Alert-Info, Error-Info: `<absoluteURI> *(;param)` (RFC 3261 §20.9, §20.4). */
export const parseInfoList: ListParser<InfoValue> = (b, s, e, out) =>
  eachElement(b, s, e, (p) => {
    scratch.length = 0;
    const q = scanNameAddr(b, p, e, naRanges, scratch, true, true);
    if (q < 0) return q;
    const uriText = utf8(b, naRanges.uriStart, naRanges.uriEnd);
    const uri = parseUri(uriText);
    out.push({ uriText, uri: uri.ok ? uri.value : undefined, params: paramsMap(b, scratch, naRanges.paramsFrom) });
    return q;
  });

/** delta-seconds (and other 32-bit counters): digits up to 2^32-1, else undefined. */
export function deltaSeconds(text: string): number | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
    if (v > 0xffffffff) return undefined;
  }
  return v;
}

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 3261 §25.1). */
export function qValue(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 5 || (text[0] !== '0' && text[0] !== '1')) return undefined;
  if (n > 1 && text[1] !== '.') return undefined;
  for (let i = 2; i < n; i++) if (text.charCodeAt(i) < 0x30 || text.charCodeAt(i) > 0x39) return undefined;
  const v = Number(text);
  return v <= 1 ? v : undefined;
}
