/** RFC 4733 §2.3 telephone-event payload (one 4-octet event report) and DTMF event codes (§3.2). */
import { err, ok, type Result } from '../util/index.js';

export interface TelephoneEvent {
  /** Event code: 0..9, 10 '*', 11 '#', 12..15 'A'..'D', 16 flash (RFC 2833, deprecated in 4733 Table 8). */
  event: number;
  end: boolean;
  /** Power level as -dBm0, 0..63. */
  volume: number;
  /** Duration in timestamp units since the event (segment) began, 0..0xFFFF. */
  duration: number;
}

export const TELEPHONE_EVENT_SIZE = 4;
export const DTMF_FLASH = 16;

/** Parses the first event report of a telephone-event payload (the R bit is ignored, §2.3.4). */
export function parseTelephoneEvent(buf: Buffer, offset = 0, length = buf.length - offset): Result<TelephoneEvent, string> {
  if (offset < 0 || length < 0 || offset + length > buf.length) return err('length beyond buffer');
  if (length < TELEPHONE_EVENT_SIZE) return err('telephone-event payload shorter than 4 octets');
  const b1 = buf[offset + 1]!;
  return ok({ event: buf[offset]!, end: (b1 & 0x80) !== 0, volume: b1 & 0x3f, duration: (buf[offset + 2]! << 8) | buf[offset + 3]! });
}

export function sizeOfTelephoneEvent(_ev: TelephoneEvent): number {
  return TELEPHONE_EVENT_SIZE;
}

/** Writes the 4-octet report; R is sent as 0 (§2.3.4). Returns octets written. */
export function writeTelephoneEvent(ev: TelephoneEvent, buf: Buffer, offset = 0): number {
  if (offset + TELEPHONE_EVENT_SIZE > buf.length) throw new RangeError('telephone-event needs 4 octets');
  if (ev.event < 0 || ev.event > 255 || ev.volume < 0 || ev.volume > 63 || ev.duration < 0 || ev.duration > 0xffff) {
    throw new RangeError(`telephone-event field out of range: ${JSON.stringify(ev)}`);
  }
  buf[offset] = ev.event;
  buf[offset + 1] = (ev.end ? 0x80 : 0) | ev.volume;
  buf[offset + 2] = ev.duration >> 8;
  buf[offset + 3] = ev.duration & 0xff;
  return TELEPHONE_EVENT_SIZE;
}

const DTMF_KEYS = '0123456789*#ABCD';

/** §3.2 Table 3: the event code for a DTMF key ('0'-'9', '*', '#', 'A'-'D' in either case, '!' for flash), or undefined. */
export function dtmfEventCode(key: string): number | undefined {
  if (key === '!') return DTMF_FLASH;
  const i = key.length === 1 ? DTMF_KEYS.indexOf(key.toUpperCase()) : -1;
  return i < 0 ? undefined : i;
}

/** The key for an event code ('!' for flash, 16), or undefined for codes that are not DTMF. */
export function dtmfKey(event: number): string | undefined {
  if (event === DTMF_FLASH) return '!';
  return Number.isInteger(event) && event >= 0 && event < DTMF_KEYS.length ? DTMF_KEYS[event] : undefined;
}
