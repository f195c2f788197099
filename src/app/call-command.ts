// `handset call <uri>`: places one call headless (WAV in/out, DTMF, JSON events) and exits with
// 0 when it was answered and ended normally, else 1 with one line on stderr. The headless phone
// set-up here is shared with `handset listen`.
import { createSocket } from 'node:dgram';
import { mkdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Command, CommandIO } from '../cli/index.js';
import { createNetTransport, type TransportKind } from '../net/index.js';
import { bareHost, hostForUri, parseUri, SipStack, StreamFramer, type SipUri } from '../sip/index.js';
import { SystemClock } from '../util/index.js';
import { comfortNoiseCodec, pcmaCodec, pcmuCodec, type AudioCodec } from '../codecs/index.js';
import { bindUdpPort } from '../media/index.js';
import type { SrtpPolicy } from '../sdp/index.js';
import {
  describeEnd, endedNormally, Phone, sendDtmf, sessionCapabilities, wavSource, type AccountSettings, type Call, type CallAudioSource,
} from '../phone/index.js';
import { ReceivedAudioFile } from './received-audio-file.js';
import { warmUpCallPath } from './warm-up.js';

const USER_AGENT = 'Handset/0.1.0';
/** `cn` adds RFC 3389 comfort noise: silence is sent as CN packets when the peer lists CN too. */
const codecTable: Record<string, AudioCodec> = { pcmu: pcmuCodec, pcma: pcmaCodec, cn: comfortNoiseCodec };

export class ArgumentError extends Error {}

export const headlessOptions = {
  user: { type: 'string' },
  password: { type: 'string' },
  proxy: { type: 'string' },
  play: { type: 'string' },
  record: { type: 'string' },
  duration: { type: 'string' },
  dtmf: { type: 'string' },
  codecs: { type: 'string' },
  srtp: { type: 'string' },
  'data-dir': { type: 'string' },
  listen: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Values = Record<string, string | boolean | undefined>;

function sipArg(field: string, text: string): SipUri {
  const r = parseUri(text);
  if (!r.ok || (r.value.scheme !== 'sip' && r.value.scheme !== 'sips')) throw new ArgumentError(`--${field}: "${text}" is not a sip: URI`);
  return r.value as SipUri;
}

function listenArg(text: string | undefined): { host: string | undefined; port: number } {
  if (text === undefined) return { host: undefined, port: 0 };
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)|)(?::(\d{1,5}))?$/.exec(text);
  const host = m?.[1] ?? m?.[2];
  const port = m?.[3] === undefined ? 0 : Number(m[3]);
  if (!m || (host !== undefined && isIP(host) === 0) || port > 65535) throw new ArgumentError(`--listen: "${text}" is not <ip>:<port> (e.g. 127.0.0.1:5060)`);
  return { host, port };
}

/** The local address the OS would use towards `host` (a connected UDP socket sends nothing). */
function localAddressToward(host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const family = isIP(host);
    if (family === 0) return resolve(undefined);
    const s = createSocket(family === 6 ? 'udp6' : 'udp4');
    s.once('error', () => (s.close(), resolve(undefined)));
    s.connect(5060, host, () => {
      const a = s.address().address;
      s.close();
      resolve(a);
    });
  });
}

/** One event line: JSON with --json, else words. */
export type Emit = (event: string, fields?: Record<string, unknown>) => void;

export interface Headless {
  phone: Phone;
  emit: Emit;
  values: Values;
  /** Plays --play, records --record, sends --dtmf, hangs up after --duration; reports events. */
  drive(call: Call): void;
  close(): Promise<void>;
}

/** Builds the phone from the shared options; registers when --user/--password say so. */
export async function headlessPhone(command: string, values: Values, io: CommandIO, peerHint: string | undefined): Promise<Headless | number> {
  const json = values['json'] === true;
  const emit: Emit = (event, fields = {}) => {
    if (json) io.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
    else io.stdout.write(`${event}${Object.keys(fields).length ? ' ' + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ') : ''}\n`);
  };
  const user = values['user'] as string | undefined;
  const aor = user === undefined ? undefined : sipArg('user', user);
  if (aor !== undefined && aor.user === undefined) throw new ArgumentError(`--user: "${user}" has no user part (sip:alice@example.com)`);
  const password = (values['password'] as string | undefined) ?? io.env['HANDSET_PASSWORD'];
  const proxyText = values['proxy'] as string | undefined;
  const proxy = proxyText === undefined ? undefined : sipArg('proxy', proxyText);
  const srtp = (values['srtp'] as string | undefined) ?? 'off';
  if (!['off', 'optional', 'mandatory'].includes(srtp)) throw new ArgumentError(`--srtp: "${srtp}" is not off, optional or mandatory`);
  const codecs = ((values['codecs'] as string | undefined) ?? 'pcmu,pcma').split(',').map((c) => {
    const codec = codecTable[c.trim().toLowerCase()];
    if (codec === undefined) throw new ArgumentError(`--codecs: "${c}" is not one of ${Object.keys(codecTable).join(', ')}`);
    return codec;
  });
  const durationS = values['duration'] === undefined ? undefined : Number(values['duration']);
  if (durationS !== undefined && !(durationS > 0)) throw new ArgumentError(`--duration: "${values['duration']}" is not a positive number of seconds`);
  const dtmf = values['dtmf'] as string | undefined;
  if (dtmf !== undefined && !/^[0-9*#A-Da-d]+$/.test(dtmf)) throw new ArgumentError(`--dtmf: "${dtmf}" is not DTMF digits (0-9 * # A-D)`);
  let play: Buffer | undefined;
  if (values['play'] !== undefined) {
    try {
      play = readFileSync(values['play'] as string);
    } catch (e) {
      throw new ArgumentError(`--play: cannot read "${values['play']}": ${(e as Error).message}`);
    }
    const probe = wavSource(play);
    if (typeof probe === 'string') throw new ArgumentError(`--play: ${probe}`);
  }
  const dataDir = values['data-dir'] as string | undefined;
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const listen = listenArg(values['listen'] as string | undefined);

  const towards = bareHost((proxy ?? aor)?.host ?? peerHint ?? '127.0.0.1');
  const bindHost = listen.host ?? (isIP(towards) === 6 ? '::' : '0.0.0.0');
  const wildcard = bindHost === '0.0.0.0' || bindHost === '::';
  const advertised = wildcard ? ((await localAddressToward(towards)) ?? (isIP(towards) === 6 ? '::1' : '127.0.0.1')) : bindHost;
  const clock = new SystemClock();
  const transport = createNetTransport({ framer: () => new StreamFramer(), clock });
  const stackOptions: ConstructorParameters<typeof SipStack>[0] = { transport, clock, userAgent: USER_AGENT, capabilities: sessionCapabilities };
  if (wildcard) stackOptions.advertisedHost = advertised;
  const stack = new SipStack(stackOptions);
  const kind = /;transport=(tcp|tls)/i.exec(proxyText ?? '')?.[1]?.toLowerCase() as TransportKind | undefined;
  for (const k of ['udp', ...(kind === 'tcp' ? ['tcp' as const] : [])] as const) {
    const r = await stack.listen({ transport: k, address: bindHost, port: listen.port });
    if (!r.ok) {
      await transport.close();
      io.stderr.write(`handset ${command}: --listen ${bindHost}:${listen.port} (${k}): ${r.error.message}\n`);
      return 1;
    }
  }
  let account: AccountSettings | undefined;
  if (aor !== undefined) {
    account = { aor: user!, directCalls: proxy === undefined };
    if (password !== undefined && password !== '') account.password = password;
    if (proxyText !== undefined) account.proxy = proxyText;
  }
  const phoneOptions: ConstructorParameters<typeof Phone>[0] = {
    stack, clock,
    media: { address: advertised, codecs, srtp: srtp as SrtpPolicy, bindPort: (a) => bindUdpPort(wildcard ? bindHost : a) },
  };
  if (account) phoneOptions.account = account;
  const phone = new Phone(phoneOptions);
  const local = stack.localAddress('udp');
  // Compiles the INVITE/180/200/ACK path now, not while the peer waits for our 200 or ACK.
  warmUpCallPath(codecs);
  emit('ready', { address: `${hostForUri(local.host)}:${local.port}`, transport: kind ?? 'udp' });

  /** Recordings still being finished: `close` waits for them. */
  const finishing: Promise<void>[] = [];
  const drive = (call: Call): void => {
    let source: CallAudioSource | undefined;
    if (play) source = wavSource(play) as CallAudioSource;
    if (source) call.play(source);
    const recordPath = values['record'] as string | undefined;
    const record = recordPath === undefined ? undefined
      : new ReceivedAudioFile(recordPath, () => call.sampleRate, (e) => emit('record-failed', { call: call.id, error: e }));
    if (record) call.listen(record);
    call.on('ringing', (r) => emit('ringing', { call: call.id, status: r.status, earlyMedia: r.earlyMedia }));
    call.on('media', (m) => emit('media', { call: call.id, ...m }));
    call.on('dtmf', (d) => emit('dtmf', { call: call.id, digit: d.digit, via: d.via }));
    call.on('held', (h) => emit('held', { call: call.id, local: h.local, remote: h.remote }));
    call.on('transferred', (t) => emit('transferred', { call: call.id, target: t.target }));
    call.once('answered', () => {
      emit('answered', { call: call.id, remote: call.remoteUri });
      if (dtmf !== undefined) clock.setTimer(500, () => sendDtmf(call, clock, dtmf));
      if (durationS !== undefined) clock.setTimer(durationS * 1000, () => call.hangup());
    });
    call.once('ended', (end) => {
      const ended = (): void => emit('ended', { call: call.id, reason: end.reason, status: end.status ?? null, text: end.text, answered: end.answered });
      // "ended" comes once the recording is complete, so a reader of the event finds the whole file.
      if (record) finishing.push(record.close().then(ended));
      else ended();
    });
  };
  return {
    phone, emit, values, drive,
    close: async () => {
      await phone.close();
      await Promise.all(finishing);
      stack.close();
      await transport.close();
    },
  };
}

/** Registers when the account has a password; resolves false (after reporting) when that failed. */
export function registered(h: Headless, io: CommandIO, command: string): Promise<boolean> {
  if (h.phone.account === undefined || h.phone.account.settings.password === undefined) return Promise.resolve(true);
  return new Promise((resolve) => {
    h.phone.on('registration', (e) => {
      if (e.type === 'registered' && !e.refresh) {
        h.emit('registered', { aor: e.aor, expires: e.expires });
        resolve(true);
      } else if (e.type === 'registration-failed') {
        h.emit('registration-failed', { aor: e.aor, status: e.status ?? null, reason: e.reason });
        if (e.permanent) {
          io.stderr.write(`handset ${command}: registration failed: ${e.reason}\n`);
          resolve(false);
        }
      }
    });
    h.phone.start();
  });
}

async function call(target: string | undefined, values: Values, io: CommandIO): Promise<number> {
  if (target === undefined) throw new ArgumentError('a target URI is required: handset call sip:bob@example.com');
  const hint = /^sips?:/.test(target) ? parseUri(target) : undefined;
  const h = await headlessPhone('call', values, io, hint?.ok && hint.value.scheme !== 'tel' ? bareHost((hint.value as SipUri).host) : undefined);
  if (typeof h === 'number') return h;
  if (!(await registered(h, io, 'call'))) {
    await h.close();
    return 1;
  }
  const placed = await h.phone.dial(target);
  if (typeof placed === 'string') {
    await h.close();
    io.stderr.write(`handset call: ${placed}\n`);
    return 2;
  }
  h.drive(placed);
  const onSignal = (): void => placed.hangup();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const end = await new Promise<NonNullable<Call['end']>>((resolve) => placed.once('ended', resolve));
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await h.close();
  if (endedNormally(end)) return 0;
  io.stderr.write(`${describeEnd(end, placed.remoteUri)}\n`);
  return 1;
}

export const callCommand: Command = {
  name: 'call',
  summary: 'place one call (headless: --play/--record WAV, --dtmf, --duration, --json events)',
  usage: 'call <sip-uri> [--user <aor> --password <pw> --proxy <uri>] [--play f.wav] [--record f.wav] [--duration s] [--dtmf digits] [--codecs pcmu,pcma,cn] [--srtp off|optional|mandatory] [--listen host:port] [--json]',
  options: headlessOptions,
  async run({ values, positionals }, io) {
    try {
      return await call(positionals[0], values, io);
    } catch (e) {
      if (e instanceof ArgumentError) {
        io.stderr.write(`handset call: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  },
};
