// Browser audio: one AudioContext at 16 kHz for the microphone path (getUserMedia → capture
// worklet → WebSocket), the speaker path (WebSocket → playback worklet) and local sounds.
import { AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE, parseAudioFrame, sizeOfAudioFrame, writeAudioFrame } from '../audio-frame.js';
import captureUrl from './capture-worklet.ts?worker&url';
import playbackUrl from './playback-worklet.ts?worker&url';

export interface AudioSettings {
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
  inputDeviceId: string;
  outputDeviceId: string;
}

const SETTINGS_KEY = 'handset.audio';

export function loadAudioSettings(): AudioSettings {
  const defaults: AudioSettings = { echoCancellation: true, noiseSuppression: true, autoGainControl: true, inputDeviceId: '', outputDeviceId: '' };
  try {
    return { ...defaults, ...(JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<AudioSettings>) };
  } catch {
    return defaults;
  }
}

export function saveAudioSettings(s: AudioSettings): void {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
}

/** Latency samples in ms, for the benchmark and diagnostics. */
export interface LatencyLog {
  /** Engine stamp → the playback worklet starts rendering that frame. */
  engineToRendered: number[];
  /** Test markers (setLatencyMarkers): wall-clock ms each marked microphone frame was complete. */
  markersCaptured: number[];
  /**
   * Wall-clock ms each marker onset in the engine's audio was rendered by the playback worklet,
   * and when that sample reaches the output device by the context's output timestamp.
   */
  markersRendered: { renderedAt: number; outputAt: number }[];
}

const epochNow = (): number => performance.timeOrigin + performance.now();

export class AudioPath {
  readonly context: AudioContext;
  /** Local sounds (keypad tones, ringtone) connect here; they pass through the playback node. */
  readonly localBus: GainNode;
  readonly latency: LatencyLog = { engineToRendered: [], markersCaptured: [], markersRendered: [] };
  private markerEvery = 0;
  private playback: AudioWorkletNode | undefined;
  private capture: AudioWorkletNode | undefined;
  private stream: MediaStream | undefined;
  private source: MediaStreamAudioSourceNode | undefined;
  private ready: Promise<void>;
  private readonly sentAt = new Map<number, number>();
  private tapWaiter: ((r: { chunks: Float32Array[]; underruns: number }) => void) | undefined;
  capturing = false;
  /** The microphone the capture runs on and the speaker the context plays on ('' = the default one). */
  private inputInUse = '';
  private sinkInUse = '';
  /** Bumped by each stop: a start that finds it changed after its awaits gives up. */
  private captureRun = 0;

  constructor(private settings: AudioSettings, private readonly send: (frame: Uint8Array) => void) {
    this.context = new AudioContext({ sampleRate: AUDIO_SAMPLE_RATE, latencyHint: 'interactive' });
    this.localBus = this.context.createGain();
    this.ready = this.init();
  }

  private async init(): Promise<void> {
    await this.context.audioWorklet.addModule(captureUrl);
    await this.context.audioWorklet.addModule(playbackUrl);
    this.playback = new AudioWorkletNode(this.context, 'handset-playback', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
    this.localBus.connect(this.playback);
    this.playback.connect(this.context.destination);
    this.playback.port.onmessage = (e: MessageEvent) => {
      const m = e.data as { type: string; sequence?: number; chunks?: Float32Array[]; underruns?: number; renderedAt?: number; contextTime?: number };
      if (m.type === 'marker') this.logRenderedMarker(m.renderedAt!, m.contextTime!);
      else if (m.type === 'rendering') {
        const sent = this.sentAt.get(m.sequence!);
        if (sent !== undefined) {
          this.sentAt.delete(m.sequence!);
          if (this.latency.engineToRendered.length < 10_000) this.latency.engineToRendered.push(epochNow() - sent);
        }
      } else if (m.type === 'tap') {
        this.tapWaiter?.({ chunks: m.chunks!, underruns: m.underruns! });
        this.tapWaiter = undefined;
      }
    };
    if (this.settings.outputDeviceId !== '') await this.setOutputDevice(this.settings.outputDeviceId);
  }

  async resume(): Promise<void> {
    await this.ready;
    if (this.context.state !== 'running') await this.context.resume();
  }

  setVolume(v: number): void {
    this.playback?.port.postMessage({ type: 'gain', gain: v });
  }

  /** Starts the microphone and the frame flow; the engine answers each frame with one. */
  async startCapture(): Promise<void> {
    if (this.capturing) return;
    this.capturing = true;
    const run = this.captureRun;
    await this.resume();
    const stream = await this.openMicrophone();
    // Stopped (or stopped and restarted: a device switch racing a devicechange) meanwhile: one
    // capture only, or the engine would get two microphones' frames interleaved.
    if (run !== this.captureRun) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    this.stream = stream;
    this.source = this.context.createMediaStreamSource(this.stream);
    this.capture = new AudioWorkletNode(this.context, 'handset-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
    this.capture.port.onmessage = (e: MessageEvent) => {
      const m = e.data as { sequence: number; samples: Int16Array; markedAt?: number };
      if (m.markedAt !== undefined && this.latency.markersCaptured.length < 10_000) this.latency.markersCaptured.push(m.markedAt);
      const frame = { sequence: m.sequence, timeMs: epochNow(), samples: m.samples };
      const out = new Uint8Array(sizeOfAudioFrame(frame));
      writeAudioFrame(frame, out, 0);
      this.send(out);
    };
    this.capture.port.postMessage({ type: 'markers', every: this.markerEvery });
    this.source.connect(this.capture);
  }

  /** The chosen microphone, else (gone, or none chosen) the default one. */
  private async openMicrophone(): Promise<MediaStream> {
    const audio: MediaTrackConstraints = {
      echoCancellation: this.settings.echoCancellation, noiseSuppression: this.settings.noiseSuppression,
      autoGainControl: this.settings.autoGainControl, channelCount: 1,
    };
    const id = this.settings.inputDeviceId;
    if (id !== '') {
      try {
        // Chromium treats an `ideal` (or bare) deviceId as a hint and opens the default: `exact`.
        const stream = await navigator.mediaDevices.getUserMedia({ audio: { ...audio, deviceId: { exact: id } } });
        this.inputInUse = id;
        return stream;
      } catch {
        // The remembered microphone is not there: the default until it comes back (devicechange).
      }
    }
    this.inputInUse = '';
    return navigator.mediaDevices.getUserMedia({ audio });
  }

  stopCapture(): void {
    this.capturing = false;
    this.captureRun++;
    this.source?.disconnect();
    this.capture?.port.close();
    this.capture?.disconnect();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = this.source = this.capture = undefined;
    this.playback?.port.postMessage({ type: 'reset' });
  }

  /** A speaker frame from the engine. */
  receive(data: ArrayBuffer): void {
    const r = parseAudioFrame(new Uint8Array(data), 0, AUDIO_FRAME_SAMPLES);
    if (!r.ok || this.playback === undefined) return;
    if (this.sentAt.size > 500) this.sentAt.clear();
    this.sentAt.set(r.value.sequence, r.value.timeMs);
    this.playback.port.postMessage({ type: 'frame', sequence: r.value.sequence, samples: r.value.samples }, [r.value.samples.buffer]);
  }

  async applySettings(next: AudioSettings): Promise<void> {
    const restart = this.capturing && (next.inputDeviceId !== this.settings.inputDeviceId || next.echoCancellation !== this.settings.echoCancellation
      || next.noiseSuppression !== this.settings.noiseSuppression || next.autoGainControl !== this.settings.autoGainControl);
    const sinkChanged = next.outputDeviceId !== this.settings.outputDeviceId;
    this.settings = next;
    saveAudioSettings(next);
    if (sinkChanged) await this.setOutputDevice(next.outputDeviceId);
    if (restart) {
      this.stopCapture();
      await this.startCapture();
    }
  }

  /**
   * After each device listing (start, devicechange): a remembered device that is missing leaves
   * the default in use (a lost microphone is reopened on the default); one that is listed again
   * is put back into use, during a call too.
   */
  async devicesListed(present: { input: boolean; output: boolean }): Promise<void> {
    if (!present.output) this.sinkInUse = '';
    else if (this.sinkInUse !== this.settings.outputDeviceId) await this.setOutputDevice(this.settings.outputDeviceId);
    const wanted = present.input ? this.settings.inputDeviceId : '';
    const ended = this.stream?.getAudioTracks()[0]?.readyState === 'ended';
    if (this.capturing && (this.inputInUse !== wanted || ended)) {
      this.stopCapture();
      await this.startCapture();
    }
  }

  private async setOutputDevice(id: string): Promise<void> {
    const ctx = this.context as AudioContext & { sinkId?: string; setSinkId?: (id: string) => Promise<void> };
    if (ctx.setSinkId === undefined) return;
    try {
      // A device that went away and came back has its old id, which setSinkId takes as no change.
      if (id !== '' && ctx.sinkId === id && this.sinkInUse !== id) await ctx.setSinkId('');
      await ctx.setSinkId(id);
      this.sinkInUse = id;
    } catch {
      // The remembered device is gone; the default plays until it comes back (devicechange).
      this.sinkInUse = '';
    }
  }

  // Test hooks: what the playback worklet rendered (network audio and local sounds together).
  startTap(): void {
    this.playback?.port.postMessage({ type: 'tap-start' });
  }

  readTap(): Promise<{ chunks: Float32Array[]; underruns: number }> {
    return new Promise((resolve) => {
      this.tapWaiter = resolve;
      this.playback?.port.postMessage({ type: 'tap-read' });
    });
  }

  /**
   * Latency benchmark hook (off by default): every `everyFrames` microphone frames is replaced by
   * a marker burst, and marker onsets in the engine's audio are logged as rendered (0: off).
   */
  setLatencyMarkers(everyFrames: number): void {
    this.markerEvery = everyFrames;
    this.capture?.port.postMessage({ type: 'markers', every: everyFrames });
    this.playback?.port.postMessage({ type: 'markers', on: everyFrames > 0 });
  }

  private logRenderedMarker(renderedAt: number, contextTime: number): void {
    if (this.latency.markersRendered.length >= 10_000) return;
    const ts = this.context.getOutputTimestamp();
    const outputAt = ts.contextTime === undefined || ts.performanceTime === undefined
      ? Number.NaN : performance.timeOrigin + ts.performanceTime + (contextTime - ts.contextTime) * 1000;
    this.latency.markersRendered.push({ renderedAt, outputAt });
  }

  async whenReady(): Promise<void> {
    await this.ready;
  }
}
