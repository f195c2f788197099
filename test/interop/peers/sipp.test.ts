// Smoke tests of the sipp harness: the registrar scenarios for issue 3 run against sipp's own
// REGISTER client, a long-running UAS is called by baresip, trace timestamps are parsed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../../support/peers/env.js';
import { runSipp, startSippUas } from '../../support/peers/sipp.js';
import { registerUac, registrar401Then200, registrar423Then200, registrar503RetryAfter, registrarIgnoreFirst } from '../../support/peers/sipp-scenarios.js';
import { startBaresip } from '../../support/peers/baresip.js';

const skip = skipUnless('sipp');

/** A UAC that REGISTERs, expects `first`, REGISTERs again (Expires from the 423 when given), expects 200. */
function twoRegisters(first: number): string {
  const reg = (cseq: number, expires: string, extra = '') => `
  <send retrans="500">
    <![CDATA[
      REGISTER sip:127.0.0.1 SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:alice@127.0.0.1>;tag=[pid]SIPpTag00[call_number]
      To: <sip:alice@127.0.0.1>
      Call-ID: [call_id]
      CSeq: ${cseq} REGISTER
      Contact: <sip:alice@[local_ip]:[local_port]>
      Max-Forwards: 70
      Expires: ${expires}${extra}
      Content-Length: 0

    ]]>
  </send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="two-registers">${reg(1, '30')}
  <recv response="${first}">${
    first === 423 ? '<action><ereg regexp="Min-Expires: *([0-9]+)" search_in="msg" check_it="true" assign_to="line,min"/></action>' : ''
  }</recv>${first === 423 ? reg(2, '[$min]', '\n      X-Seen: [$line]') : reg(2, '30')}
  <recv response="200"/>
</scenario>
`;
}

async function uasAndUac(uasOpts: Parameters<typeof startSippUas>[1] & { scenario: Parameters<typeof startSippUas>[0] }, uac: Parameters<typeof runSipp>[0]) {
  const { scenario, ...rest } = uasOpts;
  const uas = await startSippUas(scenario, { calls: 1, timeoutS: 15, ...rest });
  const client = await runSipp({ ...uac, remote: `127.0.0.1:${uas.port}` });
  const server = await uas.done;
  return { client, server };
}

test('registrar 401 then 200: sipp client with the right password is accepted', { skip, timeout: 60_000 }, async (t) => {
  const { client, server } = await uasAndUac(
    { t, ...registrar401Then200('alice', 'pw-1', 'handset.test') },
    { t, ...registerUac('alice', 'handset.test', 120), auth: { user: 'alice', password: 'pw-1' }, timeoutS: 10 },
  );
  assert.equal(client.exitCode, 0, client.errors);
  assert.equal(server.exitCode, 0, server.errors);
  const got = client.messages.filter((m) => m.direction === 'received');
  assert.deepEqual(got.map((m) => m.firstLine), ['SIP/2.0 401 Unauthorized', 'SIP/2.0 200 OK']);
  assert.match(got[0]!.text, /WWW-Authenticate: Digest realm="handset.test", nonce="[^"]+", opaque="sipp-opaque", algorithm=MD5, qop="auth"/);
  assert.match(got[1]!.text, /Contact: <sip:alice@127\.0\.0\.1:\d+;transport=UDP>/);
});

test('registrar 401: a wrong password gets 403 and the registrar exits non-zero', { skip, timeout: 60_000 }, async (t) => {
  const { client, server } = await uasAndUac(
    { t, ...registrar401Then200('alice', 'pw-1') },
    { t, ...registerUac('alice', 'handset.test'), auth: { user: 'alice', password: 'nope' }, timeoutS: 5 },
  );
  assert.notEqual(client.exitCode, 0);
  assert.notEqual(server.exitCode, 0);
  assert.ok(client.messages.some((m) => m.firstLine === 'SIP/2.0 403 Forbidden'));
});

test('registrar 423 with Min-Expires, then 200', { skip, timeout: 60_000 }, async (t) => {
  const { client, server } = await uasAndUac({ t, ...registrar423Then200(1800) }, { t, scenario: { xml: twoRegisters(423) }, timeoutS: 10 });
  assert.equal(client.exitCode, 0, client.errors);
  assert.equal(server.exitCode, 0, server.errors);
  const regs = server.messages.filter((m) => m.direction === 'received');
  assert.match(regs[1]!.text, /Expires: 1800/);
  assert.match(client.messages.find((m) => m.firstLine.startsWith('SIP/2.0 423'))!.text, /Min-Expires: 1800/);
});

test('registrar 503 with Retry-After, then 200', { skip, timeout: 60_000 }, async (t) => {
  const { client, server } = await uasAndUac({ t, ...registrar503RetryAfter(7) }, { t, scenario: { xml: twoRegisters(503) }, timeoutS: 10 });
  assert.equal(client.exitCode, 0, client.errors);
  assert.equal(server.exitCode, 0, server.errors);
  assert.match(client.messages.find((m) => m.firstLine.startsWith('SIP/2.0 503'))!.text, /Retry-After: 7/);
});

test('registrar ignoring the first 2 REGISTERs records retransmission instants', { skip, timeout: 60_000 }, async (t) => {
  // sipp's own client retransmits at 0, 0.5 and 1.5 s (T1 = 500 ms, doubling); the third copy is answered.
  const oneRegister = twoRegisters(200).replace(/\s*<send retrans="500">(?:(?!<\/send>)[\s\S])*<\/send>\s*<recv response="200"\/>\s*<\/scenario>/, '\n</scenario>');
  const { client, server } = await uasAndUac({ t, ...registrarIgnoreFirst(2) }, { t, scenario: { xml: oneRegister }, timeoutS: 10 });
  assert.equal(client.exitCode, 0, client.errors);
  assert.equal(server.exitCode, 0, server.errors);
  const arrivals = server.messages.filter((m) => m.direction === 'received' && m.firstLine.startsWith('REGISTER')).map((m) => m.timeMs);
  assert.equal(arrivals.length, 3);
  const gaps = arrivals.slice(1).map((x, i) => x - arrivals[i]!);
  // Wide bounds: sipp's timers and this shared machine's scheduling both add jitter.
  assert.ok(gaps[0]! > 350 && gaps[0]! < 800 && gaps[1]! > 800 && gaps[1]! < 1400, `gaps ${gaps.join(', ')} ms`);
  assert.equal(server.messages.filter((m) => m.direction === 'sent').length, 1);
});

test('baresip calls a long-running sipp UAS; the UAS trace shows INVITE, ACK and BYE', { skip: skip || skipUnless('baresip'), timeout: 60_000 }, async (t) => {
  const uas = await startSippUas({ builtin: 'uas' }, { t, calls: 1, timeoutS: 20 });
  const b = await startBaresip({ t });
  const dial = await b.command('dial', uas.uri('bob'));
  assert.equal(dial.ok, true, dial.data);
  await b.waitForEvent('CALL_ESTABLISHED', 10000);
  await b.command('hangup');
  await b.waitForEvent('CALL_CLOSED', 10000);
  const r = await uas.stop();
  const received = r.messages.filter((m) => m.direction === 'received').map((m) => m.firstLine.split(' ')[0]);
  assert.deepEqual(received, ['INVITE', 'ACK', 'BYE']);
  assert.match(r.messages[0]!.text, /^INVITE sip:bob@127\.0\.0\.1:\d+ SIP\/2\.0/);
});
