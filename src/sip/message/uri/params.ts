import { err, ok, type Result } from '../../../util/index.js';
import { HEADER, PARAM } from './char-classes.js';
import { unescapeRange } from './escape.js';
import type { UriHeader, UriParam } from './types.js';

const SEMI = 0x3b;
const EQUALS = 0x3d;
const QUESTION = 0x3f;
const AMP = 0x26;

/**
 * Reads `*( ";" pname [ "=" pvalue ] )` from text[start, end) into `params`, stopping at `?` or
 * the end (RFC 3261 §25.1 uri-parameters; RFC 3966 par). Returns where it stopped.
 */
export function parseParams(text: string, start: number, end: number, params: UriParam[]): Result<number> {
  let i = start;
  while (i < end && text.charCodeAt(i) === SEMI) {
    const nameStart = ++i;
    while (i < end && !isParamStop(text.charCodeAt(i))) i++;
    if (i === nameStart) return err('empty URI parameter');
    const name = unescapeRange(text, nameStart, i, PARAM, 'URI parameter name');
    if (!name.ok) return name;
    let value: string | null = null;
    if (i < end && text.charCodeAt(i) === EQUALS) {
      const valueStart = ++i;
      while (i < end && !isParamStop(text.charCodeAt(i))) i++;
      if (i === valueStart) return err(`empty value of URI parameter '${name.value}'`);
      const v = unescapeRange(text, valueStart, i, PARAM, `URI parameter '${name.value}'`);
      if (!v.ok) return v;
      value = v.value;
    }
    params.push({ name: name.value, value });
  }
  // RFC 3261 §19.1.1, RFC 3966 §3: any given parameter name MUST NOT appear more than once.
  const duplicate = findDuplicateName(params);
  if (duplicate !== undefined) return err(`duplicate URI parameter '${duplicate}'`);
  return ok(i);
}

function findDuplicateName(params: UriParam[]): string | undefined {
  if (params.length <= 8) {
    for (let a = 1; a < params.length; a++) {
      const name = params[a]!.name.toLowerCase();
      for (let b = 0; b < a; b++) if (params[b]!.name.toLowerCase() === name) return params[a]!.name;
    }
    return undefined;
  }
  const seen = new Set<string>();
  for (const p of params) {
    const name = p.name.toLowerCase();
    if (seen.has(name)) return p.name;
    seen.add(name);
  }
  return undefined;
}

function isParamStop(c: number): boolean {
  return c === SEMI || c === QUESTION || c === EQUALS;
}

/** Reads `"?" header *( "&" header )` from text[start, end), start at the `?` (RFC 3261 §25.1). */
export function parseHeaders(text: string, start: number, end: number, headers: UriHeader[]): Result<number> {
  let i = start;
  while (i < end && (text.charCodeAt(i) === (i === start ? QUESTION : AMP))) {
    const nameStart = ++i;
    while (i < end && text.charCodeAt(i) !== EQUALS && text.charCodeAt(i) !== AMP) i++;
    if (i === nameStart) return err('empty URI header name');
    const name = unescapeRange(text, nameStart, i, HEADER, 'URI header name');
    if (!name.ok) return name;
    if (i === end || text.charCodeAt(i) !== EQUALS) return err(`URI header '${name.value}' has no '='`);
    const valueStart = ++i;
    while (i < end && text.charCodeAt(i) !== AMP) i++;
    const value = unescapeRange(text, valueStart, i, HEADER, `URI header '${name.value}'`);
    if (!value.ok) return value;
    headers.push({ name: name.value, value: value.value });
  }
  return ok(i);
}
