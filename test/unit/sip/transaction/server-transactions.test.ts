import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InviteServerTransaction,
  NonInviteServerTransaction,
  defaultTimerConfig,
  type ServerTransactionEvent,
  type TransactionAction,
} from '../../../../src/sip/transaction/index.js';
import { instants, res, run, type Req, type Res } from './harness.js';

const T = defaultTimerConfig;
const ist = (reliable = false, trying?: () => Res) => new InviteServerTransaction<Req, Res>('INVITE', T, reliable, trying);
const nist = (reliable = false) => new NonInviteServerTransaction<Req, Res>('REGISTER', T, reliable);
type Ev = ServerTransactionEvent<Req, Res>;
type A = TransactionAction<Req, Res>;
const tu = (status: number, n?: number): Ev => ({ type: 'tu-response', status, response: res(status, n) });
const retrans: Ev = { type: 'request-retransmission', request: 'INVITE' };
const ackEv: Ev = { type: 'ack', ack: 'ACK' };
const timer = (t: 'G' | 'H' | 'I' | 'J' | 'L'): Ev => ({ type: 'timer', timer: t });
const transportError: Ev = { type: 'transport-error' };
const sent = (status: number, n?: number): A => ({ type: 'send-response', response: res(status, n) });
const term = (reason: 'completed' | 'timeout' | 'transport-error'): A => ({ type: 'terminated', reason });

test('IST over UDP: final response at 0, 0.5, 1.5, 3.5, 7.5, 11.5, ... capped at T2; Timer H at 32 s', () => {
  const { clock, runner, out } = run(ist());
  runner.handle(tu(486));
  clock.advance(40000);
  assert.deepEqual(instants(out, 'send-response'), [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]);
  assert.deepEqual(out.at(-1), { at: 32000, action: term('timeout') });
  assert.equal(clock.timerCount, 0);
});

test('IST: ACK stops retransmission; Confirmed absorbs, Timer I = T4', () => {
  const { clock, runner, out } = run(ist());
  runner.handle(tu(404));
  clock.advance(2000);
  runner.handle(ackEv);
  runner.handle(ackEv);
  runner.handle(retrans);
  clock.advance(10000);
  assert.deepEqual(
    out.map((r) => [r.at, r.action.type]),
    [
      [0, 'send-response'],
      [500, 'send-response'],
      [1500, 'send-response'],
      [7000, 'terminated'],
    ],
  );
});

test('IST over TCP: no retransmission, ACK ends it at once (Timer I = 0); 100 Trying when the TU has not answered', () => {
  const { clock, runner, out } = run(ist(true, () => res(100)));
  assert.equal(out.length, 0);
  clock.advance(0);
  runner.handle(retrans);
  runner.handle(tu(480));
  clock.advance(5000);
  runner.handle(ackEv);
  assert.deepEqual(
    out.map((r) => [r.at, r.action]),
    [
      [0, sent(100)],
      [0, sent(100)],
      [0, sent(480)],
      [5000, term('completed')],
    ],
  );
  assert.equal(clock.timerCount, 0);
});

test('IST (§17.2.1): no 100 Trying when the TU answers before the Trying timer; a retransmission first brings it at once', () => {
  for (const first of [tu(180), tu(200), tu(486)]) {
    const { clock, runner, out } = run(ist(false, () => res(100)));
    runner.handle(first);
    clock.advance(0);
    assert.deepEqual(out.map((r) => r.action).filter((a) => a.type === 'send-response'), [sent((first as { status: number }).status)]);
  }
  const { clock, runner, out } = run(ist(false, () => res(100)));
  runner.handle(retrans);
  clock.advance(0);
  runner.handle(retrans);
  assert.deepEqual(out.map((r) => [r.at, r.action]), [[0, sent(100)], [0, sent(100)]]);
  assert.equal(clock.timerCount, 0);
});

test('IST over TCP without ACK: Timer H at 64*T1', () => {
  const { clock, runner, out } = run(ist(true));
  runner.handle(tu(500));
  clock.advance(40000);
  assert.deepEqual(instants(out, 'send-response'), [0]);
  assert.deepEqual(instants(out, 'terminated'), [32]);
});

test('IST (RFC 6026): 2xx → Accepted; INVITE retransmissions absorbed, TU 2xx retransmissions sent, ACK to TU, Timer L', () => {
  const { clock, runner, out } = run(ist());
  runner.handle(tu(180));
  clock.advance(100);
  runner.handle(tu(200, 1));
  clock.advance(500);
  runner.handle(tu(200, 2));
  runner.handle(retrans);
  clock.advance(400);
  runner.handle(ackEv);
  clock.advance(40000);
  assert.deepEqual(
    out.map((r) => [r.at, r.action]),
    [
      [0, sent(180)],
      [100, sent(200, 1)],
      [600, sent(200, 2)],
      [1000, { type: 'deliver-ack', ack: 'ACK' }],
      [32100, term('completed')],
    ],
  );
});

test('NIST over UDP: final response resent per retransmission, Timer J 64*T1', () => {
  const { clock, runner, out } = run(nist());
  runner.handle({ type: 'request-retransmission', request: 'REGISTER' }); // Trying: discarded
  runner.handle(tu(200));
  clock.advance(3000);
  runner.handle({ type: 'request-retransmission', request: 'REGISTER' });
  clock.advance(40000);
  assert.deepEqual(
    out.map((r) => [r.at, r.action]),
    [
      [0, sent(200)],
      [3000, sent(200)],
      [32000, term('completed')],
    ],
  );
});

test('NIST over TCP: Timer J = 0', () => {
  const { runner, out } = run(nist(true));
  runner.handle(tu(200));
  assert.deepEqual(out.map((r) => r.action), [sent(200), term('completed')]);
});

const istState: Record<string, Ev[]> = {
  proceeding: [],
  completed: [tu(486)],
  confirmed: [tu(486), ackEv],
  accepted: [tu(200)],
  terminated: [tu(200), timer('L')],
};
const istRows: [string, Ev, A[], string][] = [
  ['proceeding', retrans, [], 'proceeding'],
  ['proceeding', tu(180), [sent(180)], 'proceeding'],
  ['proceeding', tu(200), [sent(200), { type: 'start-timer', timer: 'L', delayMs: 32000 }], 'accepted'],
  [
    'proceeding',
    tu(300),
    [sent(300), { type: 'start-timer', timer: 'G', delayMs: 500 }, { type: 'start-timer', timer: 'H', delayMs: 32000 }],
    'completed',
  ],
  ['proceeding', transportError, [{ type: 'report-transport-error' }], 'proceeding'],
  ['proceeding', ackEv, [], 'proceeding'],
  ['completed', retrans, [sent(486)], 'completed'],
  ['completed', timer('G'), [sent(486), { type: 'start-timer', timer: 'G', delayMs: 1000 }], 'completed'],
  ['completed', timer('H'), [term('timeout')], 'terminated'],
  [
    'completed',
    ackEv,
    [{ type: 'stop-timer', timer: 'G' }, { type: 'stop-timer', timer: 'H' }, { type: 'start-timer', timer: 'I', delayMs: 5000 }],
    'confirmed',
  ],
  ['completed', transportError, [{ type: 'report-transport-error' }], 'completed'],
  ['completed', tu(200), [], 'completed'],
  ['confirmed', ackEv, [], 'confirmed'],
  ['confirmed', retrans, [], 'confirmed'],
  ['confirmed', timer('G'), [], 'confirmed'],
  ['confirmed', timer('I'), [term('completed')], 'terminated'],
  ['accepted', retrans, [], 'accepted'],
  ['accepted', ackEv, [{ type: 'deliver-ack', ack: 'ACK' }], 'accepted'],
  ['accepted', tu(200), [sent(200)], 'accepted'],
  ['accepted', tu(486), [], 'accepted'],
  ['accepted', transportError, [{ type: 'report-transport-error' }], 'accepted'],
  ['accepted', timer('L'), [term('completed')], 'terminated'],
  ['terminated', retrans, [], 'terminated'],
  ['terminated', ackEv, [], 'terminated'],
];
const label = (e: Ev): string =>
  e.type === 'tu-response' ? `TU ${e.status}` : e.type === 'timer' ? `Timer ${e.timer}` : e.type;
for (const [from, event, actions, to] of istRows) {
  test(`IST row: ${from} + ${label(event)} → ${to}`, () => {
    const core = ist();
    core.start();
    for (const e of istState[from]!) core.handle(e);
    assert.equal(core.stateName, from);
    assert.deepEqual(core.handle(event), actions);
    assert.equal(core.stateName, to);
  });
}

test('IST: INVITE retransmission in Proceeding resends the latest provisional', () => {
  const core = ist();
  core.start();
  core.handle(tu(100));
  core.handle(tu(183, 7));
  assert.deepEqual(core.handle(retrans), [sent(183, 7)]);
});

const nretrans: Ev = { type: 'request-retransmission', request: 'REGISTER' };
const nistState: Record<string, Ev[]> = { trying: [], proceeding: [tu(100)], completed: [tu(200)], terminated: [tu(200), timer('J')] };
const nistRows: [string, Ev, A[], string][] = [
  ['trying', nretrans, [], 'trying'],
  ['trying', tu(100), [sent(100)], 'proceeding'],
  ['trying', tu(200), [sent(200), { type: 'start-timer', timer: 'J', delayMs: 32000 }], 'completed'],
  ['trying', transportError, [], 'trying'],
  ['proceeding', nretrans, [sent(100)], 'proceeding'],
  ['proceeding', tu(101), [sent(101)], 'proceeding'],
  ['proceeding', tu(403), [sent(403), { type: 'start-timer', timer: 'J', delayMs: 32000 }], 'completed'],
  ['proceeding', transportError, [term('transport-error')], 'terminated'],
  ['completed', nretrans, [sent(200)], 'completed'],
  ['completed', tu(500), [], 'completed'],
  ['completed', transportError, [term('transport-error')], 'terminated'],
  ['completed', timer('J'), [term('completed')], 'terminated'],
  ['terminated', nretrans, [], 'terminated'],
];
for (const [from, event, actions, to] of nistRows) {
  test(`NIST row: ${from} + ${label(event)} → ${to}`, () => {
    const core = nist();
    core.start();
    for (const e of nistState[from]!) core.handle(e);
    assert.equal(core.stateName, from);
    assert.deepEqual(core.handle(event), actions);
    assert.equal(core.stateName, to);
  });
}
