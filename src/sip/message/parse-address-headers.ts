// Typed parsing of the address-like headers from byte ranges: Via, From/To, Contact, Route,
// Record-Route, Path, Refer-To, Referred-By, P-Asserted-Identity, Call-Info/Alert-Info.
import { ascii, COMMA, matchesLower, skipLws, utf8 } from './bytes.js';
import type { ContactValue, InfoValue, NameAddr, Params, Via } from './header-types.js';
import { newNameAddrRanges, scanNameAddr, type NameAddrRanges } from './scan-name-addr.js';
import { fail, findParam, paramsMap, scanError, unquote, valueText } from './scan-params.js';
import { newViaRanges, scanVia, type ViaRanges } from './scan-via.js';
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

/** The value of parameter `name` in `ranges` (from `from`), unquoted; undefined when absent. */
function param(b: Buffer, ranges: readonly number[], from: number, name: string): string | undefined {
  const j = findParam(b, ranges, from, name);
  return j < 0 ? undefined : valueText(b, ranges[j + 2]!, ranges[j + 3]!);
}

/**
 * A name-addr read lazily from its byte ranges (`r`: display start/end, URI start/end, then
 * parameter ranges): strings, the parameter map and the parsed URI are made on first read.
 * A URI that does not parse reads as an opaque URI; `uriError` says why.
 */
export class ParsedNameAddr implements NameAddr {
  private cachedUri: Uri | undefined = undefined;
  private cachedText: string | undefined = undefined;
  private cachedParams: Params | undefined = undefined;
  private fault: string | undefined = undefined;
  readonly tag: string | undefined;

  constructor(protected readonly src: Buffer, protected readonly r: readonly number[]) {
    this.tag = r.length > 4 ? param(src, r, 4, 'tag') : undefined;
  }

  get displayName(): string | undefined {
    const ds = this.r[0]!;
    if (ds < 0) return undefined;
    return this.src[ds] === 0x22 ? unquote(this.src, ds, this.r[1]!) : utf8(this.src, ds, this.r[1]!);
  }

  get uriText(): string {
    return (this.cachedText ??= utf8(this.src, this.r[2]!, this.r[3]!));
  }

  get params(): Params {
    return (this.cachedParams ??= paramsMap(this.src, this.r, 4));
  }

  get uri(): Uri {
    if (this.cachedUri === undefined) {
      const text = this.uriText;
      const r = parseUri(text);
      if (r.ok) this.cachedUri = r.value;
      else {
        this.fault = r.error;
        const colon = text.indexOf(':');
        this.cachedUri = { scheme: colon < 0 ? '' : text.slice(0, colon), value: text.slice(colon + 1) };
      }
    }
    return this.cachedUri;
  }

  get uriError(): string | undefined {
    void this.uri;
    return this.fault;
  }

  /** The value as a plain object (JSON and console output show values, not ranges). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { displayName: this.displayName, uri: this.uri, uriText: this.uriText, params: Object.fromEntries(this.params), tag: this.tag };
    for (const k of Object.keys(this)) if (!(k in out) && k !== 'src' && k !== 'r' && !k.startsWith('cached') && k !== 'fault') out[k] = (this as unknown as Record<string, unknown>)[k];
    return out;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): unknown {
    return this.toJSON();
  }
}

/** Scans one name-addr at `p` into a fresh ranges array; returns [end, value] or the end (< 0). */
function nameAddrAt(b: Buffer, p: number, e: number, needBrackets: boolean, list: boolean, out: ParsedNameAddr[] | null): number | ParsedNameAddr {
  const ranges = [-1, -1, 0, 0];
  const q = scanNameAddr(b, p, e, naRanges, ranges, needBrackets, list);
  if (q < 0) return q;
  ranges[0] = naRanges.displayStart;
  ranges[1] = naRanges.displayEnd;
  ranges[2] = naRanges.uriStart;
  ranges[3] = naRanges.uriEnd;
  const v = new ParsedNameAddr(b, ranges);
  if (out === null) return v;
  out.push(v);
  return q;
}

function nameAddrList(needBrackets: boolean): ListParser<NameAddr> {
  return (b, s, e, out) => eachElement(b, s, e, (p) => nameAddrAt(b, p, e, needBrackets, true, out as ParsedNameAddr[]) as number);
}

/** Route, Record-Route, Path, Service-Route: name-addr only (RFC 3261 §20.30, §20.34). */
export const parseRouteList = nameAddrList(true);
/** P-Asserted-Identity and similar lists allowing addr-spec. */
export const parseNameAddrList = nameAddrList(false);

/** From, To, Refer-To, Referred-By: one name-addr / addr-spec with parameters. */
export function parseNameAddr(b: Buffer, s: number, e: number): NameAddr | string {
  const v = nameAddrAt(b, s, e, false, false, null);
  return typeof v === 'number' ? where(scanError.reason, scanError.at) : v;
}

/** A Contact value with its RFC 3261 §20.10 / RFC 5626 §4.1 parameters read out. */
class ParsedContact extends ParsedNameAddr implements ContactValue {
  expires: number | undefined = undefined;
  q: number | undefined = undefined;
  instance: string | undefined = undefined;
  regId: number | undefined = undefined;
}

export const parseContactList: ListParser<ContactValue> = (b, s, e, out) =>
  eachElement(b, s, e, (p) => {
    const ranges = [-1, -1, 0, 0];
    const q = scanNameAddr(b, p, e, naRanges, ranges, false, true);
    if (q < 0) return q;
    ranges[0] = naRanges.displayStart;
    ranges[1] = naRanges.displayEnd;
    ranges[2] = naRanges.uriStart;
    ranges[3] = naRanges.uriEnd;
    const c = new ParsedContact(b, ranges);
    if (ranges.length > 4) {
      const expires = param(b, ranges, 4, 'expires');
      const qv = param(b, ranges, 4, 'q');
      const regId = param(b, ranges, 4, 'reg-id');
      const instance = param(b, ranges, 4, '+sip.instance');
      c.instance = instance !== undefined && instance.startsWith('<') && instance.endsWith('>') ? instance.slice(1, -1) : instance;
      if (expires !== undefined && (c.expires = deltaSeconds(expires)) === undefined) return fail(`bad expires parameter "${expires}"`, p);
      if (qv !== undefined && (c.q = qValue(qv)) === undefined) return fail(`bad q parameter "${qv}"`, p);
      if (regId !== undefined && (c.regId = deltaSeconds(regId)) === undefined) return fail(`bad reg-id parameter "${regId}"`, p);
    }
    out.push(c);
    return q;
  });

const transports = ['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'];
const transportsLower = transports.map((t) => t.toLowerCase());

/** One Via value read from its ranges; the parameter map is made on first read. */
class ParsedVia implements Via {
  readonly protocol: string;
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly branch: string | undefined;
  readonly received: string | undefined;
  readonly rport: number | true | undefined;
  readonly maddr: string | undefined;
  readonly ttl: number | undefined;
  private cachedParams: Params | undefined = undefined;

  constructor(private readonly src: Buffer, r: ViaRanges, private readonly ranges: readonly number[]) {
    const b = src;
    const sipTwo = r.protocolEnd - r.protocolStart === 3 && matchesLower(b, r.protocolStart, r.protocolEnd, 'sip')
      && r.versionEnd - r.versionStart === 3 && b[r.versionStart] === 0x32 && b[r.versionStart + 1] === 0x2e && b[r.versionStart + 2] === 0x30;
    this.protocol = sipTwo ? 'SIP/2.0' : `${ascii(b, r.protocolStart, r.protocolEnd)}/${ascii(b, r.versionStart, r.versionEnd)}`;
    let transport: string | undefined;
    for (let k = 0; k < transports.length && transport === undefined; k++) {
      const t = transportsLower[k]!;
      if (r.transportEnd - r.transportStart === t.length && matchesLower(b, r.transportStart, r.transportEnd, t)) transport = transports[k];
    }
    this.transport = transport ?? ascii(b, r.transportStart, r.transportEnd).toUpperCase();
    this.host = ascii(b, r.hostStart, r.hostEnd);
    this.port = r.port < 0 ? undefined : r.port;
    const n = ranges.length;
    this.branch = n > 0 ? param(b, ranges, 0, 'branch') : undefined;
    this.received = n > 0 ? param(b, ranges, 0, 'received') : undefined;
    const rport = n > 0 ? param(b, ranges, 0, 'rport') : undefined;
    this.rport = rport === undefined ? undefined : rport === '' ? true : deltaSeconds(rport) ?? true;
    this.maddr = n > 0 ? param(b, ranges, 0, 'maddr') : undefined;
    const ttl = n > 0 ? param(b, ranges, 0, 'ttl') : undefined;
    this.ttl = ttl === undefined ? undefined : deltaSeconds(ttl);
  }

  get params(): Params {
    return (this.cachedParams ??= paramsMap(this.src, this.ranges, 0));
  }

  /** The value as a plain object (JSON and console output show values, not ranges). */
  toJSON(): Record<string, unknown> {
    const { protocol, transport, host, port, branch, received, rport, maddr, ttl } = this;
    return { protocol, transport, host, port, branch, received, rport, maddr, ttl, params: Object.fromEntries(this.params) };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): unknown {
    return this.toJSON();
  }
}

/** The top Via from ranges parseMessage kept, then the rest of its line from `end` (at "," or the end). */
export function parseViaListAfterTop(b: Buffer, top: { ranges: ViaRanges; params: number[]; end: number }, e: number, out: Via[]): string | undefined {
  out.push(new ParsedVia(b, top.ranges, top.params));
  const p = skipLws(b, top.end, e);
  if (p >= e) return undefined;
  return b[p] === COMMA ? parseViaList(b, p + 1, e, out) : where('expected ","', p);
}

/** Via values (RFC 3261 §20.42). */
export const parseViaList: ListParser<Via> = (b, s, e, out) =>
  eachElement(b, s, e, (p) => {
    const ranges: number[] = [];
    const q = scanVia(b, p, e, viaRanges, ranges);
    if (q < 0) return q;
    out.push(new ParsedVia(b, viaRanges, ranges));
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
