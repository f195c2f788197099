// The local server's doors, over real sockets: Host, Origin, token and cookie, JSON-only bodies,
// no CORS, size caps, loopback-only listeners, and the WebSocket API with audio frames.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { LocalHandsetEngine } from '../../../src/app/local-engine.js';
import { createWsUpgrade } from '../../../src/app/ws-upgrade.js';
import {
  AUDIO_FRAME_SAMPLES, loadOrCreateToken, parseAudioFrame, sizeOfAudioFrame, startHandsetServer, writeAudioFrame, type HandsetServer,
} from '../../../src/ui/index.js';

let server: HandsetServer;
let engine: LocalHandsetEngine;
let token: string;
let cookie: string;
let base: string;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(path: string, o: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: o.host ?? `127.0.0.1:${server.port}`, ...o.headers };
    const req = request({ host: '127.0.0.1', port: server.port, path, method: o.method ?? 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

before(async () => {
  engine = new LocalHandsetEngine();
  token = loadOrCreateToken(mkdtempSync(join(tmpdir(), 'handset-ui-')));
  server = await startHandsetServer({ engine, token, staticDir: join(tmpdir(), 'no-ui-here'), port: 0, upgrade: createWsUpgrade() });
  base = `http://127.0.0.1:${server.port}`;
  const r = await send(`/?token=${token}`);
  cookie = (r.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
});

after(() => server.close());

test('listens on loopback only (127.0.0.1 and ::1), not on other local addresses', async () => {
  assert.deepEqual([...server.addresses].sort(), ['127.0.0.1', '::1'].filter((a) => server.addresses.includes(a)).sort());
  assert.ok(server.addresses.includes('127.0.0.1'));
  assert.ok(server.addresses.every((a) => a === '127.0.0.1' || a === '::1'));
  const external = Object.values(networkInterfaces()).flat().find((i) => i !== undefined && !i.internal && i.family === 'IPv4');
  if (external === undefined) return;
  const refused = await new Promise<boolean>((resolve) => {
    const s = connect(server.port, external.address);
    s.on('connect', () => (s.destroy(), resolve(false)));
    s.on('error', () => resolve(true));
  });
  assert.equal(refused, true, `nothing answers on ${external.address}:${server.port}`);
});

test('the right token sets an HttpOnly SameSite=Strict cookie and redirects the token away', async () => {
  const r = await send(`/?token=${token}`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/');
  assert.match(r.headers['set-cookie']![0]!, /^handset_session=[A-Za-z0-9_-]+; HttpOnly; SameSite=Strict; Path=\/$/);
  assert.ok(!r.headers['set-cookie']![0]!.includes(token), 'the cookie is not the token');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  assert.equal((await send(`/a/..//evil.example/?token=${token}`)).headers.location, '/', 'never a protocol-relative redirect');
  assert.match(String(r.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
});

test('no token, a wrong token, or a wrong cookie is refused', async () => {
  assert.equal((await send('/')).status, 401);
  const wrong = await send(`/?token=${token.slice(0, -1)}x`);
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers['set-cookie'], undefined);
  assert.equal((await send('/api/state', { headers: { Cookie: 'handset_session=forged' } })).status, 401);
  assert.equal((await send('/api/state', { headers: { Cookie: cookie } })).status, 200);
});

test('a Host that is not loopback with our port is refused (DNS rebinding)', async () => {
  for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `192.168.1.1:${server.port}`]) {
    const r = await send('/api/state', { host, headers: { Cookie: cookie } });
    assert.equal(r.status, 421, host);
  }
  for (const host of [`localhost:${server.port}`, `[::1]:${server.port}`]) assert.equal((await send('/api/state', { host, headers: { Cookie: cookie } })).status, 200, host);
});

test('state-changing requests need our Origin and a JSON body; CORS is never offered', async () => {
  const json = { 'Content-Type': 'application/json', Cookie: cookie };
  const foreign = await send('/api/commands/dnd', { method: 'POST', headers: { ...json, Origin: 'http://evil.example' }, body: '{}' });
  assert.equal(foreign.status, 403);
  const noOrigin = await send('/api/commands/dnd', { method: 'POST', headers: json, body: '{}' });
  assert.equal(noOrigin.status, 403);
  const form = await send('/api/commands/dnd', { method: 'POST', headers: { 'Content-Type': 'text/plain', Cookie: cookie, Origin: base }, body: '{}' });
  assert.equal(form.status, 415);
  const crossSite = await send('/api/state', { headers: { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' } });
  assert.equal(crossSite.status, 403);
  const preflight = await send('/api/commands/dnd', { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(preflight.status, 405);
  assert.equal(engine.snapshot().settings.dnd, false, 'none of those changed anything');
  const ok = await send('/api/commands/dnd', { method: 'POST', headers: { ...json, Origin: base }, body: '{"on":true}' });
  assert.equal(ok.status, 200);
  assert.equal(engine.snapshot().settings.dnd, true);
  for (const r of [foreign, form, preflight, ok]) assert.deepEqual(Object.keys(r.headers).filter((h) => h.startsWith('access-control-')), []);
});

test('header and body sizes are capped', async () => {
  const big = await send('/', { headers: { 'X-Filler': 'a'.repeat(10_000) } });
  assert.equal(big.status, 431);
  const body = await send('/api/commands/dnd', { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: base }, body: JSON.stringify({ x: 'a'.repeat(70_000) }) }).catch(() => ({ status: 413 }));
  assert.equal(body.status, 413);
});

function openSocket(headers: Record<string, string>): Promise<{ ws: WebSocket; first: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers });
    ws.once('message', (d) => resolve({ ws, first: JSON.parse(d.toString()) as Record<string, unknown> }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

test('WebSocket upgrades from a foreign Origin or without the cookie are refused', async () => {
  await assert.rejects(openSocket({ Origin: 'http://evil.example', Cookie: cookie }), /HTTP 403/);
  await assert.rejects(openSocket({ Cookie: cookie }), /HTTP 403/);
  await assert.rejects(openSocket({ Origin: base }), /HTTP 401/);
});

test('WebSocket API: snapshot with the command table, commands by name, deltas, one speaker frame per mic frame', async () => {
  const { ws, first } = await openSocket({ Origin: base, Cookie: cookie });
  try {
    assert.equal(first['type'], 'hello');
    const names = (first['commands'] as { name: string }[]).map((c) => c.name);
    for (const n of ['dial', 'answer', 'hangup', 'mute', 'hold', 'dnd', 'transfer', 'flash', 'conference', 'redial', 'record', 'dtmf', 'echo-test']) assert.ok(names.includes(n), n);
    const messages: Record<string, unknown>[] = [];
    const frames: Buffer[] = [];
    ws.on('message', (d: Buffer, binary: boolean) => (binary ? frames.push(d) : messages.push(JSON.parse(d.toString()) as Record<string, unknown>)));
    const until = async (f: () => boolean): Promise<void> => {
      for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
      assert.ok(f());
    };
    ws.send(JSON.stringify({ type: 'command', id: 7, name: 'account-add', args: { aor: 'alice@example', password: 'x' } }));
    await until(() => messages.some((m) => m['id'] === 7));
    assert.deepEqual({ ...messages.find((m) => m['id'] === 7) }, { type: 'result', id: 7, ok: false, error: 'aor: "alice@example" is not a sip: or sips: URI', field: 'aor' });
    ws.send(JSON.stringify({ type: 'command', id: 8, name: 'echo-test', args: { delayMs: 40 } }));
    await until(() => messages.some((m) => m['type'] === 'delta'));
    assert.equal((messages.find((m) => m['type'] === 'delta')!['changes'] as { calls: { remoteName: string }[] }).calls[0]!.remoteName, 'Echo test');
    ws.send(JSON.stringify({ type: 'audio-start', sampleRate: 16000, frameSamples: AUDIO_FRAME_SAMPLES }));
    await until(() => messages.some((m) => m['type'] === 'audio-started'));
    for (let seq = 0; seq < 4; seq++) {
      const frame = { sequence: seq, timeMs: 0, samples: new Int16Array(AUDIO_FRAME_SAMPLES).fill(seq + 1) };
      const out = new Uint8Array(sizeOfAudioFrame(frame));
      writeAudioFrame(frame, out, 0);
      ws.send(out);
    }
    await until(() => frames.length === 4);
    const replies = frames.map((f) => parseAudioFrame(f, 0, AUDIO_FRAME_SAMPLES)).map((r) => (r.ok ? r.value : assert.fail(r.error)));
    assert.deepEqual(replies.map((r) => r.sequence), [0, 1, 2, 3]);
    // 40 ms delay line: frames 0 and 1 answer with silence, 2 and 3 with frames 0 and 1.
    assert.deepEqual(replies.map((r) => r.samples[100]), [0, 0, 1, 2]);
    assert.ok(replies.every((r) => r.timeMs > 0), 'the engine stamps its replies');
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.alloc(70_000));
    assert.equal(await closed, 1009, 'an oversized frame closes the socket');
  } finally {
    ws.terminate();
    await engine.commands.find((c) => c.name === 'hangup')!.run({});
  }
});
