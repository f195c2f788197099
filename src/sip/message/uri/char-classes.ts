// Character classes of RFC 3261 §25.1 as one bit table over ASCII, so scanners test a char
// with one lookup instead of a regular expression.

export const USER = 1; // unreserved / user-unreserved ("&" "=" "+" "$" "," ";" "?" "/")
export const PASSWORD = 2; // unreserved / "&" "=" "+" "$" ","
export const PARAM = 4; // paramchar: unreserved / param-unreserved ("[" "]" "/" ":" "&" "+" "$")
export const HEADER = 8; // hname/hvalue: unreserved / hnv-unreserved ("[" "]" "/" "?" ":" "+" "$")
export const HOST = 16; // hostname chars: alphanum "-" "." (plus "_", seen in the wild)
export const TOKEN = 32; // token (RFC 3261 §25.1), for the method and transport parameters

const table = new Uint8Array(128);
const mark = (chars: string, bits: number): void => {
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)]! |= bits;
};
const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const unreservedMark = "-_.!~*'()";
mark(alnum + unreservedMark, USER | PASSWORD | PARAM | HEADER);
mark('&=+$,;?/', USER);
mark('&=+$,', PASSWORD);
mark('[]/:&+$', PARAM);
mark('[]/?:+$', HEADER);
mark(alnum + '-._', HOST);
mark(alnum + "-.!%*_+`'~", TOKEN);

/** True when the char code is ASCII and in every class of `bits`. */
export function inClass(code: number, bits: number): boolean {
  return code < 128 && (table[code]! & bits) === bits;
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

export function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}
