// A private PulseAudio daemon with virtual devices, for the device-level browser tests: null
// sinks "speaker" and "micfeed", and a microphone "mic" remapped from micfeed's monitor (Chromium
// hides .monitor sources); a second pair ("speaker2", "mic2" fed through "micfeed2") for device
// switching. pacat feeds the microphones, parec records the speakers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The second microphone's module and arguments (also how a test plugs it back in). */
export const SECOND_MICROPHONE = ['module-remap-source', 'source_name=mic2', 'master=micfeed2.monitor', 'source_properties=device.description=HandsetMic2'];

// Device descriptions are the labels the page lists.
const SCRIPT = `load-module module-native-protocol-unix auth-anonymous=1
load-module module-null-sink sink_name=speaker rate=48000 sink_properties=device.description=HandsetSpeaker1
load-module module-null-sink sink_name=micfeed rate=48000
load-module module-remap-source source_name=mic master=micfeed.monitor source_properties=device.description=HandsetMic1
load-module module-null-sink sink_name=speaker2 rate=48000 sink_properties=device.description=HandsetSpeaker2
load-module module-null-sink sink_name=micfeed2 rate=48000
load-module ${SECOND_MICROPHONE.join(' ')}
set-default-sink speaker
set-default-source mic
`;

export function pulseMissing(): string | undefined {
  for (const tool of ['pulseaudio', 'pacat', 'parec', 'pactl']) {
    if (!['/usr/bin', '/bin'].some((d) => existsSync(join(d, tool)))) return `${tool} is missing: install pulseaudio and pulseaudio-utils to run the device-level audio tests`;
  }
  return undefined;
}

export interface Recording {
  stop(): Promise<Int16Array>;
  /** Resolves when the first data arrives (an idle null sink delivers it 1–2 s late). */
  readonly started: Promise<void>;
}

export class PulseAudio {
  private constructor(private readonly daemon: ChildProcess, readonly env: Record<string, string>) {}

  static async start(dir: string): Promise<PulseAudio> {
    const runtime = join(dir, 'run');
    mkdirSync(runtime, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'handset.pa'), SCRIPT);
    const env = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: runtime, PULSE_SERVER: `unix:${join(runtime, 'pulse', 'native')}` } as Record<string, string>;
    const daemon = spawn('pulseaudio', ['-n', '-F', join(dir, 'handset.pa'), '--exit-idle-time=-1', '--daemonize=no', '--use-pid-file=no', '--disable-shm=no'], { env, stdio: 'ignore' });
    const pa = new PulseAudio(daemon, env);
    for (let i = 0; i < 100; i++) {
      if (spawnSync('pactl', ['info'], { env }).status === 0) return pa;
      await new Promise((r) => setTimeout(r, 50));
    }
    pa.stop();
    throw new Error('pulseaudio did not start');
  }

  pactl(...args: string[]): string {
    const r = spawnSync('pactl', args, { env: this.env });
    if (r.status !== 0) throw new Error(`pactl ${args.join(' ')}: ${r.stderr.toString()}`);
    return r.stdout.toString().trim();
  }

  /** Plays 16 kHz mono samples into a sink (paced by the sink's clock). */
  play(sink: string, samples: Int16Array): ChildProcess {
    const p = spawn('pacat', ['--playback', `--device=${sink}`, '--rate=16000', '--channels=1', '--format=s16le', '--raw', '--latency-msec=20'], { env: this.env, stdio: ['pipe', 'ignore', 'ignore'] });
    p.stdin!.on('error', () => undefined);
    p.stdin!.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    return p;
  }

  /** Records a source as 16 kHz mono. */
  record(source: string): Recording {
    const p = spawn('parec', [`--device=${source}`, '--rate=16000', '--channels=1', '--format=s16le', '--raw', '--latency-msec=20'], { env: this.env, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let first: () => void = () => undefined;
    const started = new Promise<void>((r) => (first = r));
    p.stdout!.on('data', (c: Buffer) => {
      chunks.push(c);
      first();
    });
    return {
      started,
      stop: () => new Promise((resolve) => {
        p.once('exit', () => {
          const all = new Uint8Array(Buffer.concat(chunks)); // a fresh, aligned copy
          resolve(new Int16Array(all.buffer, 0, all.length >> 1));
        });
        p.kill('SIGTERM');
      }),
    };
  }

  stop(): void {
    this.daemon.kill('SIGTERM');
  }
}
