/**
 * Live audio through child processes speaking raw s16le on stdin/stdout: PulseAudio's `parec`
 * (microphone) and `pacat` (speaker), the terminal phone's headset backend. Any program with the
 * same contract works (sox, arecord/aplay). Neither side ever blocks the audio clock: a capture
 * that runs ahead loses its oldest audio, a playback pipe that stalls drops frames.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { err, ok, type Result } from '../util/index.js';
import type { AudioDeviceDescriptor, AudioSink, AudioSource } from './audio-device.js';
import { PcmIteratorSource } from './pcm-iterator-devices.js';

export interface PipeCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** The child's environment (default: ours), e.g. PULSE_SERVER for a private daemon. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface PulseAudioOptions {
  readonly sampleRate: number;
  /** A PulseAudio source or sink name; '' or absent = the default device. */
  readonly device?: string;
  readonly latencyMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

const pulseArgs = (o: PulseAudioOptions, defaultLatencyMs: number): string[] => [
  '--raw', '--format=s16le', `--rate=${o.sampleRate}`, '--channels=1', `--latency-msec=${o.latencyMs ?? defaultLatencyMs}`,
  ...(o.device ? [`--device=${o.device}`] : []),
];

/** `parec` capturing mono s16le at the call rate. */
export function parecCommand(o: PulseAudioOptions): PipeCommand {
  return { command: 'parec', args: pulseArgs(o, 20), ...(o.env ? { env: o.env } : {}) };
}

/** `pacat` playing mono s16le at the call rate. */
export function pacatCommand(o: PulseAudioOptions): PipeCommand {
  return { command: 'pacat', args: ['--playback', ...pulseArgs(o, 40)], ...(o.env ? { env: o.env } : {}) };
}

/** Spawns and waits until the process runs (or could not start: a missing program is an `err`). */
function startProcess(cmd: PipeCommand, stdio: ['ignore', 'pipe', 'ignore'] | ['pipe', 'ignore', 'ignore']): Promise<Result<ChildProcess>> {
  return new Promise((resolve) => {
    const child = spawn(cmd.command, [...cmd.args], { stdio, ...(cmd.env ? { env: { ...cmd.env } } : {}) });
    child.once('spawn', () => resolve(ok(child)));
    child.once('error', (e) => resolve(err(`${cmd.command}: ${e.message}`)));
  });
}

/** Ends a child: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
async function stopProcess(child: ChildProcess, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface PipeAudioSourceOptions {
  readonly sampleRate: number;
  /** Capture queued ahead of the reader before the oldest gives way (default 100 ms). */
  readonly bufferMs?: number;
  /** Samples captured, as they arrive: the capture as audio clock (see PcmIteratorSourceOptions). */
  readonly onSamples?: (n: number) => void;
}

export class PipeAudioSource implements AudioSource {
  readonly sampleRate: number;

  private constructor(
    private readonly child: ChildProcess,
    private readonly pcm: PcmIteratorSource,
  ) {
    this.sampleRate = pcm.sampleRate;
  }

  static async start(cmd: PipeCommand, options: PipeAudioSourceOptions): Promise<Result<PipeAudioSource>> {
    const child = await startProcess(cmd, ['ignore', 'pipe', 'ignore']);
    if (!child.ok) return child;
    const pcm = new PcmIteratorSource(child.value.stdout!, {
      sampleRate: options.sampleRate, bufferMs: options.bufferMs ?? 100, live: true, ...(options.onSamples ? { onSamples: options.onSamples } : {}),
    });
    return ok(new PipeAudioSource(child.value, pcm));
  }

  /** Samples waiting (the capture's lead over the reader). */
  get buffered(): number {
    return this.pcm.buffered;
  }

  /** Capture lost because the reader fell behind (the oldest gave way). */
  get overflowed(): number {
    return this.pcm.overflowed;
  }

  /** Silence while the capture has not delivered yet; false once the process has ended and drained. */
  read(out: Int16Array): boolean {
    return this.pcm.read(out);
  }

  async close(): Promise<void> {
    await this.pcm.close();
    await stopProcess(this.child);
  }
}

export interface PipeAudioSinkOptions {
  readonly sampleRate: number;
  /** Audio allowed to wait in the pipe before frames are dropped (default 200 ms). */
  readonly maxQueuedMs?: number;
}

export class PipeAudioSink implements AudioSink {
  readonly sampleRate: number;
  private readonly maxQueuedBytes: number;
  private failure: string | null = null;
  private closing: Promise<void> | null = null;
  /** Frames dropped because the pipe was full or broken. */
  droppedFrames = 0;

  private constructor(
    private readonly child: ChildProcess,
    options: PipeAudioSinkOptions,
  ) {
    this.sampleRate = options.sampleRate;
    this.maxQueuedBytes = Math.round(((options.maxQueuedMs ?? 200) * options.sampleRate * 2) / 1000);
    child.stdin!.on('error', (e) => (this.failure ??= e.message));
    child.once('exit', (code, signal) => (this.failure ??= `exited (${signal ?? code})`));
  }

  static async start(cmd: PipeCommand, options: PipeAudioSinkOptions): Promise<Result<PipeAudioSink>> {
    const child = await startProcess(cmd, ['pipe', 'ignore', 'ignore']);
    if (!child.ok) return child;
    return ok(new PipeAudioSink(child.value, options));
  }

  get error(): string | null {
    return this.failure;
  }

  write(frame: Int16Array): void {
    const stdin = this.child.stdin!;
    if (this.closing || this.failure || stdin.writableLength > this.maxQueuedBytes) {
      this.droppedFrames++;
      return;
    }
    const b = Buffer.allocUnsafe(frame.length * 2);
    for (let i = 0; i < frame.length; i++) b.writeInt16LE(frame[i]!, i * 2);
    stdin.write(b);
  }

  /** Ends the pipe, letting the player drain what it has, then stops it. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const exited = this.child.exitCode !== null || this.child.signalCode !== null;
      if (!exited) {
        const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
        this.child.stdin!.end();
        const timer = setTimeout(() => void stopProcess(this.child), 2000);
        await gone;
        clearTimeout(timer);
      }
    })();
    return this.closing;
  }
}

/** PulseAudio through parec/pacat (Debian `pulseaudio-utils`); target = device name or ''. */
export const pulseAudioDevice: AudioDeviceDescriptor = {
  name: 'pulse',
  description: 'PulseAudio microphone and speaker through parec/pacat (target: device name, empty for the default)',
  openSource: (o) => PipeAudioSource.start(parecCommand({ sampleRate: o.sampleRate, device: o.target }), { sampleRate: o.sampleRate }),
  openSink: (o) => PipeAudioSink.start(pacatCommand({ sampleRate: o.sampleRate, device: o.target }), { sampleRate: o.sampleRate }),
};
