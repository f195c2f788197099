// Changing a message in place: edited header lines keep their position; untouched ones keep
// their bytes. Caches are dropped so getters see the change.
import { HeaderId, headerIdOf } from './header-names.js';
import { EDITED, SipMessage } from './message.js';
import { parseCSeq } from './parse-simple-headers.js';

function editEntry(msg: SipMessage, id: HeaderId, name: string, value: string): [number, number, number, number] {
  const edits = (msg.edits ??= []);
  const bytes = Buffer.from(value, 'utf8');
  edits.push({ name, bytes });
  return [id | EDITED, edits.length - 1, 0, bytes.length];
}

function changed(msg: SipMessage, id: HeaderId, at?: number): void {
  msg.edits ??= [];
  msg.wire = undefined;
  msg.invalidate(at);
  if (id === HeaderId.CSeq) {
    const i = msg.indexOf(HeaderId.CSeq);
    if (i >= 0) {
      const r = parseCSeq(msg.source(i), msg.h[i * 4 + 2]!, msg.h[i * 4 + 3]!);
      if (typeof r !== 'string') msg.cseq = r.seq;
    }
  }
}

/**
 * Replaces every line of header `name` by one line per value, at the place of the first
 * (appended when absent). An empty list removes the header.
 */
export function setHeader(msg: SipMessage, name: HeaderId | string, value: string | readonly string[]): void {
  const values = typeof value === 'string' ? [value] : value;
  const id = typeof name === 'string' ? headerIdOf(name) : name;
  const spelled = SipMessage.nameFor(name);
  const first = msg.indexOf(name);
  if (first >= 0 && replaceInPlace(msg, name, id, spelled, first, values)) return;
  removeHeader(msg, name);
  const at = first < 0 ? msg.headerCount : first;
  const fresh = values.flatMap((v) => editEntry(msg, id, spelled, v));
  msg.h.splice(at * 4, 0, ...fresh);
  changed(msg, id);
}

/**
 * `setHeader` when the header has as many lines as `values`, one after another from `first`
 * (stamping received/rport on Via): they are replaced where they are, so every other field keeps
 * its index and its parsed value.
 */
function replaceInPlace(msg: SipMessage, name: HeaderId | string, id: HeaderId, spelled: string, first: number, values: readonly string[]): boolean {
  const n = values.length;
  if (n === 0) return false;
  for (let k = 1; k < n; k++) if (msg.indexOf(name, first + k) !== first + k) return false;
  if (msg.indexOf(name, first + n) >= 0) return false;
  for (let k = 0; k < n; k++) msg.h.splice((first + k) * 4, 4, ...editEntry(msg, id, spelled, values[k]!));
  changed(msg, id, first);
  return true;
}

/** Adds a header line: `top` puts it before the first line of that header (Via, Route), else last. */
export function addHeader(msg: SipMessage, name: HeaderId | string, value: string, where: 'top' | 'bottom' = 'bottom'): void {
  const id = typeof name === 'string' ? headerIdOf(name) : name;
  const entry = editEntry(msg, id, SipMessage.nameFor(name), value);
  let at = msg.headerCount;
  if (where === 'top') {
    const first = msg.indexOf(name);
    if (first >= 0) at = first;
  } else {
    let last = -1;
    for (let i = msg.indexOf(name); i >= 0; i = msg.indexOf(name, i + 1)) last = i;
    if (last >= 0) at = last + 1;
  }
  msg.h.splice(at * 4, 0, ...entry);
  changed(msg, id);
}

/** Removes every line of a header; returns how many were removed. */
export function removeHeader(msg: SipMessage, name: HeaderId | string): number {
  let n = 0;
  for (let i = msg.indexOf(name); i >= 0; i = msg.indexOf(name, i)) {
    msg.h.splice(i * 4, 4);
    n++;
  }
  if (n > 0) changed(msg, typeof name === 'string' ? headerIdOf(name) : name);
  return n;
}

/** Replaces the body (Content-Length follows on serialize); sets Content-Type when given. */
export function setBody(msg: SipMessage, body: Buffer | string, contentType?: string): void {
  msg.bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  msg.wire = undefined;
  if (contentType !== undefined) setHeader(msg, HeaderId.ContentType, contentType);
  msg.edits ??= [];
}
