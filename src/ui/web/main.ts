// The web handset page: display, keypad, feature keys, lines, incoming banner and the side views,
// all driven by the engine's state over the WebSocket API.
import type { CallView, HandsetState } from '../engine.js';
import { accountName, chosenAccount, dialArgs, renderDialAccount } from './account-choice.js';
import { AudioPath, loadAudioSettings, type AudioSettings } from './audio-path.js';
import { EngineConnection } from './connection.js';
import { byId, el } from './dom.js';
import { HidHeadset, isTelephonyHeadset, type HidDeviceLike } from './hid-headset.js';
import { LocalSounds } from './local-sounds.js';
import { SettingsView } from './settings-view.js';
import { renderContacts, renderDiagnostics, renderHistory, renderMessages, setupTabs, type ViewContext } from './views.js';

const KEYS: [string, string][] = [['1', ''], ['2', 'ABC'], ['3', 'DEF'], ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'], ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'], ['*', ''], ['0', '+'], ['#', '']];
const LIVE: ReadonlySet<CallView['state']> = new Set(['active', 'early', 'held']);
const STATE_TEXT: Record<CallView['state'], string> = { dialing: 'Dialing…', ringing: 'Ringing…', incoming: 'Incoming call', early: 'Early media', active: 'Connected', held: 'On hold', ended: 'Call ended' };

let audioSettings: AudioSettings = loadAudioSettings();
let audio: AudioPath | undefined;
let sounds: LocalSounds | undefined;
let headset: HidHeadset | undefined;
let ringingFor = '';
let timer: ReturnType<typeof setInterval> | undefined;

const status = (text: string): void => {
  byId('status-message').textContent = text;
};

const conn = new EngineConnection(
  (state) => render(state),
  (up) => {
    const lamp = byId('link-lamp');
    lamp.className = `lamp ${up ? 'on' : 'off'}`;
    lamp.setAttribute('aria-label', `Engine connection: ${up ? 'connected' : 'lost'}`);
    if (up && audio?.capturing) conn.sendJson({ type: 'audio-start', sampleRate: 16000, frameSamples: 320 });
  },
  (data) => audio?.receive(data),
  () => undefined,
);

async function run(name: string, args: Record<string, unknown> = {}): Promise<void> {
  const r = await conn.command(name, args);
  status(r.ok ? '' : r.error);
}

const ctx: ViewContext = {
  command: (name, args) => conn.command(name, args),
  dial: (uri, account = '') => void run('dial', dialArgs(conn.state?.accounts ?? [], uri, account)),
  audio: () => audio,
  get audioSettings() {
    return audioSettings;
  },
};

function currentCall(state: HandsetState): CallView | undefined {
  return state.calls.find((c) => c.state !== 'held' && c.state !== 'ended') ?? state.calls[0];
}

function pressKey(key: string): void {
  const button = document.querySelector<HTMLButtonElement>(`#keypad [data-key="${CSS.escape(key)}"]`);
  button?.classList.add('pressed');
  setTimeout(() => button?.classList.remove('pressed'), 120);
  void audio?.resume();
  sounds?.dtmf(key);
  const call = conn.state === undefined ? undefined : currentCall(conn.state);
  if (call !== undefined && LIVE.has(call.state)) void run('dtmf', { digits: key });
  else {
    const input = byId<HTMLInputElement>('number');
    input.value += key;
  }
}

function buildKeypad(): void {
  const pad = byId('keypad');
  for (const [key, letters] of KEYS) {
    const b = el('button', { class: 'key', 'aria-label': key, 'data-key': key }, key, el('small', { 'aria-hidden': 'true' }, letters));
    b.addEventListener('click', () => pressKey(key));
    pad.append(b);
  }
}

function wireButtons(): void {
  const on = (id: string, f: () => void): void => byId(id).addEventListener('click', f);
  on('btn-call', () => {
    const n = byId<HTMLInputElement>('number').value.trim();
    if (n === '') return status('Enter a number or SIP address first (or dial *43 for the echo test)');
    void conn.command('dial', dialArgs(conn.state?.accounts ?? [], n, chosenAccount())).then((r) => {
      status(r.ok ? '' : r.error);
      if (r.ok) byId<HTMLInputElement>('number').value = '';
    });
  });
  on('btn-answer', () => void run('answer'));
  on('btn-hangup', () => {
    if ((conn.state?.calls.length ?? 0) === 0) byId<HTMLInputElement>('number').value = '';
    else void run('hangup');
  });
  on('btn-mute', () => void run('mute'));
  on('btn-hold', () => void run('hold'));
  on('btn-dnd', () => void run('dnd'));
  on('btn-transfer', () => {
    const p = byId('transfer-panel');
    p.hidden = !p.hidden;
    if (!p.hidden) byId('transfer-target').focus();
  });
  on('transfer-go', () => void run('transfer', { target: byId<HTMLInputElement>('transfer-target').value, attended: byId<HTMLInputElement>('transfer-attended').checked }));
  on('btn-flash', () => void run('flash'));
  on('btn-conference', () => void run('conference'));
  on('btn-redial', () => void run('redial'));
  on('btn-record', () => void run('record'));
  on('btn-echo', () => void run('echo-test'));
  on('btn-hid', () => void connectHeadset());
  byId('dial-account').addEventListener('change', () => conn.state !== undefined && renderDisplay(conn.state));
  byId<HTMLInputElement>('volume').addEventListener('input', (e) => audio?.setVolume(Number((e.target as HTMLInputElement).value) / 100));
  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    const typing = (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement) && t.id !== 'number';
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (/^[0-9*#]$/.test(e.key)) {
      e.preventDefault();
      pressKey(e.key);
    } else if (e.key === 'Enter' && (t === document.body || t.id === 'number')) {
      e.preventDefault();
      byId(conn.state?.calls.some((c) => c.state === 'incoming') ? 'btn-answer' : 'btn-call').click();
    } else if (e.key === 'Escape') byId('btn-hangup').click();
  });
  // Browsers start audio only after a gesture; ask for notifications at the same moment.
  const firstGesture = (): void => {
    void audio?.resume();
    if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission();
  };
  document.addEventListener('pointerdown', firstGesture, { once: true });
  document.addEventListener('keydown', firstGesture, { once: true });
}

function renderDisplay(state: HandsetState): void {
  // The current call's account, else the one the next call goes from.
  const shown = currentCall(state)?.account || chosenAccount();
  const account = state.accounts.find((a) => a.aor === shown || a.id === shown) ?? state.accounts[0];
  const more = state.accounts.length > 1 ? ` +${state.accounts.length - 1}` : '';
  byId('account-line').textContent = account === undefined ? 'No account' : `${account.displayName || account.aor}${more}`;
  byId('registration').textContent = account === undefined ? (state.features.accounts ? '' : 'echo test only') : account.registration;
  const call = currentCall(state);
  byId('call-state').textContent = call === undefined ? 'Idle' : STATE_TEXT[call.state];
  byId('caller-name').textContent = call?.remoteName ?? '';
  byId('caller-uri').textContent = call === undefined || call.remoteName === call.remoteUri ? '' : call.remoteUri;
  byId('codec').textContent = call?.codec ?? '';
  byId('hd').hidden = !(call?.hd ?? false);
  const q = call?.quality ?? null;
  const quality = byId('quality');
  quality.setAttribute('aria-label', `Call quality: ${q === null ? 'none' : `${q} of 5`}`);
  quality.querySelectorAll('i').forEach((bar, i) => bar.classList.toggle('lit', q !== null && i < q));
  byId('flags').textContent = [call?.muted ? 'MUTE' : '', call?.recording ? 'REC' : '', state.settings.dnd ? 'DND' : ''].filter(Boolean).join(' ');
  const tick = (): void => {
    const at = call?.answeredAt ?? null;
    const s = at === null ? 0 : Math.max(0, Math.floor((Date.now() - at) / 1000));
    byId('call-timer').textContent = at === null ? '' : `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  clearInterval(timer);
  tick();
  if (call?.answeredAt != null) timer = setInterval(tick, 1000);
  byId('btn-mute').setAttribute('aria-pressed', String(call?.muted ?? false));
  byId('btn-hold').setAttribute('aria-pressed', String(call?.state === 'held'));
  byId('btn-record').setAttribute('aria-pressed', String(call?.recording ?? false));
  byId('btn-dnd').setAttribute('aria-pressed', String(state.settings.dnd));
}

function renderLines(state: HandsetState): void {
  const lines = byId('lines');
  lines.replaceChildren();
  for (let i = 0; i < Math.max(2, state.calls.length); i++) {
    const c = state.calls[i];
    if (c === undefined) {
      lines.append(el('div', { class: 'line empty' }, el('span', { class: 'led' }), `Line ${i + 1}: free`));
      continue;
    }
    const via = state.accounts.length > 1 && c.account !== '' ? ` (${accountName(state.accounts, c.account)})` : '';
    const b = el('button', { class: `line ${c.state}`, 'aria-label': `Line ${i + 1}: ${c.remoteName || c.remoteUri}${via}, ${STATE_TEXT[c.state]}` }, el('span', { class: 'led' }), `L${i + 1} ${c.remoteName || c.remoteUri}${via} · ${STATE_TEXT[c.state]}`);
    b.addEventListener('click', () => void run('swap', { callId: c.id }));
    lines.append(b);
  }
}

function renderIncoming(state: HandsetState): void {
  const incoming = state.calls.find((c) => c.state === 'incoming');
  byId('incoming').hidden = incoming === undefined;
  byId('incoming-from').textContent = incoming === undefined ? '' : incoming.remoteName || incoming.remoteUri;
  // Which account it came to (a direct call has none).
  const to = incoming === undefined || incoming.account === '' ? '' : ` to ${accountName(state.accounts, incoming.account)}`;
  byId('incoming-to').textContent = to;
  if (incoming !== undefined && ringingFor !== incoming.id) {
    ringingFor = incoming.id;
    sounds?.startRinging();
    if ('Notification' in window && Notification.permission === 'granted') {
      const n = new Notification('Incoming call', { body: `${incoming.remoteName || incoming.remoteUri}${to}`, tag: incoming.id });
      n.onclick = () => window.focus();
    }
  } else if (incoming === undefined && ringingFor !== '') {
    ringingFor = '';
    sounds?.stopRinging();
  }
}

function syncAudio(state: HandsetState): void {
  const live = state.calls.some((c) => LIVE.has(c.state));
  if (live && audio !== undefined && !audio.capturing) {
    conn.sendJson({ type: 'audio-start', sampleRate: 16000, frameSamples: 320 });
    // Device labels and ids appear once the microphone is granted: list them again then.
    audio.startCapture().then(() => settings?.refreshDevices(), (e: Error) => status(`Microphone: ${e.message}`));
  } else if (!live && audio?.capturing) {
    conn.sendJson({ type: 'audio-stop' });
    audio.stopCapture();
  }
}

function render(state: HandsetState): void {
  renderDialAccount(state.accounts);
  renderDisplay(state);
  renderLines(state);
  renderIncoming(state);
  const has = state.calls.length > 0;
  const incoming = state.calls.some((c) => c.state === 'incoming');
  byId<HTMLButtonElement>('btn-answer').disabled = !incoming;
  for (const id of ['btn-mute', 'btn-hold', 'btn-transfer', 'btn-flash', 'btn-record']) byId<HTMLButtonElement>(id).disabled = !has;
  byId<HTMLButtonElement>('btn-conference').disabled = state.calls.length < 2;
  renderHistory(state, ctx);
  renderContacts(state, ctx);
  renderMessages(state);
  renderDiagnostics(state, ctx);
  settings?.render(state);
  syncAudio(state);
  const call = currentCall(state);
  void headset?.update({ incoming, inCall: call !== undefined && call.state !== 'incoming', muted: call?.muted ?? false });
}

async function attachHeadset(device: HidDeviceLike): Promise<void> {
  headset = new HidHeadset(device, {
    answer: () => void run('answer'),
    hangup: () => void run('hangup'),
    toggleMute: () => void run('mute'),
    flash: () => void run('flash'),
  });
  await headset.open();
  byId('hid-status').textContent = `Headset: ${device.productName}`;
  if (conn.state !== undefined) render(conn.state);
}

async function connectHeadset(): Promise<void> {
  const hid = (navigator as Navigator & { hid?: { requestDevice(o: unknown): Promise<HidDeviceLike[]> } }).hid;
  if (hid === undefined) return status('This browser has no WebHID: headset buttons are not available');
  const [device] = await hid.requestDevice({ filters: [{ usagePage: 0x0b }] });
  if (device !== undefined && isTelephonyHeadset(device)) await attachHeadset(device);
}

async function reconnectHeadset(): Promise<void> {
  const hid = (navigator as Navigator & { hid?: { getDevices(): Promise<HidDeviceLike[]> } }).hid;
  const device = (await hid?.getDevices())?.find(isTelephonyHeadset);
  if (device !== undefined) await attachHeadset(device);
}

let settings: SettingsView | undefined;
buildKeypad();
wireButtons();
setupTabs();
audio = new AudioPath(audioSettings, (frame) => conn.sendBinary(frame));
audio.setVolume(0.8);
sounds = new LocalSounds(audio.context, audio.localBus);
settings = new SettingsView(ctx, (next) => {
  audioSettings = next;
  void audio?.applySettings(next);
});
void reconnectHeadset();
conn.connect();

/** Hooks for the Chromium tests and the latency benchmark (read-only views and a fake HID device). */
(window as unknown as { handsetTest: unknown }).handsetTest = {
  connected: () => conn.open && conn.state !== undefined,
  state: () => conn.state,
  ready: () => audio!.whenReady(),
  startTap: () => audio!.startTap(),
  readTap: async () => {
    const { chunks, underruns } = await audio!.readTap();
    const all = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      all.set(c, o);
      o += c.length;
    }
    return { samples: Array.from(all, (x) => Math.round(x * 32767)), underruns, sampleRate: audio!.context.sampleRate };
  },
  latency: () => audio!.latency,
  latencyMarkers: (everyFrames: number) => audio!.setLatencyMarkers(everyFrames),
  attachHid: (device: HidDeviceLike) => attachHeadset(device),
};
