// Starts the handset server and Debian's Chromium (never a downloaded browser) for the browser
// tests and the latency benchmark: headless, fresh profile, fake microphone from a WAV file.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createWsUpgrade } from '../../../src/app/ws-upgrade.js';
import {
  AUDIO_FRAME_SAMPLES, parseAudioFrame, startHandsetServer, type AudioFrame, type HandsetEngine, type HandsetServer, type SocketChannel, type WebSocketUpgrade,
} from '../../../src/ui/index.js';
import { repoRoot } from '../../support/paths.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
];

/** Why the browser tests cannot run here, or undefined. CI installs chromium, so there they run. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the web handset tests`;
}

/** Builds build/ui with Vite when it is missing or stale. */
export function buildUi(): void {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'scripts/build-ui.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build of src/ui/web failed');
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `handset-${prefix}-`));
}

/** A WAV made with sox (16-bit mono), e.g. `['synth', '4', 'sine', '1000']`. */
export function soxWav(dir: string, name: string, effects: string[], rate = 16000): string {
  const file = join(dir, name);
  const r = spawnSync('sox', ['-n', '-r', String(rate), '-c', '1', '-b', '16', '-e', 'signed-integer', file, ...effects]);
  if (r.status !== 0) throw new Error(`sox failed: ${r.stderr.toString()}`);
  return file;
}

export async function startServer(engine: HandsetEngine, upgrade: WebSocketUpgrade = createWsUpgrade()): Promise<HandsetServer> {
  return startHandsetServer({ engine, token: randomBytes(32).toString('base64url'), staticDir: join(repoRoot(), 'build/ui'), port: 0, upgrade });
}

/** The UI's WebSocket upgrade, showing each microphone frame the page sends to `onFrame` before the engine gets it. */
export function micObservingUpgrade(onFrame: (frame: AudioFrame) => void): WebSocketUpgrade {
  const base = createWsUpgrade();
  return async (req, socket, head): Promise<SocketChannel> => {
    const channel = await base(req, socket, head);
    return {
      get bufferedAmount() {
        return channel.bufferedAmount;
      },
      send: (d) => channel.send(d),
      close: (c, r) => channel.close(c, r),
      onClose: (l) => channel.onClose(l),
      onMessage: (listener) => channel.onMessage((data, binary) => {
        if (binary) {
          const f = parseAudioFrame(data, 0, AUDIO_FRAME_SAMPLES);
          if (f.ok) onFrame(f.value);
        }
        listener(data, binary);
      }),
    };
  };
}

export async function launchChromium(micWav?: string, extraArgs: string[] = []): Promise<Browser> {
  const args = [...CHROMIUM_FLAGS, ...extraArgs];
  if (micWav !== undefined) args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${micWav}%noloop`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/** The page's test hooks (src/ui/web/main.ts), as seen from code that runs inside the page. */
export interface HandsetTestHooks {
  connected(): boolean;
  ready(): Promise<void>;
  startTap(): void;
  readTap(): Promise<TapResult>;
  latency(): { engineToRendered: number[] };
  state(): unknown;
  attachHid(device: unknown): Promise<void>;
}

export interface PageGlobals {
  handsetTest?: HandsetTestHooks;
  localStorage: { setItem(k: string, v: string): void };
}

export interface AudioProcessing {
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

/** Opens the printed address in a fresh context and waits for the engine snapshot. */
export async function openHandset(browser: Browser, server: HandsetServer, processing?: AudioProcessing): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1180, height: 900 } });
  if (processing !== undefined) {
    await context.addInitScript((p) => (globalThis as unknown as PageGlobals).localStorage.setItem('handset.audio', JSON.stringify({ ...p, inputDeviceId: '', outputDeviceId: '' })), processing);
  }
  const page = await context.newPage();
  await page.goto(server.openUrl);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).handsetTest?.connected() === true, undefined, { timeout: 10_000 });
  await page.evaluate(() => (globalThis as unknown as PageGlobals).handsetTest!.ready());
  return { context, page };
}

export interface TapResult {
  samples: number[];
  underruns: number;
  sampleRate: number;
}

export const startTap = (page: Page): Promise<void> => page.evaluate(() => (globalThis as unknown as PageGlobals).handsetTest!.startTap());
export const readTap = (page: Page): Promise<TapResult> => page.evaluate(() => (globalThis as unknown as PageGlobals).handsetTest!.readTap());
