import { err, ok, type Result } from '../../../util/index.js';
import { isAlpha, isDigit } from './char-classes.js';
import { badCharReason } from './escape.js';
import { parseSipUriBody } from './parse-sip-uri.js';
import { parseTelUriBody } from './parse-tel-uri.js';
import type { Uri } from './types.js';

/**
 * Parses a URI in text[start, end): sip/sips (RFC 3261 §19.1), tel (RFC 3966), any other
 * scheme kept opaque (RFC 3261 §19.1.3 allows absoluteURI where a SIP URI may appear).
 * Never throws; on failure the error names the fault.
 */
export function parseUriAt(text: string, start = 0, end = text.length): Result<Uri> {
  if (start < 0 || end > text.length || start > end) throw new RangeError('parseUriAt: bad range');
  if (start === end) return err('empty URI');
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3261 §25.1)
  let i = start;
  if (!isAlpha(text.charCodeAt(i))) return err('URI does not start with a scheme');
  while (i < end && isSchemeChar(text.charCodeAt(i))) i++;
  if (i === end || text.charCodeAt(i) !== 0x3a) return err('missing URI scheme');
  const scheme = text.slice(start, i);
  const lower = scheme.toLowerCase();
  const bodyStart = i + 1;
  if (bodyStart === end) return err(`empty ${lower} URI`);
  if (lower === 'sip' || lower === 'sips') return parseSipUriBody(lower, text, bodyStart, end);
  if (lower === 'tel') return parseTelUriBody(text, bodyStart, end);
  for (let j = bodyStart; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c <= 0x20 || c >= 0x7f || c === 0x3c || c === 0x3e || c === 0x22) return err(badCharReason(c, `${scheme} URI`));
  }
  return ok({ scheme, value: text.slice(bodyStart, end) });
}

/** Parses a whole string as one URI. */
export function parseUri(text: string): Result<Uri> {
  return parseUriAt(text, 0, text.length);
}

function isSchemeChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e;
}
