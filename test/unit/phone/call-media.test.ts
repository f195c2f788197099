import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/util/index.js';
import { pcmuCodec } from '../../../src/codecs/index.js';
import { CallMedia, type MediaSettings } from '../../../src/phone/index.js';
import { MemoryNetwork } from '../../support/memory-network.js';

async function pair(): Promise<{ caller: CallMedia; callee: CallMedia; net: MemoryNetwork; clock: ManualClock }> {
  const clock = new ManualClock();
  const net = new MemoryNetwork(clock);
  let next = 40000;
  const settings = (address: string): MediaSettings => ({
    clock, address, codecs: [pcmuCodec], srtp: 'off', bindPort: async (a) => net.bind(a, next += 2),
  });
  return { caller: await CallMedia.open(settings('192.0.2.1')), callee: await CallMedia.open(settings('192.0.2.2')), net, clock };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('CallMedia: the stream for an answer we give is built after this turn (the response goes first)', async () => {
  const { caller, callee, net } = await pair();
  const told: string[] = [];
  callee.onChange((m) => told.push(`${m.send.encoding} ${m.remoteAddress}:${m.remotePort}`));
  const answer = callee.answerOffer(caller.createOffer());
  assert.ok(answer);
  // Nothing built and nothing sent yet: the 200 carrying `answer` leaves before the stream exists.
  assert.deepEqual(told, []);
  assert.equal(net.delivered, 0);
  assert.equal(callee.negotiated?.send.encoding, 'PCMU');
  await turn();
  assert.deepEqual(told, [`PCMU 192.0.2.1:${caller.port.local.port}`]);
  assert.ok(callee.stream);
  // The offerer's side is unchanged: its stream exists as soon as the answer is applied.
  const toldCaller: string[] = [];
  caller.onChange(() => toldCaller.push('changed'));
  assert.ok(caller.acceptAnswer(answer).ok);
  assert.deepEqual(toldCaller, ['changed']);
  assert.ok(caller.stream);
  caller.close();
  callee.close();
});

test('CallMedia: asking for the stream before the turn ends builds it at once; listeners hear once', async () => {
  const { caller, callee } = await pair();
  let told = 0;
  callee.onChange(() => told++);
  callee.answerOffer(caller.createOffer());
  const stream = callee.stream;
  assert.ok(stream);
  assert.equal(told, 0);
  await turn();
  assert.equal(told, 1);
  assert.equal(callee.stream, stream);
  caller.close();
  callee.close();
});

test('CallMedia: closed before the turn ends, the answer builds no stream and tells nobody', async () => {
  const { caller, callee } = await pair();
  let told = 0;
  callee.onChange(() => told++);
  callee.answerOffer(caller.createOffer());
  callee.close();
  await turn();
  assert.equal(told, 0);
  assert.equal(callee.stream, undefined);
  caller.close();
});

test('CallMedia: a re-offer that only moves the direction keeps the stream (built after the turn)', async () => {
  const { caller, callee } = await pair();
  callee.answerOffer(caller.createOffer());
  await turn();
  const first = callee.stream;
  assert.ok(first);
  callee.answerOffer(caller.holdOffer(true));
  await turn();
  assert.equal(callee.stream, first);
  assert.equal(callee.remoteHold, true);
  caller.close();
  callee.close();
});
