// The work of `handset register` (loaded only when the command runs): argument checks, one
// SipStack on real sockets, one Registration, events printed as text or JSON lines.
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { CommandIO } from '../cli/index.js';
import { createNetTransport, type TlsClientPolicy, type TransportKind } from '../net/index.js';
import { bareHost, hostForUri, parseUri, Registration, SipStack, StreamFramer, type RegistrationEvent, type SipUri } from '../sip/index.js';
import { SystemClock } from '../util/index.js';

const transports: readonly TransportKind[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];
const USER_AGENT = 'Handset/0.1.0';

/** A bad argument: names the field. */
export class ArgumentError extends Error {}

function sipUriArg(field: string, text: string | undefined): SipUri {
  if (text === undefined || text === '') throw new ArgumentError(`--${field} is required (a sip: or sips: URI)`);
  const r = parseUri(text);
  if (!r.ok) throw new ArgumentError(`--${field}: "${text}" is not a SIP URI (${r.error})`);
  if (r.value.scheme !== 'sip' && r.value.scheme !== 'sips') throw new ArgumentError(`--${field}: "${text}" is not a sip: or sips: URI`);
  return r.value as SipUri;
}

function listenArg(text: string | undefined): { host: string | undefined; port: number } {
  if (text === undefined) return { host: undefined, port: 0 };
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)|)(?::(\d{1,5}))?$/.exec(text);
  const host = m?.[1] ?? m?.[2];
  const port = m?.[3] === undefined ? 0 : Number(m[3]);
  if (!m || (host !== undefined && isIP(host) === 0) || port > 65535) throw new ArgumentError(`--listen: "${text}" is not <ip>:<port> (e.g. 0.0.0.0:5060 or [::1]:0)`);
  return { host, port };
}

/** The local address the OS would use towards `name` (a connected UDP socket sends nothing). */
async function localAddressToward(name: string): Promise<string | undefined> {
  // A domain: any of its addresses tells which interface we would use (RFC 3263 runs later).
  const host = isIP(name) !== 0 ? name : (await lookup(name).catch(() => undefined))?.address;
  if (host === undefined) return undefined;
  return new Promise((resolve) => {
    const family = isIP(host);
    const s = createSocket(family === 6 ? 'udp6' : 'udp4');
    s.once('error', () => {
      s.close();
      resolve(undefined);
    });
    s.connect(5060, host, () => {
      const a = s.address().address;
      s.close();
      resolve(a);
    });
  });
}

const hostPort = (address: string, port: number): string => `${hostForUri(address)}:${port}`;

function describe(e: RegistrationEvent): string {
  switch (e.type) {
    case 'registered':
      return `${e.refresh ? 'refreshed' : 'registered'} ${e.aor} via ${e.transport} ${hostPort(e.target.address, e.target.port)}, expires ${e.expires} s${e.outbound ? ', outbound' : ''}${e.pubGruu ? `, gruu ${e.pubGruu}` : ''}`;
    case 'registration-failed':
      return `registration of ${e.aor} failed: ${e.reason}${e.permanent ? '' : `; retrying in ${Math.round((e.retryInMs ?? 0) / 100) / 10} s`}`;
    case 'unregistered':
      return e.ok ? `unregistered ${e.aor}` : `unregistering ${e.aor} failed: ${e.reason ?? 'unknown'}`;
  }
}

function toJson(e: RegistrationEvent): string {
  switch (e.type) {
    case 'registered':
      return JSON.stringify({
        event: 'registered', aor: e.aor, transport: e.transport, registrar: hostPort(e.target.address, e.target.port), expires: e.expires,
        contact: e.contact, refresh: e.refresh, outbound: e.outbound, pubGruu: e.pubGruu ?? null, tempGruu: e.tempGruu ?? null,
      });
    case 'registration-failed':
      return JSON.stringify({ event: 'registration-failed', aor: e.aor, status: e.status ?? null, reason: e.reason, cause: e.cause ?? null, permanent: e.permanent, retryInMs: e.retryInMs ?? null });
    case 'unregistered':
      return JSON.stringify({ event: 'unregistered', aor: e.aor, ok: e.ok, reason: e.reason ?? null });
  }
}

export async function register(values: Record<string, string | boolean | undefined>, io: CommandIO): Promise<number> {
  const aor = sipUriArg('user', values['user'] as string | undefined);
  if (aor.user === undefined) throw new ArgumentError(`--user: "${values['user']}" has no user part (sip:alice@example.com)`);
  const password = (values['password'] as string | undefined) ?? io.env['HANDSET_PASSWORD'];
  if (password === undefined || password === '') throw new ArgumentError('--password is required (or set HANDSET_PASSWORD)');
  const proxy = values['proxy'] === undefined ? undefined : sipUriArg('proxy', values['proxy'] as string);
  const t = values['transport'] as string | undefined;
  if (t !== undefined && !transports.includes(t as TransportKind)) throw new ArgumentError(`--transport: "${t}" is not one of ${transports.join(', ')}`);
  const expires = values['expires'] === undefined ? 600 : Number(values['expires']);
  if (!Number.isInteger(expires) || expires < 1 || expires > 0xffffffff) throw new ArgumentError(`--expires: "${values['expires']}" is not a positive number of seconds`);
  const listen = listenArg(values['listen'] as string | undefined);
  const tls: TlsClientPolicy = {};
  if (values['ca'] !== undefined) {
    try {
      tls.ca = [readFileSync(values['ca'] as string)];
    } catch (e) {
      throw new ArgumentError(`--ca: cannot read "${values['ca']}": ${(e as Error).message}`);
    }
  }
  if (values['pin'] !== undefined) tls.pinSha256 = [values['pin'] as string];
  const realm = values['realm'] as string | undefined;
  const json = values['json'] === true;
  const once = values['once'] === true;
  const out = (e: RegistrationEvent): void => {
    if (json) io.stdout.write(`${toJson(e)}\n`);
    else (e.type === 'registration-failed' ? io.stderr : io.stdout).write(`${describe(e)}\n`);
  };

  const kind = (t as TransportKind | undefined) ?? undefined;
  const proxyHost = bareHost((proxy ?? aor).host);
  const bindHost = listen.host ?? (isIP(proxyHost) === 6 ? '::' : '0.0.0.0');
  const advertised = listen.host === undefined || listen.host === '0.0.0.0' || listen.host === '::' ? await localAddressToward(proxyHost) : undefined;
  const clock = new SystemClock();
  const transport = createNetTransport({ framer: () => new StreamFramer(), clock });
  const stackOptions: ConstructorParameters<typeof SipStack>[0] = { transport, clock, userAgent: USER_AGENT };
  if (advertised !== undefined) stackOptions.advertisedHost = advertised;
  const stack = new SipStack(stackOptions);
  // UDP always (OPTIONS and keep-alives work on it); TCP too when that is the transport, so Contact has a port.
  for (const k of ['udp', ...(kind === 'tcp' ? ['tcp' as const] : [])] as const) {
    const r = await stack.listen({ transport: k, address: bindHost, port: listen.port });
    if (!r.ok) {
      await transport.close();
      io.stderr.write(`handset register: --listen ${bindHost}:${listen.port} (${k}): ${r.error.message}\n`);
      return 1;
    }
  }
  const account: ConstructorParameters<typeof Registration>[0]['account'] = { aor, password, expires };
  if (proxy !== undefined) account.proxy = proxy;
  if (kind !== undefined) account.transport = kind;
  if (realm !== undefined) account.realms = [realm];
  if (tls.ca !== undefined || tls.pinSha256 !== undefined) account.tls = tls;
  const registration = new Registration({ stack, account });

  const code = await new Promise<number>((resolve) => {
    let registeredOnce = false;
    let stopping = false;
    const shutdown = async (exitCode: number): Promise<void> => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await registration.stop();
      resolve(exitCode);
    };
    const onSignal = (): void => void shutdown(registeredOnce ? 0 : 1);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    registration.onEvent((e) => {
      out(e);
      if (e.type === 'registered') {
        registeredOnce = true;
        if (once) void shutdown(0);
      } else if (e.type === 'registration-failed' && (e.permanent || once)) {
        void shutdown(1);
      }
    });
    registration.start();
  });
  stack.close();
  await transport.close();
  return code;
}
