// The headset clocks the talking call: each page microphone frame sends exactly one RTP packet
// whose timestamp counts the frame's samples, and is answered by one speaker frame, however
// irregularly the frames arrive (worklets deliver 10/20/30 ms bursts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhoneHandsetEngine } from '../../../src/app/phone-engine.js';
import { startPhone, toneSource, type Call } from '../../../src/phone/index.js';
import { detectTone } from '../../../src/media/index.js';
import { runEngineCommand } from '../../../src/ui/index.js';
import { sleep, until } from '../../support/wait.js';



function toneFrame(freq: number, at: number, n = 320, rate = 16000): Int16Array {
  const f = new Int16Array(n);
  for (let i = 0; i < n; i++) f[i] = Math.round(8000 * Math.sin((2 * Math.PI * freq * (at + i)) / rate));
  return f;
}

test('page-driven call: 500 microphone frames at irregular times send 500 contiguous RTP packets 160 samples apart and get 500 speaker frames', async (t) => {
  const near = await startPhone({ host: '127.0.0.1' });
  const far = await startPhone({ host: '127.0.0.1' });
  const engine = new PhoneHandsetEngine({ phone: near, statsIntervalMs: 0 });
  t.after(async () => {
    await engine.close();
    await Promise.all([near.close(), far.close()]);
  });
  let farCall: Call | undefined;
  far.on('incoming', (c) => {
    farCall = c;
    c.play(toneSource(1200));
    c.answer();
  });
  const a = far.options.stack.localAddress('udp');
  assert.equal((await runEngineCommand(engine, 'dial', { uri: `sip:bob@${a.host}:${a.port}` })).ok, true);
  await until('answered', () => engine.snapshot().calls[0]?.state === 'active' && farCall?.stream !== undefined);
  const nearCall = near.activeCalls[0]!;

  // What the far end's RTP receiver accepts, packet by packet (sequence number, timestamp).
  const received: Array<[number, number]> = [];
  const guard = (farCall!.stream as unknown as { source: { acceptPacket(ssrc: number, seq: number, ts: number, now: number): boolean } }).source;
  const accept = guard.acceptPacket.bind(guard);
  guard.acceptPacket = (ssrc, seq, ts, now) => (received.push([seq, ts]), accept(ssrc, seq, ts, now));

  const audio = engine.openAudio({ sampleRate: 16000, frameSamples: 320 });
  audio.process(toneFrame(500, 0)); // the pump moves onto the page's frames
  await sleep(40); // in flight before the count starts: delivered
  const sentBefore = nearCall.stream!.getStats().packetsSent;
  received.length = 0;

  // Bursts of 1–3 frames with 0–60 ms between them: about half real time, never regular.
  const speaker: number[] = [];
  const gaps = [0, 15, 60, 5, 30, 0, 45, 10];
  for (let f = 0; f < 500; f++) {
    const out = audio.process(toneFrame(500, (f + 1) * 320));
    assert.equal(out.length, 320);
    speaker.push(...out);
    if (f % 3 !== 2) await sleep(gaps[f % gaps.length]!);
  }
  await sleep(40); // < the bridge's 100 ms stall limit: the phone's timer has not taken over
  assert.equal(nearCall.stream!.getStats().packetsSent - sentBefore, 500, 'one RTP packet per microphone frame');
  assert.equal(received.length, 500, 'the far end received one packet per microphone frame');
  for (let i = 1; i < received.length; i++) {
    assert.equal((received[i]![0] - received[i - 1]![0]) & 0xffff, 1, `sequence contiguous at ${i}`);
    assert.equal((received[i]![1] - received[i - 1]![1]) >>> 0, 160, `timestamp advances by the frame's 160 samples at ${i}`);
  }
  const last = speaker.slice(-16000);
  assert.ok(detectTone(last, 16000, 1200).ratio > 0.8, `the page hears the far end's 1200 Hz: ${detectTone(last, 16000, 1200).ratio}`);

  // Frames stop (a suspended page): the phone's timer carries the call on.
  const stalled = nearCall.stream!.getStats().packetsSent;
  await sleep(400);
  assert.ok(nearCall.stream!.getStats().packetsSent - stalled >= 10, 'the timer sends once the page stops');
  audio.close();
});
