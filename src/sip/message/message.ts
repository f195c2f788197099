// A parsed (or built) SIP message: the bytes it came in, a table of header boundaries, and
// caches filled on first access. Strings are made only when a getter asks for them.
import { ascii, unfoldedText, useText, utf8 } from './bytes.js';
import { HeaderId, headerIdOf, headerNameOf } from './header-names.js';
import { HeaderFault, parseHeaderValue, type HeaderTypes } from './header-parsers.js';
import { parseUri, type Uri } from './uri/index.js';
import type { Via } from './header-types.js';
import type { ViaRanges } from './scan-via.js';

/** Header table flags (stored above the 8 id bits). */
export const FOLDED = 0x100;
export const EDITED = 0x200;
const ID_MASK = 0xff;

/** One header line as it appears in the message. */
export interface HeaderField {
  name: string;
  value: string;
}

export class SipMessage {
  /** The buffer holding the message (from `startOffset` to `bodyEnd`; for a datagram it may hold more). */
  buf: Buffer;
  readonly isRequest: boolean;
  /** The request method; for a response, the CSeq method. */
  method: string;
  /** Status code of a response; 0 for a request. */
  status: number;
  /** CSeq sequence number (0..2^32-1). */
  cseq: number;
  /** Offset in `buf` where the start line begins (after any leading CRLFs). */
  startOffset = 0;
  /** @internal start line ranges in `buf` */
  uriStart = 0;
  /** @internal */ uriEnd = 0;
  /** @internal */ reasonStart = 0;
  /** @internal */ reasonEnd = 0;
  /** @internal first header line (after the start line's line end) */
  headerStart = 0;
  /** @internal */ bodyStart = 0;
  /** @internal */ bodyEnd = 0;
  /** @internal header table, 4 numbers per field: id|flags, name start (or edit index), value start, value end */
  h: number[] = [];
  /** @internal first index (in fields) of the hot headers, -1 when absent */
  iVia = -1;
  /** @internal */ iFrom = -1;
  /** @internal */ iTo = -1;
  /** @internal */ iCallId = -1;
  /** @internal */ iCSeq = -1;
  /** @internal */ iContentLength = -1;
  /** @internal ranges found by the eager scan; -1 when absent */
  fromTagStart = -1;
  /** @internal */ fromTagEnd = -1;
  /** @internal */ toTagStart = -1;
  /** @internal */ toTagEnd = -1;
  /** @internal */ branchStart = -1;
  /** @internal */ branchEnd = -1;
  /** @internal top Via sent-by host range and port (-1 when absent) */
  viaHostStart = -1;
  /** @internal */ viaHostEnd = -1;
  /** @internal */ viaPortValue = -1;
  /** @internal From/To name-addr ranges found by the eager scan (display, URI, then params) */
  fromRanges: number[] | undefined = undefined;
  /** @internal */ toRanges: number[] | undefined = undefined;
  /** @internal the top Via value as scanned by parseMessage (ranges, params, end position) */
  viaTop: { ranges: ViaRanges; params: number[]; end: number } | undefined = undefined;
  /**
   * @internal edited header values: name and bytes. Also set (empty) on a message built without
   * the eager scan (build.ts): the range fields above are then unset and getters read typed values.
   */
  edits: { name: string; bytes: Buffer }[] | undefined = undefined;
  /** @internal the wire bytes when known to equal what serializeMessage writes (built messages); edits drop it */
  wire: Buffer | undefined = undefined;
  private callIdText: string | undefined = undefined;
  private typed: unknown[] | undefined = undefined;
  /** @internal start line and header section as text (see headerText) */
  text: string | undefined = undefined;
  /** @internal the parsed Request-URI (null: does not parse), filled on first read or by validateMessage */
  uriValue: Uri | null | undefined = undefined;
  /** @internal */ bodyBytes: Buffer | undefined = undefined;

  constructor(buf: Buffer, isRequest: boolean, method: string, status: number, cseq: number) {
    this.buf = buf;
    this.isRequest = isRequest;
    this.method = method;
    this.status = status;
    this.cseq = cseq;
  }

  get isResponse(): boolean {
    return !this.isRequest;
  }

  /** The Request-URI as written (requests), '' for responses. */
  get requestUriText(): string {
    return utf8(this.buf, this.uriStart, this.uriEnd);
  }

  /** The Request-URI parsed; undefined for responses or when it does not parse. */
  get requestUri(): Uri | undefined {
    if (!this.isRequest) return undefined;
    if (this.uriValue === undefined) {
      const r = parseUri(this.requestUriText);
      this.uriValue = r.ok ? r.value : null;
    }
    return this.uriValue ?? undefined;
  }

  /** The Reason-Phrase of a response (UTF-8), '' for requests. */
  get reason(): string {
    return utf8(this.buf, this.reasonStart, this.reasonEnd);
  }

  get callId(): string {
    if (this.callIdText === undefined) this.callIdText = this.header(HeaderId.CallId) ?? '';
    return this.callIdText;
  }

  get fromTag(): string | undefined {
    if (this.edits !== undefined) return this.get(HeaderId.From)?.tag;
    return this.fromTagStart < 0 ? undefined : utf8(this.buf, this.fromTagStart, this.fromTagEnd);
  }

  get toTag(): string | undefined {
    if (this.edits !== undefined) return this.get(HeaderId.To)?.tag;
    return this.toTagStart < 0 ? undefined : utf8(this.buf, this.toTagStart, this.toTagEnd);
  }

  /** The branch parameter of the top Via (RFC 3261 §17.2.3 transaction key). */
  get branch(): string | undefined {
    if (this.edits !== undefined) return this.topVia?.branch;
    return this.branchStart < 0 ? undefined : utf8(this.buf, this.branchStart, this.branchEnd);
  }

  /** sent-by host of the top Via (IPv6 in brackets), as the transaction layer matches it (§17.2.3). */
  get viaHost(): string | undefined {
    if (this.edits !== undefined) return this.topVia?.host;
    return this.viaHostStart < 0 ? undefined : ascii(this.buf, this.viaHostStart, this.viaHostEnd);
  }

  /** sent-by port of the top Via; undefined when it has none. */
  get viaPort(): number | undefined {
    if (this.edits !== undefined) return this.topVia?.port;
    return this.viaPortValue < 0 ? undefined : this.viaPortValue;
  }

  /** The top Via value (first value of the first Via header). */
  get topVia(): Via | undefined {
    return this.get(HeaderId.Via)?.[0];
  }

  /** The body (a view on the message bytes). */
  get body(): Buffer {
    if (this.bodyBytes === undefined) this.bodyBytes = this.buf.subarray(this.bodyStart, this.bodyEnd);
    return this.bodyBytes;
  }

  /** Number of header lines. */
  get headerCount(): number {
    return this.h.length >> 2;
  }

  /** @internal the bytes that hold field `i`'s value */
  source(i: number): Buffer {
    const f = this.h[i * 4]!;
    return (f & EDITED) !== 0 ? this.edits![this.h[i * 4 + 1]!]!.bytes : this.buf;
  }

  /** Header id of field `i`. */
  idAt(i: number): HeaderId {
    return this.h[i * 4]! & ID_MASK;
  }

  /** Name of field `i` as written (canonical for edited fields). */
  nameAt(i: number): string {
    const f = this.h[i * 4]!;
    if ((f & EDITED) !== 0) return this.edits![this.h[i * 4 + 1]!]!.name;
    const s = this.h[i * 4 + 1]!;
    let e = s;
    const b = this.buf;
    while (e < b.length && b[e] !== 0x3a && b[e] !== 0x20 && b[e] !== 0x09) e++;
    return ascii(b, s, e);
  }

  /** Value of field `i`, folds replaced by one space (RFC 3261 §7.3.1). */
  valueAt(i: number): string {
    const f = this.h[i * 4]!;
    const src = this.source(i);
    const s = this.h[i * 4 + 2]!;
    const e = this.h[i * 4 + 3]!;
    if ((f & FOLDED) !== 0) return unfoldedText(src, s, e);
    return src === this.buf && this.text ? this.text.slice(s, e) : utf8(src, s, e);
  }

  /** Index of the first field with `id` (or the given extension name), from `from`; -1 if none. */
  indexOf(name: HeaderId | string, from = 0): number {
    if (typeof name !== 'string' && name !== HeaderId.Other) return this.firstIndex(name, from);
    const id = typeof name === 'string' ? headerIdOf(name) : name;
    const lower = id === HeaderId.Other && typeof name === 'string' ? name.toLowerCase() : '';
    const h = this.h;
    for (let i = from * 4; i < h.length; i += 4) {
      if ((h[i]! & ID_MASK) !== id) continue;
      if (id !== HeaderId.Other || this.nameAt(i >> 2).toLowerCase() === lower) return i >> 2;
    }
    return -1;
  }

  has(name: HeaderId | string): boolean {
    return this.indexOf(name) >= 0;
  }

  /** First value of a header (raw text, unfolded), undefined when absent. */
  header(name: HeaderId | string): string | undefined {
    const i = this.indexOf(name);
    return i < 0 ? undefined : this.valueAt(i);
  }

  /** Every line of a header, in order (each may hold several comma-separated values). */
  headerAll(name: HeaderId | string): string[] {
    const out: string[] = [];
    for (let i = this.indexOf(name); i >= 0; i = this.indexOf(name, i + 1)) out.push(this.valueAt(i));
    return out;
  }

  /** All header lines in order, names as written. */
  headerList(): HeaderField[] {
    const out: HeaderField[] = [];
    for (let i = 0; i < this.headerCount; i++) out.push({ name: this.nameAt(i), value: this.valueAt(i) });
    return out;
  }

  /**
   * A known header parsed to its type (lists merged over repeated lines), cached. Undefined
   * when absent or malformed (`headerError` says why).
   */
  get<K extends keyof HeaderTypes>(id: K): HeaderTypes[K] | undefined {
    const v = this.parsed(id);
    return v instanceof HeaderFault ? undefined : (v as HeaderTypes[K] | undefined);
  }

  /** Why a present header does not parse; undefined when it parses or is absent. */
  headerError(id: keyof HeaderTypes): string | undefined {
    return this.headerFault(id)?.reason;
  }

  /** `headerError` with the byte offset (in `buf`) where the fault was found, when known. */
  headerFault(id: keyof HeaderTypes): { reason: string; offset: number | undefined } | undefined {
    const v = this.parsed(id);
    return v instanceof HeaderFault ? v : undefined;
  }

  /** Typed value, a HeaderFault, or undefined (absent or untyped); cached at the first line's index. */
  private parsed(id: HeaderId): unknown {
    const i = this.firstIndex(id, 0);
    if (i < 0) return undefined;
    const cache = (this.typed ??= new Array<unknown>(this.headerCount));
    let v = cache[i];
    if (v === undefined) {
      const text = this.headerText();
      useText(text === '' ? undefined : this.buf, text);
      v = parseHeaderValue(this, id, i);
      useText(undefined, '');
      cache[i] = v;
    }
    return v === null ? undefined : v;
  }

  /** @internal index of the first field with known id `id` at or after `from`, or -1 */
  firstIndex(id: HeaderId, from: number): number {
    const h = this.h;
    for (let k = from * 4; k < h.length; k += 4) if ((h[k]! & ID_MASK) === id) return k >> 2;
    return -1;
  }

  /**
   * @internal The start line and header section decoded once (from offset 0 so offsets match),
   * or '' when they hold non-ASCII bytes (then ranges are decoded one by one).
   */
  headerText(): string {
    if (this.text === undefined) {
      // Every UTF-8 form but one-byte ASCII decodes to fewer UTF-16 units than bytes (an
      // invalid byte to one U+FFFD), so an equal length means offsets line up one to one.
      const text = utf8(this.buf, 0, this.bodyStart);
      this.text = text.length === this.bodyStart ? text : '';
    }
    return this.text;
  }

  /** @internal drops caches after an edit; `at`: only field `at` changed (the others kept their index) */
  invalidate(at?: number): void {
    if (at !== undefined && this.typed !== undefined) this.typed[at] = undefined;
    else this.typed = undefined;
    this.callIdText = undefined;
  }

  /** Canonical name for a header id, or the given name for extension headers. */
  static nameFor(name: HeaderId | string): string {
    const id = typeof name === 'string' ? headerIdOf(name) : name;
    return id === HeaderId.Other ? String(name) : headerNameOf(id);
  }
}
