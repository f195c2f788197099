// Web handset audio latency in real Chromium (headless, fake microphone, loopback WebSocket):
//   page → engine: the capture worklet's frame reaches the page's main thread (stamped there)
//                  until the engine's socket handler has parsed it;
//   engine → rendered: the engine stamps its reply until the playback worklet starts playing
//                  that frame (includes the playback worklet's cushion; reported when the
//                  worklet's message reaches the main thread, so a little over).
// The engine runs the echo test with no delay (each mic frame answered by itself).
// Then the real call path (bench/ui-call-latency.ts): capture → RTP sent and RTP received →
// rendered, each against the 40 ms target.
import { LocalHandsetEngine } from '../src/app/local-engine.js';
import { runEngineCommand } from '../src/ui/index.js';
import { latencySummary } from './ui-latency-stats.js';
import { measureCallLatency } from './ui-call-latency.js';
import {
  buildUi, chromiumMissing, launchChromium, micObservingUpgrade, openHandset, soxWav, startServer, tempDir, type PageGlobals,
} from '../test/browser/support/chromium.js';

const MEASURE_MS = 6000;

export async function run(): Promise<void> {
  const missing = chromiumMissing();
  if (missing !== undefined) {
    process.stdout.write(`skipped: ${missing}\n`);
    return;
  }
  buildUi();
  const pageToEngine: number[] = [];
  // Observe microphone frames as the engine receives them, without changing the server.
  const upgrade = micObservingUpgrade((f) => pageToEngine.push(performance.timeOrigin + performance.now() - f.timeMs));
  const engine = new LocalHandsetEngine();
  const server = await startServer(engine, upgrade);
  const wav = soxWav(tempDir('bench'), 'tone.wav', ['synth', String(MEASURE_MS / 1000 + 4), 'sine', '440']);
  const browser = await launchChromium(wav);
  try {
    const { page } = await openHandset(browser, server, { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
    await runEngineCommand(engine, 'echo-test', { delayMs: 0 });
    // Let capture start and the first bursts settle, then measure a clean window.
    await page.waitForTimeout(1500);
    pageToEngine.length = 0;
    await page.evaluate(() => (globalThis as unknown as PageGlobals).handsetTest!.latency().engineToRendered.splice(0));
    await page.waitForTimeout(MEASURE_MS);
    const rendered = await page.evaluate(() => [...(globalThis as unknown as PageGlobals).handsetTest!.latency().engineToRendered]);
    const tap = await page.evaluate(async () => {
      const t = (globalThis as unknown as PageGlobals).handsetTest!;
      return (await t.readTap()).underruns;
    });
    process.stdout.write(`Chromium headless, 16 kHz AudioContext, 20 ms frames, loopback WebSocket, ${MEASURE_MS / 1000} s\n`);
    process.stdout.write(`${latencySummary('echo: page → engine', pageToEngine)}\n`);
    process.stdout.write(`${latencySummary('echo: engine → rendered', rendered)}\n`);
    process.stdout.write(`playback underruns since start: ${tap}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
  const call = await measureCallLatency().catch((e: Error) => `failed: ${e.message}`);
  process.stdout.write(typeof call === 'string' ? `call path not measured: ${call}\n` : `${call.lines.join('\n')}\n`);
}
