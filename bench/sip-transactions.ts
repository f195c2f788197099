// Transaction-layer throughput: non-INVITE client/server transaction pairs per second over an
// in-memory transport (one core). Each pair: client sends a request, the server table creates a
// NIST and hands it to the TU, the TU answers 200, the client table matches and completes.
// Three ways: plain message objects over a reliable transport (the state machines, matching and
// timers alone), the same over an unreliable one (Timer E/F set, K and J left running), and
// real SipMessages serialized and parsed on every hop.
import {
  TransactionTable,
  type TransactionMessage,
  type TransactionTableEvent,
} from '../src/sip/transaction/index.js';
import { createResponse, parseMessage, serializeMessage, type SipMessage } from '../src/sip/message/index.js';
import { SystemClock } from '../src/util/index.js';
import { fmtRate } from './support.js';

interface Obj extends TransactionMessage {
  n: number;
}

const via = { transport: 'UDP', host: '127.0.0.1', port: 5060 };
function objectRequest(n: number): Obj {
  return { isRequest: true, method: 'OPTIONS', status: 0, cseq: n, callId: `c${n}`, fromTag: 'f', toTag: undefined, branch: `z9hG4bK${n}`, topVia: via, requestUriText: 'sip:bob@127.0.0.1', n };
}
const objectResponse = (r: Obj): Obj => ({ ...r, isRequest: false, status: 200, toTag: 't', requestUriText: '' });

/** Runs `pairs` transaction pairs through two tables joined back to back; returns pairs/s and completions. */
function pairsPerSecond<M extends TransactionMessage>(
  pairs: number,
  reliable: boolean,
  makeRequest: (n: number) => M,
  answer: (request: M) => M,
  wire: (m: M) => M,
): { rate: number; completed: number } {
  const clock = new SystemClock();
  let completed = 0;
  let server!: TransactionTable<M>;
  const client: TransactionTable<M> = new TransactionTable<M>({
    clock,
    buildAck: (i) => i,
    onEvent: (e: TransactionTableEvent<M>) => {
      if (e.type === 'send') server.receiveRequest(wire(e.message), reliable);
      else if (e.type === 'response' && e.response.status >= 200) completed++;
    },
  });
  server = new TransactionTable<M>({
    clock,
    buildAck: (i) => i,
    onEvent: (e: TransactionTableEvent<M>) => {
      if (e.type === 'send') client.receiveResponse(wire(e.message));
      else if (e.type === 'request') server.respond(e.transaction, answer(e.request));
    },
  });
  const start = performance.now();
  for (let n = 1; n <= pairs; n++) client.sendRequest(makeRequest(n), reliable);
  const ms = performance.now() - start;
  client.dispose();
  server.dispose();
  return { rate: (pairs * 1000) / ms, completed };
}

const sipRequest = (n: number): SipMessage => {
  const text =
    `OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK${n}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:alice@127.0.0.1>;tag=f${n}\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: c${n}@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
  const r = parseMessage(Buffer.from(text), { datagram: true });
  if (r.kind !== 'ok') throw new Error('bench request does not parse');
  return r.message;
};
const sipWire = (m: SipMessage): SipMessage => {
  const r = parseMessage(serializeMessage(m), { datagram: true });
  if (r.kind !== 'ok') throw new Error('bench message does not parse');
  return r.message;
};

export async function run(): Promise<void> {
  const pairs = 200_000;
  const cases: [string, () => { rate: number; completed: number }][] = [
    ['objects, reliable transport', () => pairsPerSecond<Obj>(pairs, true, objectRequest, objectResponse, (m) => m)],
    ['objects, unreliable transport (timers E/F/K/J)', () => pairsPerSecond<Obj>(pairs, false, objectRequest, objectResponse, (m) => m)],
    ['SipMessage serialized + parsed per hop, reliable', () => pairsPerSecond<SipMessage>(pairs / 4, true, sipRequest, (r) => createResponse(r, 200, 'OK', { toTag: 't' }), sipWire)],
  ];
  for (const [name, go] of cases) {
    go(); // warm-up
    const { rate, completed } = go();
    process.stdout.write(`non-INVITE transaction pairs/s  ${fmtRate(rate)}  ${name} (${completed} completed)\n`);
  }
}
