/**
 * A WAV file written as audio comes (`--record file.wav`, call recording). Crash-safe: the header
 * goes out first with the RIFF and data sizes at 0xFFFFFFFF, the streaming writers' "length
 * unknown" (parseWav and sox read such a file to its end; sox reads nothing when the size is 0),
 * and every frame is handed to the OS as it arrives, so a process killed mid-call leaves a
 * playable file; `close` rewrites the header with the real sizes.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { err, ok, type Result } from '../util/index.js';
import type { AudioDeviceDescriptor, AudioSink } from './audio-device.js';
import { WAV_HEADER_SIZE, writeWavHeader, type WavFormat } from './wav.js';
import { WavFileSource } from './wav-file-source.js';

/** Above this much queued audio (a stalled disk) new frames are dropped and counted. */
const MAX_PENDING_BYTES = 4 << 20;
/** RIFF/data size while recording: "unknown, read to the end". */
const UNKNOWN_SIZE = 0xffffffff;

export class WavFileRecorder implements AudioSink {
  readonly sampleRate: number;
  readonly channels: number;
  /** Bytes of samples handed to the file so far (queued included). */
  private dataBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private failure: string | null = null;
  /** Frames dropped because the disk did not keep up. */
  droppedFrames = 0;

  private constructor(
    private readonly file: FileHandle,
    readonly path: string,
    format: WavFormat,
  ) {
    this.sampleRate = format.sampleRate;
    this.channels = format.channels;
  }

  /** Creates (or truncates) `path` and writes the provisional header. */
  static async open(path: string, format: WavFormat): Promise<Result<WavFileRecorder>> {
    if (!(format.sampleRate > 0 && format.channels >= 1)) throw new RangeError(`bad WAV format ${format.sampleRate}/${format.channels}`);
    let file: FileHandle;
    try {
      file = await open(path, 'w');
      const header = Buffer.alloc(WAV_HEADER_SIZE);
      writeWavHeader(format, 0, header);
      header.writeUInt32LE(UNKNOWN_SIZE, 4);
      header.writeUInt32LE(UNKNOWN_SIZE, 40);
      await file.write(header, 0, header.length, 0);
    } catch (e) {
      return err(`${path}: ${(e as Error).message}`);
    }
    return ok(new WavFileRecorder(file, path, format));
  }

  /** The first write error, if any (the recorder then drops everything). */
  get error(): string | null {
    return this.failure;
  }

  /** Samples per channel recorded so far. */
  get frames(): number {
    return this.dataBytes / (2 * this.channels);
  }

  /** Appends interleaved samples (`channels` per frame). */
  write(samples: Int16Array): void {
    if (this.closing || this.failure) return;
    const bytes = samples.length * 2;
    if (this.pendingBytes + bytes > MAX_PENDING_BYTES) {
      this.droppedFrames++;
      return;
    }
    const b = Buffer.allocUnsafe(bytes);
    for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i]!, i * 2);
    this.pending.push(b);
    this.pendingBytes += bytes;
    this.dataBytes += bytes;
    if (!this.writing) this.writing = this.drain();
  }

  private async drain(): Promise<void> {
    let at = WAV_HEADER_SIZE + this.dataBytes - this.pendingBytes;
    while (this.pending.length > 0 && !this.failure) {
      const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
      this.pending = [];
      try {
        await this.file.write(chunk, 0, chunk.length, at);
      } catch (e) {
        this.failure = `${this.path}: ${(e as Error).message}`;
      }
      at += chunk.length;
      this.pendingBytes -= chunk.length;
    }
    this.writing = null;
  }

  /** Waits for queued audio to reach the file. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Finishes the file: final sizes in the header, then closes. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush();
      try {
        if (!this.failure) {
          const header = Buffer.alloc(WAV_HEADER_SIZE);
          writeWavHeader({ sampleRate: this.sampleRate, channels: this.channels }, this.dataBytes, header);
          await this.file.write(header, 0, header.length, 0);
        }
      } catch (e) {
        this.failure = `${this.path}: ${(e as Error).message}`;
      }
      await this.file.close().catch(() => undefined);
    })();
    return this.closing;
  }
}

/** WAV files: source = play a file (target = path, `loop` honoured), sink = record mono. */
export const wavFileDevice: AudioDeviceDescriptor = {
  name: 'wav',
  description: 'a WAV file: played as the microphone, or recorded from the speaker (16-bit mono)',
  openSource: (o) => WavFileSource.open(o.target, { sampleRate: o.sampleRate, loop: o.loop ?? false }),
  openSink: (o) => WavFileRecorder.open(o.target, { sampleRate: o.sampleRate, channels: 1 }),
};
