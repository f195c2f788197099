import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  comfortNoiseCodec,
  createCodecRegistry,
  createComfortNoiseCodec,
  pcmaCodec,
  pcmuCodec,
  rtpTimestampUnits,
  samplesPerFrame,
  type AudioCodec,
} from '../../../src/codecs/index.js';

test('registry finds codecs by rtpmap name (any case), rate and channels, and by static PT', () => {
  const cn16 = createComfortNoiseCodec({ clockRate: 16000 });
  const reg = createCodecRegistry([pcmuCodec, pcmaCodec, comfortNoiseCodec, cn16]);
  assert.deepEqual(reg.codecs.map((c) => c.name), ['PCMU', 'PCMA', 'CN', 'CN']);
  assert.equal(reg.find('pcmu', 8000), pcmuCodec);
  assert.equal(reg.find('PCMA', 8000, 1), pcmaCodec);
  assert.equal(reg.find('cn', 16000), cn16);
  assert.equal(reg.find('PCMU', 16000), undefined);
  assert.equal(reg.find('PCMU', 8000, 2), undefined);
  assert.equal(reg.byStaticPayloadType(0), pcmuCodec);
  assert.equal(reg.byStaticPayloadType(8), pcmaCodec);
  assert.equal(reg.byStaticPayloadType(13), comfortNoiseCodec);
  assert.equal(reg.byStaticPayloadType(9), undefined);
});

test('registering the same codec or static PT twice is a programmer error', () => {
  assert.throws(() => createCodecRegistry([pcmuCodec, pcmuCodec]), /twice/);
  const clash: AudioCodec = { ...pcmaCodec, name: 'X' };
  assert.throws(() => createCodecRegistry([pcmaCodec, clash]), /payload type 8/);
});

test('frame and timestamp arithmetic honours clock rate ≠ sample rate (G.722-style descriptor)', () => {
  assert.equal(samplesPerFrame(pcmuCodec, 20), 160);
  assert.equal(rtpTimestampUnits(pcmuCodec, 160), 160);
  const g722Like: AudioCodec = { ...pcmuCodec, name: 'G722', payloadType: 9, sampleRate: 16000 };
  assert.equal(samplesPerFrame(g722Like, 20), 320);
  assert.equal(rtpTimestampUnits(g722Like, 320), 160, 'RFC 3551 §4.5.2: 8000 Hz clock');
});

test('descriptors are frozen plain objects', () => {
  assert.ok(Object.isFrozen(pcmuCodec));
  assert.ok(Object.isFrozen(comfortNoiseCodec));
  assert.ok(Object.isFrozen(pcmuCodec.frameDurationsMs));
});
