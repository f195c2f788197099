/** SDP parser (RFC 8866 §5): a line scanner, no backtracking; every fault names its line. */
import { err, ok, type Result } from '../util/index.js';
import { attributeFault } from './attributes.js';
import { malformed, type SdpMalformed } from './errors.js';
import { decimal, fields, isDigits, isToken, splitFirst } from './tokens.js';
import type { SdpAttribute, SdpBandwidth, SdpConnection, SdpMedia, SdpOrigin, SessionDescription } from './types.js';

/** Bodies beyond this are refused: a call's SDP is a few hundred bytes. */
export const maxSdpBytes = 65536;

/**
 * Parses an SDP body. Lenient where peers commonly differ: LF-only line ends, trailing whitespace,
 * blank lines, repeated spaces between fields, a missing t= line, and session-level lines out of order.
 */
export function parseSdp(body: string | Buffer): Result<SessionDescription, SdpMalformed> {
  if (body.length > maxSdpBytes) return err(malformed(0, `SDP body larger than ${maxSdpBytes} bytes`));
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const sd: SessionDescription = {
    origin: { username: '', sessionId: '', sessionVersion: '', netType: '', addrType: '', address: '' },
    sessionName: '', emails: [], phones: [], bandwidths: [], timings: [], attributes: [], media: [],
  };
  let sawVersion = false;
  let sawOrigin = false;
  let sawName = false;
  let media: SdpMedia | undefined;
  let lineNo = 0;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(pos, end).trimEnd();
    pos = end + 1;
    if (line.length === 0) continue;
    if (line.length < 2 || line[1] !== '=') return err(malformed(lineNo, 'line is not of the form <type>=<value>'));
    const type = line[0]!;
    const value = line.slice(2);
    const fail = (reason: string) => err(malformed(lineNo, reason));
    if (!sawVersion) {
      // RFC 8866 §5.1: the description starts with v=0.
      if (type !== 'v') return fail('SDP must start with v=0');
      if (value.trim() !== '0') return fail(`v= line: unsupported version "${value}"`);
      sawVersion = true;
      continue;
    }
    if (type === 'm') {
      const m = parseMediaLine(value, lineNo);
      if (!m.ok) return m;
      media = m.value;
      sd.media.push(media);
      continue;
    }
    if (media !== undefined) {
      // RFC 8866 §5: a media section holds i=, c=, b=, k= and a= lines only.
      switch (type) {
        case 'i': if (media.title !== undefined) return fail('duplicate i= line in media section'); media.title = value; break;
        case 'c': { const c = parseConnection(value); if (!c.ok) return fail(c.error); media.connections.push(c.value); break; }
        case 'b': { const b = parseBandwidth(value); if (!b.ok) return fail(b.error); media.bandwidths.push(b.value); break; }
        case 'k': media.key = value; break;
        case 'a': { const a = parseAttribute(value, lineNo); if (!a.ok) return fail(a.error); media.attributes.push(a.value); break; }
        default: return fail(`${type}= line is not allowed in a media section`);
      }
      continue;
    }
    switch (type) {
      case 'v': return fail('duplicate v= line');
      case 'o': {
        if (sawOrigin) return fail('duplicate o= line');
        const o = parseOrigin(value);
        if (!o.ok) return fail(o.error);
        sd.origin = o.value;
        sawOrigin = true;
        break;
      }
      case 's': if (sawName) return fail('duplicate s= line'); sd.sessionName = value; sawName = true; break;
      case 'i': if (sd.info !== undefined) return fail('duplicate i= line'); sd.info = value; break;
      case 'u': if (sd.uri !== undefined) return fail('duplicate u= line'); sd.uri = value; break;
      case 'e': sd.emails.push(value); break;
      case 'p': sd.phones.push(value); break;
      case 'c': {
        if (sd.connection !== undefined) return fail('duplicate session-level c= line');
        const c = parseConnection(value);
        if (!c.ok) return fail(c.error);
        sd.connection = c.value;
        break;
      }
      case 'b': { const b = parseBandwidth(value); if (!b.ok) return fail(b.error); sd.bandwidths.push(b.value); break; }
      case 't': {
        const f = fields(value);
        if (f.length !== 2 || !isDigits(f[0]!) || !isDigits(f[1]!)) return fail('t= line: expected "<start> <stop>" in decimal');
        sd.timings.push({ start: f[0]!, stop: f[1]!, repeats: [] });
        break;
      }
      case 'r': {
        const t = sd.timings[sd.timings.length - 1];
        if (t === undefined) return fail('r= line without a preceding t= line');
        t.repeats.push(value);
        break;
      }
      case 'z': sd.zone = value; break;
      case 'k': sd.key = value; break;
      case 'a': { const a = parseAttribute(value, lineNo); if (!a.ok) return fail(a.error); sd.attributes.push(a.value); break; }
      default: return fail(`unknown line type "${type}="`); // RFC 8866 §5: reject what we do not understand
    }
  }
  if (!sawVersion) return err(malformed(0, 'empty SDP body'));
  if (!sawOrigin) return err(malformed(0, 'missing o= line'));
  if (!sawName) return err(malformed(0, 'missing s= line'));
  return ok(sd);
}

function parseOrigin(value: string): Result<SdpOrigin> {
  const f = fields(value);
  if (f.length !== 6) return err('o= line: expected 6 fields "<username> <sess-id> <sess-version> IN <addrtype> <address>"');
  if (!isDigits(f[1]!)) return err('o= line: session id is not a number');
  if (!isDigits(f[2]!)) return err('o= line: session version is not a number');
  return ok({ username: f[0]!, sessionId: f[1]!, sessionVersion: f[2]!, netType: f[3]!, addrType: f[4]!, address: f[5]! });
}

/** c=<nettype> <addrtype> <connection-address> (RFC 8866 §5.7), with /ttl and /count suffixes. */
function parseConnection(value: string): Result<SdpConnection> {
  const f = fields(value);
  if (f.length !== 3) return err('c= line: expected "<nettype> <addrtype> <address>"');
  if (!isToken(f[0]!) || !isToken(f[1]!)) return err('c= line: bad network or address type');
  const parts = f[2]!.split('/');
  if (parts[0]!.length === 0 || parts.length > 3) return err('c= line: bad connection address');
  const c: SdpConnection = { netType: f[0]!, addrType: f[1]!, address: parts[0]! };
  const ip4 = f[1]!.toUpperCase() === 'IP4';
  if (parts.length === 3 && !ip4) return err('c= line: only IP4 addresses carry a TTL');
  for (let i = 1; i < parts.length; i++) {
    const n = decimal(parts[i]!, 0xffffffff);
    if (n === undefined) return err('c= line: TTL or address count is not a number');
    if (i === 1 && ip4) c.ttl = n;
    else c.count = n;
  }
  return ok(c);
}

function parseBandwidth(value: string): Result<SdpBandwidth> {
  const [type, v] = splitFirst(value.trim(), ':');
  if (!isToken(type)) return err('b= line: bad bandwidth type');
  const n = decimal(v ?? '', 0xffffffff);
  if (n === undefined) return err('b= line: bandwidth is not a number');
  return ok({ type, value: n });
}

function parseAttribute(value: string, line: number): Result<SdpAttribute> {
  const [name, v] = splitFirst(value, ':');
  if (!isToken(name)) return err('a= line: attribute name is empty or not a token');
  const a: SdpAttribute = v === undefined ? { name, line } : { name, value: v, line };
  const fault = attributeFault(a);
  return fault === undefined ? ok(a) : err(`a=${fault}`);
}

/** m=<media> <port>[/<number of ports>] <proto> <fmt> ... (RFC 8866 §5.14). */
function parseMediaLine(value: string, line: number): Result<SdpMedia, SdpMalformed> {
  const fail = (reason: string) => err(malformed(line, `m= line: ${reason}`));
  const f = fields(value);
  if (f.length < 3) return fail('expected "<media> <port> <proto> <fmt> ..."');
  if (!isToken(f[0]!)) return fail('media type is not a token');
  const [portText, countText] = splitFirst(f[1]!, '/');
  const port = decimal(portText, 65535);
  if (port === undefined) return fail('port is not a number');
  const m: SdpMedia = { type: f[0]!, port, proto: f[2]!, formats: f.slice(3), connections: [], bandwidths: [], attributes: [], line };
  if (countText !== undefined) {
    const count = decimal(countText, 65535);
    if (count === undefined || count === 0) return fail('number of ports is not a positive number');
    m.portCount = count;
  }
  if (m.formats.length === 0 && port !== 0) return fail('no media formats');
  return ok(m);
}
