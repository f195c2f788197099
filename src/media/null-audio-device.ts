/** The devices that do nothing: a silent microphone and a sink that discards (a muted speaker). */
import type { AudioDeviceDescriptor, AudioSink, AudioSource } from './audio-device.js';
import { ok } from '../util/index.js';

/** Silence forever. */
export class SilenceSource implements AudioSource {
  constructor(readonly sampleRate: number) {}
  read(out: Int16Array): boolean {
    out.fill(0);
    return true;
  }
  async close(): Promise<void> {}
}

/** Discards frames, counting them (tests and `--record` left off use it). */
export class NullSink implements AudioSink {
  frames = 0;
  samples = 0;
  constructor(readonly sampleRate: number) {}
  write(frame: Int16Array): void {
    this.frames++;
    this.samples += frame.length;
  }
  async close(): Promise<void> {}
}

export const nullAudioDevice: AudioDeviceDescriptor = {
  name: 'null',
  description: 'silence in, audio out discarded',
  openSource: async (o) => ok(new SilenceSource(o.sampleRate)),
  openSink: async (o) => ok(new NullSink(o.sampleRate)),
};
