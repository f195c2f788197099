import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock } from '../../../src/util/index.js';
import { pcmaCodec, pcmuCodec } from '../../../src/codecs/index.js';
import { bindUdpPort, detectTone, MediaStream } from '../../../src/media/index.js';
import { parseSdp } from '../../../src/sdp/index.js';
import { freePorts, makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { startPeerProcess } from '../../support/peers/process.js';

const skip = skipUnless('sipp');

function tone(freq: number, n: number, start: number): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(8000 * Math.sin((2 * Math.PI * freq * (start + i)) / 8000));
  return out;
}

/** Runs `tick` every 20 ms of real time for `ms`. */
function every20ms(ms: number, tick: (i: number) => void): Promise<void> {
  return new Promise((resolve) => {
    let i = 0;
    const timer = setInterval(() => {
      tick(i++);
      if (i * 20 >= ms) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
}

test('RTP to sipp -rtp_echo and back: the 1 kHz tone we send is what we hear', { skip, timeout: 20_000 }, async (t) => {
  const [sipPort, mediaPort, controlPort] = await freePorts(3);
  const sipp = startPeerProcess({
    name: 'sipp-echo', command: 'sipp',
    args: ['-sn', 'uas', '-rtp_echo', '-mp', String(mediaPort), '-i', '127.0.0.1', '-p', String(sipPort), '-cp', String(controlPort), '-nostdin', '-timeout', '30s'],
  });
  t.after(() => sipp.stop());
  const clock = new SystemClock();
  const port = await bindUdpPort('127.0.0.1', 0);
  t.after(() => port.close());
  const stream = new MediaStream({
    clock, rtp: port, remote: { address: '127.0.0.1', port: mediaPort! },
    send: { codec: pcmuCodec, payloadType: 0 }, receive: new Map([[0, pcmuCodec]]),
  });
  t.after(() => stream.close());
  const heard: Int16Array[] = [];
  await every20ms(2000, (i) => {
    stream.sendAudio(tone(1000, 160, i * 160));
    heard.push(stream.readAudio());
  });
  const last = Int16Array.from(heard.slice(-50).flatMap((f) => [...f]));
  const st = stream.getStats();
  assert.ok(st.packetsReceived > 80, `echoed packets received: ${st.packetsReceived} (sipp: ${sipp.tail(5)})`);
  assert.ok(detectTone(last, 8000, 1000).ratio > 0.9, 'the echoed audio is our 1 kHz tone');
});

test('sipp uac_pcap plays G.711 A-law and an RFC 4733 "1" into a Handset media stream', { skip, timeout: 30_000 }, async (t) => {
  const dir = makeTempDir('sipp-pcap');
  t.after(() => removeTempDir(dir));
  mkdirSync(join(dir, 'pcap'));
  for (const f of ['g711a.pcap', 'dtmf_2833_1.pcap']) symlinkSync(join('/usr/share/sip-tester', f), join(dir, 'pcap', f));
  const [uasPort, sippPort, sippMedia, controlPort] = await freePorts(4);

  const clock = new SystemClock();
  const rtp = await bindUdpPort('127.0.0.1', 0);
  t.after(() => rtp.close());
  let stream: MediaStream | null = null;
  const digits: string[] = [];
  const frames: Int16Array[] = [];
  const playout = setInterval(() => stream && frames.push(stream.readAudio()), 20);
  t.after(() => {
    clearInterval(playout);
    stream?.close();
  });

  // A minimal test UAS: answers the INVITE with PCMA + telephone-event and takes the BYE.
  const sip = createSocket('udp4');
  t.after(() => sip.close());
  await new Promise<void>((r) => sip.bind(uasPort, '127.0.0.1', r));
  let byeSeen = false;
  sip.on('message', (msg, from) => {
    const text = msg.toString('latin1');
    const [head = '', body = ''] = text.split('\r\n\r\n');
    const lines = head.split('\r\n');
    const method = lines[0]!.split(' ')[0];
    if (method === 'ACK') return;
    const pick = (re: RegExp) => lines.filter((l) => re.test(l));
    const toLine = pick(/^(To|t)\s*:/i)[0]!;
    let answer = '';
    if (method === 'INVITE' && !stream) {
      const offer = parseSdp(body);
      assert.ok(offer.ok, 'sipp offer parses');
      const m = offer.value.media[0]!;
      const addr = (m.connections[0] ?? offer.value.connection)!.address;
      stream = new MediaStream({
        clock, rtp, remote: { address: addr, port: m.port }, latchPackets: 0,
        send: { codec: pcmaCodec, payloadType: 8 }, receive: new Map([[8, pcmaCodec]]),
        telephoneEvent: { sendPayloadType: 101, receivePayloadTypes: [101] },
      });
      stream.on('dtmf', (e) => e.phase === 'end' && digits.push(e.key));
      answer = ['v=0', 'o=handset 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
        `m=audio ${rtp.local.port} RTP/AVP 8 101`, 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=sendrecv', ''].join('\r\n');
    }
    if (method === 'BYE') byeSeen = true;
    const reply = [
      'SIP/2.0 200 OK', ...pick(/^(Via|v)\s*:/i), ...pick(/^(From|f)\s*:/i),
      /tag=/.test(toLine) ? toLine : `${toLine};tag=handset1`, ...pick(/^(Call-ID|i)\s*:/i), ...pick(/^CSeq\s*:/i),
      `Contact: <sip:handset@127.0.0.1:${uasPort}>`, ...(answer ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(answer)}`, '', answer,
    ].join('\r\n');
    sip.send(reply, from.port, from.address);
  });

  const sipp = startPeerProcess({
    name: 'sipp-uac-pcap', command: 'sipp', cwd: dir,
    args: ['-sn', 'uac_pcap', `127.0.0.1:${uasPort}`, '-i', '127.0.0.1', '-mi', '127.0.0.1', '-p', String(sippPort),
      '-mp', String(sippMedia), '-cp', String(controlPort), '-m', '1', '-nostdin', '-timeout', '25s', '-timeout_error'],
  });
  t.after(() => sipp.stop());
  const code = await sipp.exited;
  assert.equal(code, 0, `sipp exit ${code}: ${sipp.tail(10)}`);
  assert.ok(byeSeen, 'sipp hung up with BYE after playing');
  assert.deepEqual(digits, ['1'], 'RFC 4733 digit from the pcap');
  const st = stream!.getStats();
  assert.ok(st.packetsReceived >= 240, `A-law packets received: ${st.packetsReceived}`);
  const audio = Int16Array.from(frames.flatMap((f) => [...f]));
  let energetic = 0;
  for (let i = 0; i + 160 <= audio.length; i += 160) {
    let e = 0;
    for (let j = i; j < i + 160; j++) e += audio[j]! * audio[j]!;
    if (Math.sqrt(e / 160) > 100) energetic++;
  }
  assert.ok(energetic > 150, `frames with sound: ${energetic}`);
  assert.equal(st.dropped['foreign-source'] + st.dropped.malformed, 0);
});
