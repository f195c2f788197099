/**
 * WAV files (RIFF/WAVE): read PCM 8/16/24/32-bit, IEEE float 32, G.711 A-law/µ-law, plain or
 * WAVE_FORMAT_EXTENSIBLE, skipping other chunks (LIST, fact, cue ...); write 16-bit PCM or
 * G.711. Samples are always 16-bit interleaved in memory. Reading a file is peer input: every
 * problem comes back as a reason, never a throw.
 */
import {
  alawToLinear,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../codecs/index.js';
import { err, ok, type Result } from '../util/index.js';

export type WavEncoding = 'pcm16' | 'alaw' | 'ulaw';

export interface WavAudio {
  readonly sampleRate: number;
  readonly channels: number;
  /** Interleaved samples: frames × channels. */
  readonly samples: Int16Array;
}

export interface ParsedWav extends WavAudio {
  /** The stored format, e.g. 'pcm16', 'pcm24', 'float32', 'alaw'. */
  readonly format: string;
}

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_ALAW = 0x0006;
const FORMAT_ULAW = 0x0007;
const FORMAT_EXTENSIBLE = 0xfffe;
/** The KSDATAFORMAT_SUBTYPE GUIDs all end in these 14 bytes; the first 2 carry the format tag. */
const SUBTYPE_TAIL = Buffer.from('000000001000800000aa00389b71', 'hex');

interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

function parseFmt(buf: Buffer, at: number, size: number): Result<Fmt> {
  if (size < 16) return err(`fmt chunk is ${size} bytes, needs at least 16`);
  let tag = buf.readUInt16LE(at);
  const channels = buf.readUInt16LE(at + 2);
  const sampleRate = buf.readUInt32LE(at + 4);
  const blockAlign = buf.readUInt16LE(at + 12);
  const bits = buf.readUInt16LE(at + 14);
  if (tag === FORMAT_EXTENSIBLE) {
    // cbSize, valid bits, channel mask, then the sub-format GUID. Valid bits are MSB-aligned in
    // the container, so reading by container size (bits) is right whatever they say.
    if (size < 40) return err(`WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, needs 40`);
    if (!buf.subarray(at + 26, at + 40).equals(SUBTYPE_TAIL)) return err('WAVE_FORMAT_EXTENSIBLE with a non-audio sub-format GUID');
    tag = buf.readUInt16LE(at + 24);
  }
  if (channels < 1) return err('fmt says 0 channels');
  if (sampleRate < 1) return err('fmt says sample rate 0');
  return ok({ tag, channels, sampleRate, blockAlign, bits });
}

function formatName(f: Fmt): Result<string> {
  const supported: Record<number, Record<number, string>> = {
    [FORMAT_PCM]: { 8: 'pcm8', 16: 'pcm16', 24: 'pcm24', 32: 'pcm32' },
    [FORMAT_FLOAT]: { 32: 'float32' },
    [FORMAT_ALAW]: { 8: 'alaw' },
    [FORMAT_ULAW]: { 8: 'ulaw' },
  };
  const name = supported[f.tag]?.[f.bits];
  if (!name) return err(`unsupported WAV format: tag 0x${f.tag.toString(16).padStart(4, '0')}, ${f.bits} bits per sample (supported: PCM 8/16/24/32, float 32, A-law, µ-law)`);
  if (f.blockAlign !== (f.bits / 8) * f.channels) return err(`fmt block align ${f.blockAlign} does not match ${f.channels} × ${f.bits} bits`);
  return ok(name);
}

function readSample(buf: Buffer, at: number, format: string): number {
  switch (format) {
    case 'pcm8':
      return (buf[at]! - 128) << 8; // 8-bit WAV is unsigned
    case 'pcm16':
      return buf.readInt16LE(at);
    case 'pcm24':
      return buf.readIntLE(at, 3) >> 8;
    case 'pcm32':
      return buf.readInt32LE(at) >> 16;
    case 'float32': {
      const v = Math.round(buf.readFloatLE(at) * 32767);
      return v > 32767 ? 32767 : v < -32768 ? -32768 : Number.isNaN(v) ? 0 : v;
    }
    case 'alaw':
      return alawToLinear(buf[at]!);
    default:
      return ulawToLinear(buf[at]!);
  }
}

/** Parses a whole WAV file. */
export function parseWav(buf: Buffer): Result<ParsedWav> {
  if (buf.length < 12) return err(`not a WAV file: ${buf.length} bytes, a RIFF header needs 12`);
  if (buf.toString('latin1', 0, 4) !== 'RIFF') return err(`not a WAV file: starts with ${JSON.stringify(buf.toString('latin1', 0, 4))}, not "RIFF"`);
  if (buf.toString('latin1', 8, 12) !== 'WAVE') return err(`RIFF file of type ${JSON.stringify(buf.toString('latin1', 8, 12))}, not "WAVE"`);
  let fmt: Fmt | null = null;
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + size > buf.length) return err(`fmt chunk runs past the end of the file`);
      const f = parseFmt(buf, body, size);
      if (!f.ok) return f;
      fmt = f.value;
    } else if (id === 'data') {
      if (!fmt) return err('data chunk before any fmt chunk');
      const name = formatName(fmt);
      if (!name.ok) return name;
      // Writers that stream may leave the size at 0 or 0xFFFFFFFF: take what the file holds.
      const available = buf.length - body;
      const bytes = size === 0 || size > available ? available : size;
      const frames = Math.floor(bytes / fmt.blockAlign);
      const width = fmt.bits / 8;
      const samples = new Int16Array(frames * fmt.channels);
      for (let i = 0; i < samples.length; i++) samples[i] = readSample(buf, body + i * width, name.value);
      return ok({ sampleRate: fmt.sampleRate, channels: fmt.channels, samples, format: name.value });
    }
    at = body + size + (size & 1); // RIFF chunks are padded to even length
  }
  return err(fmt ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk');
}

/** Size of the canonical header `writeWavHeader` writes. */
export const WAV_HEADER_SIZE = 44;

export interface WavFormat {
  readonly sampleRate: number;
  readonly channels: number;
}

const widthOf = (encoding: WavEncoding): number => (encoding === 'pcm16' ? 2 : 1);

/** Bytes of the WAV file `writeWav` produces. */
export function sizeOfWav(audio: WavAudio, encoding: WavEncoding = 'pcm16'): number {
  const data = audio.samples.length * widthOf(encoding);
  return WAV_HEADER_SIZE + data + (data & 1);
}

/**
 * Writes the canonical 44-byte header for `dataBytes` of audio. A recorder writes it first with
 * the size unknown (0xFFFFFFFF: parseWav and sox read such a file to its end; with 0 sox reads
 * nothing), then again over it when done.
 */
export function writeWavHeader(format: WavFormat, dataBytes: number, buf: Buffer, offset = 0, encoding: WavEncoding = 'pcm16'): number {
  if (offset + WAV_HEADER_SIZE > buf.length) throw new RangeError(`WAV header needs ${WAV_HEADER_SIZE} B at ${offset}`);
  const width = widthOf(encoding);
  const tag = encoding === 'pcm16' ? FORMAT_PCM : encoding === 'alaw' ? FORMAT_ALAW : FORMAT_ULAW;
  let p = offset;
  p += buf.write('RIFF', p, 'latin1');
  p = buf.writeUInt32LE(WAV_HEADER_SIZE - 8 + dataBytes + (dataBytes & 1), p);
  p += buf.write('WAVEfmt ', p, 'latin1');
  p = buf.writeUInt32LE(16, p);
  p = buf.writeUInt16LE(tag, p);
  p = buf.writeUInt16LE(format.channels, p);
  p = buf.writeUInt32LE(format.sampleRate, p);
  p = buf.writeUInt32LE(format.sampleRate * format.channels * width, p);
  p = buf.writeUInt16LE(format.channels * width, p);
  p = buf.writeUInt16LE(width * 8, p);
  p += buf.write('data', p, 'latin1');
  p = buf.writeUInt32LE(dataBytes, p);
  return p - offset;
}

/** Writes a whole WAV file (canonical header, then samples) at `offset`; returns bytes written. */
export function writeWav(audio: WavAudio, buf: Buffer, offset = 0, encoding: WavEncoding = 'pcm16'): number {
  const size = sizeOfWav(audio, encoding);
  if (offset + size > buf.length) throw new RangeError(`WAV needs ${size} B at ${offset}, buffer has ${buf.length}`);
  if (audio.samples.length % audio.channels !== 0) throw new RangeError('samples are not whole frames');
  const dataBytes = audio.samples.length * widthOf(encoding);
  let p = offset + writeWavHeader(audio, dataBytes, buf, offset, encoding);
  const s = audio.samples;
  if (encoding === 'pcm16') for (let i = 0; i < s.length; i++) p = buf.writeInt16LE(s[i]!, p);
  else {
    const f = encoding === 'alaw' ? linearToAlaw : linearToUlaw;
    for (let i = 0; i < s.length; i++) buf[p++] = f(s[i]!);
  }
  if (dataBytes & 1) buf[p++] = 0;
  return p - offset;
}

/** Convenience: a new Buffer holding the WAV file. */
export function encodeWav(audio: WavAudio, encoding: WavEncoding = 'pcm16'): Buffer {
  const buf = Buffer.alloc(sizeOfWav(audio, encoding));
  writeWav(audio, buf, 0, encoding);
  return buf;
}
