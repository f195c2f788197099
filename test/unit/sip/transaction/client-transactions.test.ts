import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InviteClientTransaction,
  NonInviteClientTransaction,
  defaultTimerConfig,
  type ClientTransactionEvent,
  type TransactionAction,
} from '../../../../src/sip/transaction/index.js';
import { buildAck, instants, res, run, type Req, type Res } from './harness.js';

const T = defaultTimerConfig;
const ict = (reliable = false) => new InviteClientTransaction<Req, Res>('INVITE', buildAck, T, reliable);
const nict = (reliable = false) => new NonInviteClientTransaction<Req, Res>('OPTIONS', T, reliable);

test('ICT over UDP: INVITE at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, Timer B at 32 s', () => {
  const { clock, out } = run(ict());
  clock.advance(40000);
  assert.deepEqual(instants(out, 'send-request'), [0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5]);
  assert.deepEqual(out.at(-1), { at: 32000, action: { type: 'terminated', reason: 'timeout' } });
  assert.equal(clock.timerCount, 0);
});

test('ICT over a reliable transport: one INVITE, Timer B at 32 s', () => {
  const { clock, out } = run(ict(true));
  clock.advance(40000);
  assert.deepEqual(instants(out, 'send-request'), [0]);
  assert.deepEqual(instants(out, 'terminated'), [32]);
});

test('ICT: T1 from the stack config scales every timer', () => {
  const core = new InviteClientTransaction<Req, Res>('INVITE', buildAck, { t1: 100, t2: 4000, t4: 5000 }, false);
  const { clock, out } = run(core);
  clock.advance(10000);
  assert.deepEqual(instants(out, 'send-request'), [0, 0.1, 0.3, 0.7, 1.5, 3.1, 6.3]);
  assert.deepEqual(instants(out, 'terminated'), [6.4]);
});

test('ICT: a 1xx stops retransmission and Timer B', () => {
  const { clock, runner, out } = run(ict());
  clock.advance(600);
  runner.handle({ type: 'response', status: 180, response: res(180) });
  clock.advance(100000);
  assert.deepEqual(instants(out, 'send-request'), [0, 0.5]);
  assert.deepEqual(instants(out, 'deliver-response'), [0.6]);
  assert.deepEqual(instants(out, 'terminated'), []);
  assert.equal(runner.core.stateName, 'proceeding');
});

test('ICT: non-2xx → ACK once per final response, Timer D 32 s on UDP', () => {
  const { clock, runner, out } = run(ict());
  clock.advance(200);
  runner.handle({ type: 'response', status: 486, response: res(486) });
  clock.advance(1000);
  runner.handle({ type: 'response', status: 486, response: res(486, 2) });
  clock.advance(40000);
  assert.deepEqual(
    out.map((r) => [r.at, r.action.type]),
    [
      [0, 'send-request'],
      [200, 'send-ack'],
      [200, 'deliver-response'],
      [1200, 'send-ack'],
      [32200, 'terminated'],
    ],
  );
  assert.deepEqual(out[1]!.action, { type: 'send-ack', ack: 'ACK for INVITE after 486' });
});

test('ICT: non-2xx over a reliable transport terminates at once (Timer D = 0)', () => {
  const { runner, out, clock } = run(ict(true));
  runner.handle({ type: 'response', status: 503, response: res(503) });
  assert.deepEqual(
    out.map((r) => r.action.type),
    ['send-request', 'send-ack', 'deliver-response', 'terminated'],
  );
  assert.equal(clock.timerCount, 0);
});

test('ICT (RFC 6026): 2xx → Accepted, later 2xx passed up, no ACK, Timer M at 64*T1', () => {
  const { clock, runner, out } = run(ict());
  clock.advance(1000);
  runner.handle({ type: 'response', status: 200, response: res(200, 1) });
  clock.advance(4000);
  runner.handle({ type: 'response', status: 200, response: res(200, 2) });
  runner.handle({ type: 'response', status: 486, response: res(486) });
  clock.advance(40000);
  assert.deepEqual(
    out.map((r) => [r.at, r.action]),
    [
      [0, { type: 'send-request', request: 'INVITE' }],
      [500, { type: 'send-request', request: 'INVITE' }],
      [1000, { type: 'deliver-response', response: res(200, 1) }],
      [5000, { type: 'deliver-response', response: res(200, 2) }],
      [33000, { type: 'terminated', reason: 'completed' }],
    ],
  );
});

test('NICT over UDP: retransmissions capped at T2, Timer F at 32 s', () => {
  const { clock, out } = run(nict());
  clock.advance(40000);
  assert.deepEqual(instants(out, 'send-request'), [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]);
  assert.deepEqual(out.at(-1), { at: 32000, action: { type: 'terminated', reason: 'timeout' } });
});

test('NICT: in Proceeding, retransmissions every T2 until Timer F', () => {
  const { clock, runner, out } = run(nict());
  clock.advance(600);
  runner.handle({ type: 'response', status: 100, response: res(100) });
  clock.advance(40000);
  // Timer E was pending at 1.5 s; then T2 steps.
  assert.deepEqual(instants(out, 'send-request'), [0, 0.5, 1.5, 5.5, 9.5, 13.5, 17.5, 21.5, 25.5, 29.5]);
  assert.deepEqual(instants(out, 'terminated'), [32]);
});

test('NICT: final response → Completed, retransmissions absorbed, Timer K = T4', () => {
  const { clock, runner, out } = run(nict());
  clock.advance(700);
  runner.handle({ type: 'response', status: 200, response: res(200) });
  runner.handle({ type: 'response', status: 200, response: res(200, 2) });
  clock.advance(10000);
  assert.deepEqual(
    out.map((r) => [r.at, r.action.type]),
    [
      [0, 'send-request'],
      [500, 'send-request'],
      [700, 'deliver-response'],
      [5700, 'terminated'],
    ],
  );
});

test('NICT over a reliable transport: one send, Timer K = 0, Timer F at 32 s', () => {
  const a = run(nict(true));
  a.runner.handle({ type: 'response', status: 404, response: res(404) });
  assert.deepEqual(a.out.map((r) => [r.at, r.action.type]), [[0, 'send-request'], [0, 'deliver-response'], [0, 'terminated']]);
  const b = run(nict(true));
  b.clock.advance(40000);
  assert.deepEqual(instants(b.out, 'send-request'), [0]);
  assert.deepEqual(instants(b.out, 'terminated'), [32]);
});

// Every (state, event) pair as a table row, on the pure cores: state before, event, actions, state after.
type Ev = ClientTransactionEvent<Res>;
const r = (status: number): Ev => ({ type: 'response', status, response: res(status) });
const timer = (t: 'A' | 'B' | 'D' | 'E' | 'F' | 'K' | 'M'): Ev => ({ type: 'timer', timer: t });
const transportError: Ev = { type: 'transport-error' };
type A = TransactionAction<Req, Res>;
const send: A = { type: 'send-request', request: 'INVITE' };
const deliver = (status: number): A => ({ type: 'deliver-response', response: res(status) });
const stopAB: A[] = [{ type: 'stop-timer', timer: 'A' }, { type: 'stop-timer', timer: 'B' }];
const ack = (status: number): A => ({ type: 'send-ack', ack: `ACK for INVITE after ${status}` });
const term = (reason: 'completed' | 'timeout' | 'transport-error'): A => ({ type: 'terminated', reason });

const toState: Record<string, Ev[]> = { calling: [], proceeding: [r(180)], completed: [r(486)], accepted: [r(200)], terminated: [r(486), timer('D')] };
const ictRows: [string, Ev, A[], string][] = [
  ['calling', timer('A'), [send, { type: 'start-timer', timer: 'A', delayMs: 1000 }], 'calling'],
  ['calling', timer('B'), [term('timeout')], 'terminated'],
  ['calling', r(100), [...stopAB, deliver(100)], 'proceeding'],
  ['calling', r(200), [...stopAB, deliver(200), { type: 'start-timer', timer: 'M', delayMs: 32000 }], 'accepted'],
  ['calling', r(302), [...stopAB, ack(302), deliver(302), { type: 'start-timer', timer: 'D', delayMs: 32000 }], 'completed'],
  ['calling', transportError, [term('transport-error')], 'terminated'],
  ['proceeding', r(183), [...stopAB, deliver(183)], 'proceeding'],
  ['proceeding', r(299), [...stopAB, deliver(299), { type: 'start-timer', timer: 'M', delayMs: 32000 }], 'accepted'],
  ['proceeding', r(699), [...stopAB, ack(699), deliver(699), { type: 'start-timer', timer: 'D', delayMs: 32000 }], 'completed'],
  ['proceeding', timer('A'), [], 'proceeding'],
  ['proceeding', timer('B'), [], 'proceeding'],
  ['proceeding', transportError, [], 'proceeding'],
  ['completed', r(486), [ack(486)], 'completed'],
  ['completed', r(180), [], 'completed'],
  ['completed', r(200), [], 'completed'],
  ['completed', timer('D'), [term('completed')], 'terminated'],
  ['completed', transportError, [term('transport-error')], 'terminated'],
  ['accepted', r(200), [deliver(200)], 'accepted'],
  ['accepted', r(180), [], 'accepted'],
  ['accepted', r(500), [], 'accepted'],
  ['accepted', timer('M'), [term('completed')], 'terminated'],
  ['accepted', transportError, [], 'accepted'],
  ['terminated', r(200), [], 'terminated'],
  ['terminated', timer('A'), [], 'terminated'],
];
for (const [from, event, actions, to] of ictRows) {
  test(`ICT row: ${from} + ${event.type === 'response' ? event.status : event.type === 'timer' ? 'Timer ' + event.timer : event.type} → ${to}`, () => {
    const core = ict();
    core.start();
    for (const e of toState[from]!) core.handle(e);
    assert.equal(core.stateName, from);
    assert.deepEqual(core.handle(event), actions);
    assert.equal(core.stateName, to);
  });
}

const nsend: A = { type: 'send-request', request: 'OPTIONS' };
const stopEF: A[] = [{ type: 'stop-timer', timer: 'E' }, { type: 'stop-timer', timer: 'F' }];
const nictState: Record<string, Ev[]> = { trying: [], proceeding: [r(100)], completed: [r(200)], terminated: [r(200), timer('K')] };
const nictRows: [string, Ev, A[], string][] = [
  ['trying', timer('E'), [nsend, { type: 'start-timer', timer: 'E', delayMs: 1000 }], 'trying'],
  ['trying', timer('F'), [term('timeout')], 'terminated'],
  ['trying', r(100), [deliver(100)], 'proceeding'],
  ['trying', r(200), [...stopEF, deliver(200), { type: 'start-timer', timer: 'K', delayMs: 5000 }], 'completed'],
  ['trying', r(408), [...stopEF, deliver(408), { type: 'start-timer', timer: 'K', delayMs: 5000 }], 'completed'],
  ['trying', transportError, [term('transport-error')], 'terminated'],
  ['proceeding', timer('E'), [nsend, { type: 'start-timer', timer: 'E', delayMs: 4000 }], 'proceeding'],
  ['proceeding', timer('F'), [term('timeout')], 'terminated'],
  ['proceeding', r(180), [deliver(180)], 'proceeding'],
  ['proceeding', r(603), [...stopEF, deliver(603), { type: 'start-timer', timer: 'K', delayMs: 5000 }], 'completed'],
  ['proceeding', transportError, [term('transport-error')], 'terminated'],
  ['completed', r(200), [], 'completed'],
  ['completed', timer('E'), [], 'completed'],
  ['completed', transportError, [], 'completed'],
  ['completed', timer('K'), [term('completed')], 'terminated'],
  ['terminated', r(200), [], 'terminated'],
];
for (const [from, event, actions, to] of nictRows) {
  test(`NICT row: ${from} + ${event.type === 'response' ? event.status : event.type === 'timer' ? 'Timer ' + event.timer : event.type} → ${to}`, () => {
    const core = nict();
    core.start();
    for (const e of nictState[from]!) core.handle(e);
    assert.equal(core.stateName, from);
    assert.deepEqual(core.handle(event), actions);
    assert.equal(core.stateName, to);
  });
}
