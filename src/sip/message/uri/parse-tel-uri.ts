import { err, ok, type Result } from '../../../util/index.js';
import { hexValue, isDigit } from './char-classes.js';
import { badCharReason } from './escape.js';
import { parseParams } from './params.js';
import type { TelUri } from './types.js';

/** RFC 3966 §3 visual-separator: "-" / "." / "(" / ")". */
export function isVisualSeparator(c: number): boolean {
  return c === 0x2d || c === 0x2e || c === 0x28 || c === 0x29;
}

/**
 * Parses the part of a tel URI after `tel:` in text[start, end) (RFC 3966 §3):
 * global-number-digits or local-number-digits, then `;` parameters; a local number
 * needs a phone-context (RFC 3966 §5.1.5).
 */
export function parseTelUriBody(text: string, start: number, end: number): Result<TelUri> {
  let i = start;
  const isGlobal = i < end && text.charCodeAt(i) === 0x2b;
  if (isGlobal) i++;
  let digits = 0;
  for (; i < end && text.charCodeAt(i) !== 0x3b; i++) {
    const c = text.charCodeAt(i);
    if (isVisualSeparator(c)) continue;
    // global-number-digits: DIGIT only; local-number-digits: HEXDIG / "*" / "#".
    if (isGlobal ? isDigit(c) : hexValue(c) >= 0 || c === 0x2a || c === 0x23) digits++;
    else return err(badCharReason(c, 'telephone number'));
  }
  if (digits === 0) return err('empty telephone number');
  const uri: TelUri = { scheme: 'tel', number: text.slice(start, i), isGlobal, params: [] };
  const after = parseParams(text, i, end, uri.params);
  if (!after.ok) return after;
  if (after.value !== end) return err(`invalid character '${text[after.value]}' in tel URI`);
  if (!isGlobal && !uri.params.some((p) => p.name.toLowerCase() === 'phone-context' && p.value !== null)) {
    return err('local tel number without phone-context');
  }
  return ok(uri);
}
