// Message → bytes. Untouched header lines are copied byte for byte as they came (folds and
// name spelling included); edited ones are written `Name: value`. Content-Length always says
// the real body length (RFC 3261 §20.14), at its original place or appended.
import { decimalValue } from './bytes.js';
import { HeaderId } from './header-names.js';
import { EDITED, type SipMessage } from './message.js';

const CRLF = Buffer.from('\r\n', 'latin1');

/** Serializes a message to wire bytes. */
export function serializeMessage(msg: SipMessage): Buffer {
  if (msg.wire !== undefined) return msg.wire;
  const body = msg.body;
  const parts: Buffer[] = [];
  const src = msg.buf;
  parts.push(src.subarray(msg.startOffset, msg.headerStart));
  let haveLength = false;
  const h = msg.h;
  for (let i = 0; i < h.length; i += 4) {
    const f = h[i]!;
    const id = f & 0xff;
    if (id === HeaderId.ContentLength) {
      if (haveLength) continue;
      haveLength = true;
      if ((f & EDITED) === 0 && decimalValue(src, h[i + 2]!, h[i + 3]!, 0x7fffffff) === body.length) {
        parts.push(src.subarray(h[i + 1]!, h[i + 3]!), CRLF);
        continue;
      }
      parts.push(Buffer.from(`${msg.nameAt(i >> 2)}: ${body.length}\r\n`, 'latin1'));
      continue;
    }
    if ((f & EDITED) !== 0) {
      const e = msg.edits![h[i + 1]!]!;
      parts.push(Buffer.from(`${e.name}: `, 'latin1'), e.bytes, CRLF);
    } else {
      parts.push(src.subarray(h[i + 1]!, h[i + 3]!), CRLF);
    }
  }
  if (!haveLength) parts.push(Buffer.from(`Content-Length: ${body.length}\r\n`, 'latin1'));
  parts.push(CRLF, body);
  return Buffer.concat(parts);
}
