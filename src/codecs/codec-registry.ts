/**
 * The set of codecs a phone offers, built at the composition root from descriptors:
 * `createCodecRegistry([pcmuCodec, pcmaCodec, comfortNoiseCodec])`. Order is preference order.
 */
import type { AudioCodec } from './audio-codec.js';

export interface CodecRegistry {
  /** All codecs, in preference order. */
  readonly codecs: readonly AudioCodec[];
  /**
   * The codec an a=rtpmap line names: encoding name case-insensitively (RFC 4855 §3), clock
   * rate, and channels (absent = 1, RFC 8866 §6.6).
   */
  find(name: string, clockRate: number, channels?: number): AudioCodec | undefined;
  /** The codec with this static payload type (RFC 3551 Table 4), for m= lines without rtpmap. */
  byStaticPayloadType(payloadType: number): AudioCodec | undefined;
}

export function createCodecRegistry(codecs: readonly AudioCodec[]): CodecRegistry {
  const list = Object.freeze([...codecs]);
  const byKey = new Map<string, AudioCodec>();
  const byPt = new Map<number, AudioCodec>();
  for (const c of list) {
    const key = `${c.name.toLowerCase()}/${c.clockRate}/${c.rtpmapChannels}`;
    if (byKey.has(key)) throw new Error(`codec ${key} registered twice`);
    byKey.set(key, c);
    if (c.payloadType !== null) {
      if (byPt.has(c.payloadType)) throw new Error(`static payload type ${c.payloadType} registered twice`);
      byPt.set(c.payloadType, c);
    }
  }
  return {
    codecs: list,
    find: (name, clockRate, channels = 1) => byKey.get(`${name.toLowerCase()}/${clockRate}/${channels}`),
    byStaticPayloadType: (pt) => byPt.get(pt),
  };
}
