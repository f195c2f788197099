import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipTrace } from '../../../src/phone/index.js';
import type { SipTraceEntry, SipTraceListener } from '../../../src/sip/index.js';

function fakeStack(): { onTrace(l: SipTraceListener): () => void; emit(callId: string, firstLine: string, direction?: 'in' | 'out'): void; listeners: Set<SipTraceListener> } {
  const listeners = new Set<SipTraceListener>();
  return {
    listeners,
    onTrace: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit: (callId, firstLine, direction = 'out') => {
      const e: SipTraceEntry = { time: 0, direction, transport: 'udp', remote: '127.0.0.1:5070', firstLine, callId, cseq: '1 INVITE' };
      for (const l of listeners) l(e);
    },
  };
}

test('SipTrace groups by Call-ID in activity order, stamps wall time, bounds dialogs and messages', () => {
  const stack = fakeStack();
  let now = 1000;
  const trace = new SipTrace(stack, { maxDialogs: 2, maxMessages: 3, now: () => now++ });
  let changes = 0;
  trace.onChange(() => changes++);
  stack.emit('a', 'INVITE');
  stack.emit('b', 'OPTIONS');
  stack.emit('a', '100 Trying', 'in');
  assert.deepEqual(trace.dialogs().map((d) => [d.callId, d.peer, d.messages.map((m) => [m.firstLine, m.direction, m.at])]), [
    ['b', '127.0.0.1:5070', [['OPTIONS', 'out', 1001]]],
    ['a', '127.0.0.1:5070', [['INVITE', 'out', 1000], ['100 Trying', 'in', 1002]]],
  ]);
  stack.emit('c', 'REGISTER');
  assert.deepEqual(trace.dialogs().map((d) => d.callId), ['a', 'c'], 'the least recently active dialog (b) was dropped');
  for (const l of ['180 Ringing', '200 OK', 'ACK']) stack.emit('a', l);
  assert.deepEqual(trace.dialogs().find((d) => d.callId === 'a')!.messages.map((m) => m.firstLine), ['180 Ringing', '200 OK', 'ACK']);
  assert.equal(changes, 7);
  trace.close();
  assert.equal(stack.listeners.size, 0);
});
