import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { repoRoot } from '../../support/paths.js';
import { parseSdp, type LocalCapabilities, type RandomSource, type SessionDescription } from '../../../src/sdp/index.js';

export function fixture(name: string): string {
  return readFileSync(join(repoRoot(), 'test', 'fixtures', 'sdp', name), 'utf8');
}

export function parsed(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) assert.fail(`fixture did not parse: line ${r.error.line}: ${r.error.reason}`);
  return r.value;
}

/** Deterministic bytes: a counter, so keys in tests are predictable and distinct per call. */
export function counterRandom(start = 1): RandomSource {
  let n = start;
  return (len) => {
    const b = Buffer.alloc(len);
    for (let i = 0; i < len; i++) b[i] = (n + i) & 0xff;
    n += 0x11;
    return b;
  };
}

/** A typical Handset configuration: G.711 both laws, telephone-event 101. */
export function localCaps(over: Partial<LocalCapabilities> = {}): LocalCapabilities {
  return {
    address: '127.0.0.1',
    port: 40000,
    codecs: [{ encoding: 'PCMU', clockRate: 8000 }, { encoding: 'PCMA', clockRate: 8000 }],
    srtp: 'off',
    random: counterRandom(),
    ...over,
  };
}

/** Builds SDP text from lines (CRLF). */
export const sdp = (...lines: string[]): string => lines.join('\r\n') + '\r\n';
