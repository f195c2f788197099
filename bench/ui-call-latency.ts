// Web handset latency on the real call path, in Chromium (headless, fake microphone of silence,
// processing off): the page dials, through the phone engine (PhoneHandsetEngine on a Phone on
// loopback), a sipp UAS whose SDP points at a Node RTP endpoint (bench/ui-rtp-endpoint.ts).
//   capture → RTP sent: the capture worklet replaces a frame with a loud burst every
//     MARKER_EVERY frames and stamps the wall clock when that frame is complete; the endpoint
//     stamps the arrival of the packet holding the burst's onset (loopback: arrival ≈ sent).
//   RTP received → rendered: the endpoint sends a loud PCMU packet every MARKER_EVERY packets,
//     stamped as it is sent; the playback worklet stamps the moment it renders the onset.
// Both sides stamp performance.timeOrigin + performance.now() (one machine, one wall clock).
// Stages in between are stamped in the engine's process: the microphone frame parsed by the
// engine, the call's pump handing the received frame to its sinks, the speaker frame sent to the
// page (each plus the onset's place in its frame, so the stages add up).
import type { IncomingMessage } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import type { Duplex } from 'node:stream';
import type { Page } from 'playwright-core';
import { PhoneHandsetEngine } from '../src/app/phone-engine.js';
import { createWsUpgrade } from '../src/app/ws-upgrade.js';
import { startPhone, type Call } from '../src/phone/index.js';
import { AUDIO_FRAME_SAMPLES, AUDIO_SAMPLE_RATE, parseAudioFrame, type SocketChannel } from '../src/ui/index.js';
import { buildUi, chromiumMissing, launchChromium, openHandset, soxWav, startServer, tempDir } from '../test/browser/support/chromium.js';
import { findBinary, removeTempDir } from '../test/support/peers/env.js';
import { startSippUas } from '../test/support/peers/sipp.js';
import { OnsetDetector, latencySummary, pairDelays, quantile } from './ui-latency-stats.js';
import { SIPP_MEDIA_UAS, startRtpMarkerEndpoint, wallNow } from './ui-rtp-endpoint.js';
import { sleep, until } from '../test/support/wait.js';

const MEASURE_MS = 15_000;
/** A marker every 300 ms each way: well above any delay measured, so each pairs with its own. */
const MARKER_EVERY = 15;
const PAIR_WINDOW_MS = 280;
export const TARGET_MS = 40;

/** The page's latency hooks (src/ui/web/main.ts, audio-path.ts). */
interface MarkerHooks {
  latencyMarkers(everyFrames: number): void;
  latency(): { engineToRendered: number[]; markersCaptured: number[]; markersRendered: { renderedAt: number; outputAt: number }[] };
  readTap(): Promise<{ underruns: number }>;
}
type MarkerPage = { handsetTest: MarkerHooks };

/** Engine-side stamps of the markers (wall-clock ms). */
interface EngineStamps {
  micIn: number[];
  /** Every microphone frame's arrival (each one ticks the call's pump). */
  frames: number[];
  pumpOut: number[];
  speakerOut: number[];
}

/** The server's socket upgrade, stamping marker onsets in microphone frames in and speaker frames out. */
function observingUpgrade(stamps: EngineStamps): (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<SocketChannel> {
  const base = createWsUpgrade();
  return async (req, socket, head) => {
    const channel = await base(req, socket, head);
    const micOnsets = new OnsetDetector(8000, 1600);
    const speakerOnsets = new OnsetDetector(8000, 1600);
    const watch = (data: Uint8Array, onsets: OnsetDetector, into: number[]): void => {
      const f = parseAudioFrame(data, 0, AUDIO_FRAME_SAMPLES);
      const onset = f.ok ? onsets.feed(f.value.samples) : -1;
      // A frame plays over 20 ms from its stamp: an onset inside it is due that much later.
      if (onset >= 0) into.push(wallNow() + (onset * 1000) / AUDIO_SAMPLE_RATE);
    };
    return {
      get bufferedAmount() {
        return channel.bufferedAmount;
      },
      send: (d) => {
        if (typeof d !== 'string') watch(d, speakerOnsets, stamps.speakerOut);
        channel.send(d);
      },
      close: (c, r) => channel.close(c, r),
      onClose: (l) => channel.onClose(l),
      onMessage: (listener) => channel.onMessage((data, binary) => {
        // Stamped before the engine runs on the frame (its RTP goes out within this call).
        if (binary) {
          stamps.frames.push(wallNow());
          watch(data, micOnsets, stamps.micIn);
        }
        listener(data, binary);
      }),
    };
  };
}


export interface CallLatency {
  captureToRtp: number[];
  rtpToRendered: number[];
  lines: string[];
}

/** Places the call, measures both directions for MEASURE_MS and returns the figures and report lines. */
export async function measureCallLatency(): Promise<CallLatency | string> {
  const missing = chromiumMissing() ?? (findBinary('sipp') === undefined ? 'sipp is missing' : undefined);
  if (missing !== undefined) return missing;
  buildUi();
  const dir = tempDir('bench-call');
  const stamps: EngineStamps = { micIn: [], frames: [], pumpOut: [], speakerOut: [] };
  const endpoint = await startRtpMarkerEndpoint();
  const sipp = await startSippUas({ xml: SIPP_MEDIA_UAS }, { keys: { rtp_port: endpoint.port }, calls: 1, timeoutS: 90 });
  const phone = await startPhone({ host: '127.0.0.1' });
  const engine = new PhoneHandsetEngine({ phone, statsIntervalMs: 0 });
  const server = await startServer(engine, observingUpgrade(stamps));
  const browser = await launchChromium(soxWav(dir, 'silence.wav', ['synth', String(MEASURE_MS / 1000 + 15), 'sine', '440', 'vol', '0']));
  let page: Page | undefined;
  try {
    page = (await openHandset(browser, server, { echoCancellation: false, noiseSuppression: false, autoGainControl: false })).page;
    await page.getByLabel('Number to dial').fill(sipp.uri('latency'));
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await until('the call is active', () => phone.activeCalls[0]?.state === 'active');
    const call: Call = phone.activeCalls[0]!;
    const pumpOnsets = new OnsetDetector(4000, 800);
    const stopListening = call.listen({
      write: (frame, rate) => {
        const onset = pumpOnsets.feed(frame);
        if (onset >= 0) stamps.pumpOut.push(wallNow() + (onset * 1000) / rate);
      },
    });
    await until('RTP from the phone', () => endpoint.received() > 10);
    endpoint.startSending(MARKER_EVERY);
    // Let capture, both jitter buffers and the first bursts settle, then measure a clean window.
    await sleep(2000);
    const sendFrom = endpoint.markersSent.length;
    const underrunsBefore = (await page.evaluate(() => (globalThis as unknown as MarkerPage).handsetTest.readTap())).underruns;
    const jbBefore = { ...call.stream?.getStats().jitter };
    await page.evaluate((n) => {
      const h = (globalThis as unknown as MarkerPage).handsetTest;
      h.latency().engineToRendered.splice(0);
      h.latencyMarkers(n);
    }, MARKER_EVERY);
    const framesFrom = stamps.frames.length;
    await sleep(MEASURE_MS);
    // The window ends here: what the engine and the far end saw is taken before the page is asked
    // anything (the page's audio can stall around Playwright's calls).
    const windowEnd = wallNow();
    const sent = endpoint.markersSent.slice(sendFrom).filter((t) => t <= windowEnd);
    const frames = stamps.frames.slice(framesFrom);
    const jbNow = call.stream?.getStats().jitter;
    // The stats object is live: copy it at the window's end.
    const jb = jbNow === undefined ? undefined : { ...jbNow };
    const queues = engine.audioQueueDelayMs();
    const underruns = (await page.evaluate(() => (globalThis as unknown as MarkerPage).handsetTest.readTap())).underruns - underrunsBefore;
    await page.evaluate(() => (globalThis as unknown as MarkerPage).handsetTest.latencyMarkers(0));
    await sleep(500);
    const pageLog = await page.evaluate(() => (globalThis as unknown as MarkerPage).handsetTest.latency());
    stopListening();
    await page.getByRole('button', { name: 'Hang up' }).click();
    await until('the call ended', () => phone.activeCalls.length === 0, 5000);

    const w = PAIR_WINDOW_MS;
    // Markers that started in the window, and the stamps they left downstream (the page and its
    // audio can stall around Playwright's calls after the window).
    const fromWindow = (origins: readonly number[], xs: readonly number[]): number[] => xs.filter((x) => origins.some((o) => x >= o && x - o <= w));
    const captured = pageLog.markersCaptured.filter((t) => t <= windowEnd);
    const micIn = fromWindow(captured, stamps.micIn);
    const arrived = fromWindow(captured, endpoint.markersArrived.map((m) => m.at));
    const pumpOut = fromWindow(sent, stamps.pumpOut);
    const speakerOut = fromWindow(sent, stamps.speakerOut);
    const rendered = fromWindow(sent, pageLog.markersRendered.map((m) => m.renderedAt));
    const output = pageLog.markersRendered.map((m) => m.outputAt).filter((x) => Number.isFinite(x) && x <= windowEnd + w + 100);
    const everyFrame = pageLog.engineToRendered.slice(0, MEASURE_MS / 20);
    const captureToRtp = pairDelays(captured, arrived, w);
    const rtpToRendered = pairDelays(sent, rendered, w);
    const gaps = frames.slice(1).map((t, i) => t - frames[i]!);
    const stalls = gaps.flatMap((g, i) => (g > 100 ? [{ ms: g, at: (frames[i]! - frames[0]!) / 1000 }] : []));
    // The call's pump runs when a microphone frame arrives: a packet waits at least for the next one.
    const nextTick = sent.map((t) => (frames.find((f) => f >= t) ?? t) - t);
    const delta = (k: 'underrunFrames' | 'concealedFrames' | 'acceleratedMs' | 'expandedMs'): string => (jb === undefined ? '-' : (jb[k] - (jbBefore[k] ?? 0)).toFixed(0));
    const onsetIndex = endpoint.markersArrived.map((m) => m.index);
    const verdict = (xs: number[]): string => (xs.length === 0 ? 'NOT MEASURED' : quantile(xs, 0.95) <= TARGET_MS ? `meets the ${TARGET_MS} ms target (p95)` : `MISSES the ${TARGET_MS} ms target (p95 ${quantile(xs, 0.95).toFixed(1)} ms)`);
    const lines = [
      `call path: page → phone engine → PCMU RTP to a Node endpoint (sipp UAS for SIP), loopback, ${MEASURE_MS / 1000} s, a marker every ${MARKER_EVERY * 20} ms each way`,
      latencySummary('capture → RTP sent', captureToRtp, 'markers'),
      latencySummary('  capture → engine (WebSocket)', pairDelays(captured, micIn, w), 'markers'),
      latencySummary('  engine → RTP at the far end', pairDelays(micIn, arrived, w), 'markers'),
      `  marker onset at sample ${onsetIndex.length === 0 ? '-' : `${Math.min(...onsetIndex)}–${Math.max(...onsetIndex)}`} of its packet (0: page frames and RTP packets aligned)`,
      latencySummary('RTP received → rendered', rtpToRendered, 'markers'),
      latencySummary('  RTP → out of the call\'s pump', pairDelays(sent, pumpOut, w), 'markers'),
      latencySummary('    of which RTP → next pump tick', nextTick, 'markers'),
      latencySummary('  pump → speaker frame sent', pairDelays(pumpOut, speakerOut, w), 'markers'),
      latencySummary('  speaker frame → rendered', pairDelays(speakerOut, rendered, w), 'markers'),
      latencySummary('    every frame: engine → rendering', everyFrame, 'frames'),
      latencySummary('  microphone frame spacing', gaps, 'gaps'),
      latencySummary('  (RTP → output device)', pairDelays(sent, output, w + 100), 'markers'),
      `  phone jitter buffer: target ${jb?.targetDelayMs.toFixed(0) ?? '-'} ms, buffered ${jb?.bufferedMs.toFixed(0) ?? '-'} ms, excess ${jb?.excessDelayMs.toFixed(0) ?? '-'} ms; while measuring ${delta('underrunFrames')} underrun and ${delta('concealedFrames')} concealed frames, ${delta('acceleratedMs')} ms accelerated, ${delta('expandedMs')} ms expanded`,
      `  engine queues (mean): microphone ${queues?.mic.toFixed(1) ?? '-'} ms, speaker ${queues?.speaker.toFixed(1) ?? '-'} ms; page playback underruns while measuring ${underruns}`,
      `  markers: ${captured.length} captured, ${arrived.length} arrived; ${sent.length} sent, ${rendered.length} rendered`,
      `  machine: load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs; microphone frame gaps over 100 ms (audio thread or engine stalls): ${stalls.map((g) => `${g.ms.toFixed(0)} ms at +${g.at.toFixed(1)} s`).join(', ') || 'none'}`,
      `capture → RTP sent:      ${verdict(captureToRtp)}`,
      `RTP received → rendered: ${verdict(rtpToRendered)}`,
    ];
    return { captureToRtp, rtpToRendered, lines };
  } finally {
    await page?.context().close();
    await browser.close();
    await server.close();
    await engine.close();
    await phone.close();
    await sipp.stop();
    await endpoint.close();
    removeTempDir(dir);
  }
}
