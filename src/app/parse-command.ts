// `handset parse [file]`: parses one SIP message (a file, or stdin) the way a UDP receiver
// would, and prints it as JSON, or one line naming the fault and where it is (exit 2).
import { readFile } from 'node:fs/promises';
import type { Command, CommandIO } from '../cli/index.js';
import { parseMessage, validateMessage, type Malformed, type SipMessage } from '../sip/index.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** 1-based line and column of a byte offset. */
function position(bytes: Buffer, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1} (byte ${offset})`;
}

function describe(fault: Malformed, bytes: Buffer): string {
  const where = fault.offset === undefined ? '' : ` at ${position(bytes, fault.offset)}`;
  const answer = fault.response ? `; a server answers ${fault.response.status} ${fault.response.reason}` : '; a response like this is dropped';
  return `malformed: ${fault.reason}${where}${answer}`;
}

function toJson(m: SipMessage, length: number, total: number): unknown {
  const startLine = m.isRequest
    ? { type: 'request', method: m.method, uri: m.requestUriText, version: 'SIP/2.0' }
    : { type: 'response', version: 'SIP/2.0', status: m.status, reason: m.reason };
  return { startLine, headers: m.headerList(), bodyLength: m.body.length, ignoredTrailingBytes: total - length };
}

export const parseCommand: Command = {
  name: 'parse',
  summary: 'parse a SIP message (file or stdin) and print it as JSON',
  usage: 'parse [file]',
  options: {},
  async run({ positionals }, io: CommandIO): Promise<number> {
    if (positionals.length > 1) {
      io.stderr.write('handset parse: at most one file\nusage: handset parse [file]\n');
      return 2;
    }
    let bytes: Buffer;
    try {
      bytes = positionals[0] === undefined ? await readAll(io.stdin) : await readFile(positionals[0]);
    } catch (e) {
      io.stderr.write(`handset parse: cannot read ${positionals[0] ?? 'stdin'}: ${(e as Error).message}\n`);
      return 2;
    }
    // One message as one datagram (RFC 3261 §18.3): bytes after Content-Length are ignored.
    const r = parseMessage(bytes, { datagram: true });
    if (r.kind !== 'ok') {
      io.stderr.write(`handset parse: ${r.kind === 'malformed' ? describe(r, bytes) : 'incomplete message'}\n`);
      return 2;
    }
    const fault = validateMessage(r.message);
    if (fault !== undefined) {
      io.stderr.write(`handset parse: ${describe(fault, bytes)}\n`);
      return 2;
    }
    io.stdout.write(`${JSON.stringify(toJson(r.message, r.length, bytes.length), null, 2)}\n`);
    return 0;
  },
};
