// `--record <file.wav>`: the received audio of a headless call, written as it arrives (media's
// WavFileRecorder) so that a killed process still leaves a playable file behind.
import { WavFileRecorder } from '../media/index.js';

export class ReceivedAudioFile {
  private recorder: WavFileRecorder | undefined;
  private opening: Promise<void> | undefined;
  /** Frames that came while the file was being opened. */
  private early: Int16Array[] = [];

  /** `sampleRate` is read when the first frame comes: the codec is known by then. */
  constructor(
    private readonly path: string,
    private readonly sampleRate: () => number,
    private readonly onError: (message: string) => void,
  ) {}

  write(frame: Int16Array): void {
    if (this.recorder) return this.recorder.write(frame);
    this.early.push(frame.slice());
    this.opening ??= this.open();
  }

  /** Finishes the file; a call that never carried audio still leaves an empty WAV. */
  async close(): Promise<void> {
    await (this.opening ??= this.open());
    await this.recorder?.close();
    if (this.recorder?.error) this.onError(this.recorder.error);
  }

  private async open(): Promise<void> {
    const opened = await WavFileRecorder.open(this.path, { sampleRate: this.sampleRate(), channels: 1 });
    if (!opened.ok) {
      this.early = [];
      return this.onError(opened.error);
    }
    this.recorder = opened.value;
    for (const frame of this.early) opened.value.write(frame);
    this.early = [];
  }
}
