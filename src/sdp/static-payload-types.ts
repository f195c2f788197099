/** RFC 3551 §6 Table 4 and 5: static RTP payload types, used when an m= line has no a=rtpmap. */
export interface StaticPayloadType {
  encoding: string;
  clockRate: number;
  channels: number;
}

const table: ReadonlyArray<readonly [number, string, number, number]> = [
  [0, 'PCMU', 8000, 1], [3, 'GSM', 8000, 1], [4, 'G723', 8000, 1], [5, 'DVI4', 8000, 1],
  [6, 'DVI4', 16000, 1], [7, 'LPC', 8000, 1], [8, 'PCMA', 8000, 1], [9, 'G722', 8000, 1],
  [10, 'L16', 44100, 2], [11, 'L16', 44100, 1], [12, 'QCELP', 8000, 1], [13, 'CN', 8000, 1],
  [14, 'MPA', 90000, 1], [15, 'G728', 8000, 1], [16, 'DVI4', 11025, 1], [17, 'DVI4', 22050, 1],
  [18, 'G729', 8000, 1], [25, 'CelB', 90000, 1], [26, 'JPEG', 90000, 1], [28, 'nv', 90000, 1],
  [31, 'H261', 90000, 1], [32, 'MPV', 90000, 1], [33, 'MP2T', 90000, 1], [34, 'H263', 90000, 1],
];

const byNumber = new Map<number, StaticPayloadType>(table.map(([pt, encoding, clockRate, channels]) => [pt, { encoding, clockRate, channels }]));

/** The RFC 3551 mapping of a static payload type, or undefined for dynamic/unassigned numbers. */
export function staticPayloadType(pt: number): StaticPayloadType | undefined {
  return byNumber.get(pt);
}

/** The static payload type RFC 3551 assigns to a codec, if any (e.g. PCMU/8000/1 → 0). */
export function staticNumberOf(encoding: string, clockRate: number, channels: number): number | undefined {
  const name = encoding.toLowerCase();
  for (const [pt, e, rate, ch] of table) if (e.toLowerCase() === name && rate === clockRate && ch === channels) return pt;
  return undefined;
}
