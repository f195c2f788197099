// The terminal phone's headset path on real (virtual) devices: a private PulseAudio daemon with
// null sinks; parec captures the "mic", an AudioPump clocked by that capture (PEERS.md: clock
// from the capture stream, never from a timer) loops it through an EchoTest (delay 0) and pacat
// plays it to the "speaker", whose monitor we record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/util/index.js';
import {
  AudioPump, continuous, detectTone, EchoTest, pacatCommand, parecCommand, PipeAudioSink, PipeAudioSource, sound, ToneGenerator,
} from '../../../src/media/index.js';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { PulseAudio } from '../../browser/support/pulse.js';

test('parec → AudioPump → pacat through PulseAudio null sinks carries a tone', { skip: skipUnless('pulseaudio', 'pacat', 'parec', 'pactl'), timeout: 30_000 }, async (t) => {
  const dir = makeTempDir('handset-pulse-');
  t.after(() => removeTempDir(dir));
  const pa = await PulseAudio.start(dir);
  t.after(() => pa.stop());
  const clock = new ManualClock();
  const mic = await PipeAudioSource.start(parecCommand({ sampleRate: 8000, device: 'mic', env: pa.env }), {
    sampleRate: 8000, onSamples: (n) => clock.advance(n / 8),
  });
  assert.ok(mic.ok, mic.ok ? '' : mic.error);
  const speaker = await PipeAudioSink.start(pacatCommand({ sampleRate: 8000, device: 'speaker', env: pa.env }), { sampleRate: 8000 });
  assert.ok(speaker.ok, speaker.ok ? '' : speaker.error);
  const recording = pa.record('speaker.monitor');
  const toneIn = new Int16Array(16000 * 6);
  new ToneGenerator(continuous(sound(700)), { sampleRate: 16000 }).generate(toneIn);
  const player = pa.play('micfeed', toneIn);
  t.after(() => player.kill());
  const pump = new AudioPump({ clock, stream: new EchoTest({ sampleRate: 8000, delayMs: 0 }), source: mic.value, sink: speaker.value });
  pump.start();
  await new Promise((r) => setTimeout(r, 5000));
  pump.stop();
  await mic.value.close();
  await speaker.value.close();
  const heard = await recording.stop();
  // Idle null sinks start late (1–2 s): judge the loud part only.
  let loud = 0;
  for (let i = 0; i < heard.length; i++) if (Math.abs(heard[i]!) > 1000) loud++;
  assert.ok(loud > 16000, `only ${loud} loud samples reached the speaker`);
  const start = heard.findIndex((v) => Math.abs(v) > 1000);
  const part = heard.subarray(start + 1600, Math.min(heard.length, start + 1600 + 16000));
  const m = detectTone(part, 16000, 700);
  t.diagnostic(`speaker: ${heard.length} samples, ${loud} loud from ${(start / 16).toFixed(0)} ms; 700 Hz share ${m.ratio.toFixed(3)}; `
    + `frames sent ${pump.counters.sent} for ${clock.now().toFixed(0)} ms captured; mic overflow ${mic.value.overflowed}`);
  assert.ok(Math.abs(pump.counters.sent - clock.now() / 20) <= 2);
  assert.ok(m.ratio > 0.8, `700 Hz share ${m.ratio}`);
  assert.equal(speaker.value.droppedFrames, 0);
});
