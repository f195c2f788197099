// One page's WebSocket: a JSON snapshot on connect, then deltas; commands by name; binary
// frames are microphone audio, each answered by one speaker frame.
import { parseAudioFrame, sizeOfAudioFrame, writeAudioFrame } from './audio-frame.js';
import { describeCommands, runEngineCommand } from './command-runner.js';
import type { AudioSession, HandsetEngine } from './engine.js';

/** A WebSocket as the server sees it; src/app adapts the `ws` package to it. */
export interface SocketChannel {
  send(data: string | Uint8Array): void;
  /** Bytes queued and not yet written. */
  readonly bufferedAmount: number;
  onMessage(listener: (data: Uint8Array, binary: boolean) => void): void;
  onClose(listener: () => void): void;
  close(code: number, reason: string): void;
}

/** Above this much unsent data the page is not reading: audio replies are dropped, not queued. */
const MAX_BUFFERED = 256 * 1024;
const RATES = new Set([8000, 16000, 24000, 32000, 48000]);

export function serveSocket(channel: SocketChannel, engine: HandsetEngine, now: () => number): void {
  let audio: AudioSession | undefined;
  const sendJson = (m: unknown): void => channel.send(JSON.stringify(m));
  sendJson({ type: 'hello', commands: describeCommands(engine), state: engine.snapshot() });
  const unsubscribe = engine.onChange((changes) => sendJson({ type: 'delta', changes }));
  const stopAudio = (): void => {
    audio?.close();
    audio = undefined;
  };
  channel.onClose(() => {
    unsubscribe();
    stopAudio();
  });

  const onText = async (text: string): Promise<void> => {
    let m: unknown;
    try {
      m = JSON.parse(text);
    } catch {
      return sendJson({ type: 'error', error: 'message is not JSON' });
    }
    if (typeof m !== 'object' || m === null) return sendJson({ type: 'error', error: 'message is not an object' });
    const msg = m as Record<string, unknown>;
    switch (msg['type']) {
      case 'command': {
        const result = await runEngineCommand(engine, msg['name'], msg['args']);
        return sendJson({ type: 'result', id: msg['id'] ?? null, ...result });
      }
      case 'audio-start': {
        const sampleRate = msg['sampleRate'];
        const frameSamples = msg['frameSamples'];
        if (typeof sampleRate !== 'number' || !RATES.has(sampleRate)) return sendJson({ type: 'error', error: 'audio-start: unsupported sampleRate' });
        if (typeof frameSamples !== 'number' || frameSamples !== sampleRate / 50) return sendJson({ type: 'error', error: 'audio-start: frames must be 20 ms' });
        stopAudio();
        audio = engine.openAudio({ sampleRate, frameSamples });
        return sendJson({ type: 'audio-started', sampleRate, frameSamples });
      }
      case 'audio-stop':
        stopAudio();
        return sendJson({ type: 'audio-stopped' });
      default:
        return sendJson({ type: 'error', error: 'unknown message type' });
    }
  };

  channel.onMessage((data, binary) => {
    if (!binary) {
      void onText(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
      return;
    }
    if (audio === undefined) return;
    const parsed = parseAudioFrame(data, 0, audio.frameSamples);
    if (!parsed.ok) return sendJson({ type: 'error', error: `audio: ${parsed.error}` });
    const speaker = audio.process(parsed.value.samples);
    if (channel.bufferedAmount > MAX_BUFFERED) return;
    const reply = { sequence: parsed.value.sequence, timeMs: now(), samples: speaker };
    const out = new Uint8Array(sizeOfAudioFrame(reply));
    writeAudioFrame(reply, out, 0);
    channel.send(out);
  });
}
