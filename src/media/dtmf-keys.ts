/** RFC 4733 §3.2 event codes for the DTMF keys; 16 is hook flash (RFC 4733 Table 8, from RFC 2833). */
const keys = '0123456789*#ABCD';

export const FLASH_EVENT = 16;

/** Event code for a key ('0'–'9', '*', '#', 'A'–'D', or '!' for flash), or undefined. */
export function dtmfEventCode(key: string): number | undefined {
  if (key === '!') return FLASH_EVENT;
  const i = keys.indexOf(key.toUpperCase());
  return i < 0 || key.length !== 1 ? undefined : i;
}

/** The key for an event code ('!' for flash), or undefined for codes that are not DTMF. */
export function dtmfKey(event: number): string | undefined {
  return event === FLASH_EVENT ? '!' : keys[event];
}
