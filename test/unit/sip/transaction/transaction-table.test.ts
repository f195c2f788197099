import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../src/util/index.js';
import { TransactionTable, type Transaction, type TransactionMessage, type TransactionTableEvent, type ViaView } from '../../../../src/sip/transaction/index.js';

/** A plain message with the fields transactions read, plus a label for assertions. */
interface Msg extends TransactionMessage {
  label: string;
}
const via = (host = '192.0.2.1', port: number | undefined = 5060, transport = 'UDP'): ViaView => ({ host, port, transport });
function req(method: string, o: Partial<Msg> = {}): Msg {
  return {
    isRequest: true,
    method,
    status: 0,
    cseq: 1,
    callId: 'call-1',
    fromTag: 'ft',
    toTag: undefined,
    branch: 'z9hG4bKabc',
    topVia: via(),
    requestUriText: 'sip:bob@example.com',
    label: method,
    ...o,
  };
}
function resp(status: number, method = 'INVITE', o: Partial<Msg> = {}): Msg {
  return { ...req(method, o), isRequest: false, status, requestUriText: '', toTag: 'tt', label: `${status} ${method}`, ...o };
}

function setup(withTrying = true) {
  const clock = new ManualClock(0);
  const events: TransactionTableEvent<Msg>[] = [];
  const created = new Map<string, Transaction<Msg>>();
  const table = new TransactionTable<Msg>({
    clock,
    buildAck: (invite, r) => ({ ...invite, method: 'ACK', toTag: r.toTag, label: `ACK ${r.status}` }),
    ...(withTrying ? { trying: (invite: Msg) => resp(100, invite.method, { branch: invite.branch }) } : {}),
    onEvent: (e) => {
      if (e.type === 'request') created.set(e.request.method, e.transaction);
      events.push(e);
    },
  });
  /** The server transaction last handed to the TU for `method`. */
  const server = (method: string): Transaction<Msg> => created.get(method)!;
  /** Events as short strings: "send ACK 486", "response 180 INVITE", ... */
  const log = (): string[] =>
    events.splice(0).map((e) => {
      switch (e.type) {
        case 'send':
          return `send ${e.message.label}`;
        case 'response':
          return `response ${e.response.label}`;
        case 'request':
          return `request ${e.request.label}${e.cancels ? ' cancels ' + e.cancels.kind : ''}`;
        case 'ack':
          return `ack ${e.ack.label}${e.transaction ? ' via ' + e.transaction.kind : ' stray'}`;
        case 'stray-response':
          return `stray ${e.response.label}`;
        case 'transport-error':
          return `transport-error ${e.transaction.kind}`;
        case 'terminated':
          return `terminated ${e.transaction.kind} ${e.reason}`;
      }
    });
  return { clock, table, log, server };
}

test('client: responses match by branch and CSeq method; non-2xx ACKed by the ICT; stray otherwise', () => {
  const { clock, table, log } = setup();
  const tx = table.sendRequest(req('INVITE'), false);
  assert.equal(tx.kind, 'ict');
  assert.deepEqual(log(), ['send INVITE']);
  assert.equal(table.receiveResponse(resp(180)), true);
  assert.equal(table.receiveResponse(resp(180, 'INVITE', { branch: 'z9hG4bKother' })), false);
  assert.equal(table.receiveResponse(resp(200, 'CANCEL')), false);
  table.receiveResponse(resp(486));
  table.receiveResponse(resp(486));
  assert.deepEqual(log(), ['response 180 INVITE', 'stray 180 INVITE', 'stray 200 CANCEL', 'send ACK 486', 'response 486 INVITE', 'send ACK 486']);
  assert.equal(tx.state, 'completed');
  clock.advance(32000);
  assert.deepEqual(log(), ['terminated ict completed']);
  assert.equal(table.size, 0);
  assert.equal(table.receiveResponse(resp(486)), false);
});

test('client: CANCEL is its own transaction on the INVITE branch', () => {
  const { table, log } = setup();
  table.sendRequest(req('INVITE'), true);
  const cancel = table.sendRequest(req('CANCEL'), true);
  assert.equal(cancel.kind, 'nict');
  table.receiveResponse(resp(200, 'CANCEL'));
  table.receiveResponse(resp(487, 'INVITE'));
  assert.deepEqual(log(), ['send INVITE', 'send CANCEL', 'response 200 CANCEL', 'terminated nict completed', 'send ACK 487', 'response 487 INVITE', 'terminated ict completed']);
  assert.equal(table.size, 0);
  assert.throws(() => table.sendRequest(req('ACK'), true), /ACK/);
});

test('client: UDP retransmissions go out through the table at the RFC instants', () => {
  const { clock, table } = setup();
  const sends: number[] = [];
  const t = new TransactionTable<Msg>({
    clock,
    buildAck: (i) => i,
    onEvent: (e) => {
      if (e.type === 'send') sends.push(clock.now());
    },
  });
  t.sendRequest(req('REGISTER'), false);
  clock.advance(33000);
  assert.deepEqual(sends, [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  assert.equal(t.size, 0);
  assert.equal(table.size, 0);
});

test('client: a transport error ends the transaction', () => {
  const { table, log } = setup();
  const tx = table.sendRequest(req('OPTIONS'), false);
  table.transportError(tx);
  assert.deepEqual(log(), ['send OPTIONS', 'terminated nict transport-error']);
  assert.equal(table.size, 0);
});

test('server: a TU answering the INVITE while handling it sends no 100 Trying (§17.2.1)', () => {
  const { clock, table, log, server } = setup();
  table.receiveRequest(req('INVITE'), false);
  table.respond(server('INVITE'), resp(180));
  clock.advance(0);
  assert.deepEqual(log(), ['request INVITE', 'send 180 INVITE']);
});

test('server: new INVITE → request, then 100 Trying (TU silent); retransmission absorbed (100 resent); ACK for non-2xx absorbed', () => {
  const { clock, table, log, server } = setup();
  table.receiveRequest(req('INVITE'), false);
  assert.deepEqual(log(), ['request INVITE']);
  clock.advance(0);
  assert.deepEqual(log(), ['send 100 INVITE']);
  table.receiveRequest(req('INVITE'), false);
  assert.deepEqual(log(), ['send 100 INVITE']);
  // The TU answers through the transaction it was given.
  const tx = server('INVITE');
  table.respond(tx, resp(486));
  table.receiveRequest(req('INVITE'), false);
  table.receiveRequest(req('ACK', { toTag: 'tt' }), false);
  table.receiveRequest(req('ACK', { toTag: 'tt' }), false);
  assert.deepEqual(log(), ['send 486 INVITE', 'send 486 INVITE']);
  assert.equal(tx.state, 'confirmed');
  clock.advance(5000);
  assert.deepEqual(log(), ['terminated ist completed']);
  assert.equal(table.size, 0);
});

test('server: 2xx → Accepted; ACK on the INVITE branch goes to the TU via the IST, a 2xx ACK (new branch) as stray', () => {
  const { clock, table, log, server } = setup(false);
  table.receiveRequest(req('INVITE'), false);
  const tx = server('INVITE');
  table.respond(tx, resp(200));
  table.respond(tx, resp(200)); // the TU's own retransmission
  table.receiveRequest(req('INVITE'), false);
  table.receiveRequest(req('ACK', { branch: 'z9hG4bKack2xx', toTag: 'tt' }), false);
  table.receiveRequest(req('ACK'), false);
  assert.deepEqual(log(), ['request INVITE', 'send 200 INVITE', 'send 200 INVITE', 'ack ACK stray', 'ack ACK via ist']);
  clock.advance(32000);
  assert.deepEqual(log(), ['terminated ist completed']);
  table.receiveRequest(req('ACK'), false);
  assert.deepEqual(log(), ['ack ACK stray']);
});

test('server: the key includes sent-by (same branch from another host is another transaction)', () => {
  const { table, log } = setup(false);
  table.receiveRequest(req('OPTIONS'), false);
  table.receiveRequest(req('OPTIONS', { topVia: via('192.0.2.99') }), false);
  table.receiveRequest(req('OPTIONS', { topVia: via('192.0.2.1', undefined) }), false); // 5060 by default
  table.receiveRequest(req('OPTIONS', { topVia: via('192.0.2.1', 5061) }), false);
  assert.deepEqual(log(), ['request OPTIONS', 'request OPTIONS', 'request OPTIONS']);
  assert.equal(table.size, 3);
});

test('server: CANCEL matches the INVITE server transaction (§9.2), gets its own NIST', () => {
  const { table, log } = setup(false);
  table.receiveRequest(req('INVITE'), false);
  table.receiveRequest(req('CANCEL'), false);
  table.receiveRequest(req('CANCEL', { branch: 'z9hG4bKnope' }), false);
  assert.deepEqual(log(), ['request INVITE', 'request CANCEL cancels ist', 'request CANCEL']);
  assert.equal(table.size, 3);
});

test('server (RFC 2543 fallback, no magic cookie): retransmission and ACK matched by URI, tags, Call-ID, CSeq, Via', () => {
  const { clock, table, log, server } = setup(false);
  const old = { branch: undefined };
  table.receiveRequest(req('INVITE', old), false);
  const tx = server('INVITE');
  table.receiveRequest(req('INVITE', old), false);
  table.receiveRequest(req('INVITE', { ...old, cseq: 2 }), false);
  table.receiveRequest(req('INVITE', { branch: '1234' }), false); // an RFC 2543 branch: part of the key
  assert.deepEqual(log(), ['request INVITE', 'request INVITE', 'request INVITE']);
  table.respond(tx, resp(404, 'INVITE', old));
  table.receiveRequest(req('ACK', { ...old, toTag: 'tt' }), false);
  assert.equal(tx.state, 'confirmed');
  assert.deepEqual(log(), ['send 404 INVITE']);
  table.receiveRequest(req('CANCEL', { ...old, cseq: 2 }), false);
  assert.deepEqual(log(), ['request CANCEL cancels ist']);
  clock.advance(60000);
});

test('server: NIST resends its final response, dies after Timer J; TCP ends at once', () => {
  const { clock, table, log, server } = setup(false);
  table.receiveRequest(req('REGISTER'), false);
  const tx = server('REGISTER');
  table.receiveRequest(req('REGISTER'), false); // Trying: discarded
  table.respond(tx, resp(200, 'REGISTER'));
  table.receiveRequest(req('REGISTER'), false);
  assert.deepEqual(log(), ['request REGISTER', 'send 200 REGISTER', 'send 200 REGISTER']);
  clock.advance(32000);
  assert.deepEqual(log(), ['terminated nist completed']);
  table.respond(tx, resp(500, 'REGISTER')); // too late: ignored
  assert.deepEqual(log(), []);
  table.receiveRequest(req('MESSAGE'), true);
  table.respond(server('MESSAGE'), resp(202, 'MESSAGE'));
  assert.deepEqual(log(), ['request MESSAGE', 'send 202 MESSAGE', 'terminated nist completed']);
  assert.equal(table.size, 0);
});

test('server: a request without Via is dropped and counted; IST transport errors are reported, not fatal', () => {
  const { table, log, server } = setup(false);
  table.receiveRequest(req('OPTIONS', { topVia: undefined }), false);
  assert.equal(table.dropped, 1);
  table.receiveRequest(req('INVITE'), false);
  const tx = server('INVITE');
  table.transportError(tx);
  assert.deepEqual(log(), ['request INVITE', 'transport-error ist']);
  assert.equal(tx.state, 'proceeding');
  table.dispose();
  assert.equal(table.size, 0);
});

test('ICT and IST across a lossy in-memory UDP link: retransmissions recover, instants exact', () => {
  const clock = new ManualClock(0);
  const trace: string[] = [];
  let dropRequests = 2;
  let dropResponses = 1;
  let server!: TransactionTable<Msg>;
  let serverTx: Transaction<Msg> | undefined;
  const client = new TransactionTable<Msg>({
    clock,
    buildAck: (invite, r) => ({ ...invite, method: 'ACK', toTag: r.toTag, label: `ACK ${r.status}` }),
    onEvent: (e) => {
      if (e.type === 'send') {
        trace.push(`${clock.now()} client sends ${e.message.label}${e.message.method !== 'ACK' && dropRequests > 0 ? ' (lost)' : ''}`);
        if (e.message.method !== 'ACK' && dropRequests-- > 0) return;
        server.receiveRequest(e.message, false);
      } else if (e.type === 'response') trace.push(`${clock.now()} client gets ${e.response.label}`);
      else if (e.type === 'terminated') trace.push(`${clock.now()} client ${e.transaction.kind} ${e.reason}`);
    },
  });
  server = new TransactionTable<Msg>({
    clock,
    buildAck: (i) => i,
    onEvent: (e) => {
      if (e.type === 'request') {
        serverTx = e.transaction;
        server.respond(e.transaction, resp(486));
      } else if (e.type === 'send') {
        trace.push(`${clock.now()} server sends ${e.message.label}${dropResponses > 0 ? ' (lost)' : ''}`);
        if (dropResponses-- > 0) return;
        client.receiveResponse(e.message);
      } else if (e.type === 'terminated') trace.push(`${clock.now()} server ${e.transaction.kind} ${e.reason}`);
    },
  });
  client.sendRequest(req('INVITE'), false);
  clock.advance(3000);
  assert.equal(serverTx?.state, 'confirmed');
  clock.advance(40000);
  assert.deepEqual(trace, [
    '0 client sends INVITE (lost)',
    '500 client sends INVITE (lost)',
    '1500 client sends INVITE',
    '1500 server sends 486 INVITE (lost)',
    '2000 server sends 486 INVITE',
    '2000 client sends ACK 486',
    '2000 client gets 486 INVITE',
    '7000 server ist completed',
    '34000 client ict completed',
  ]);
  assert.equal(client.size + server.size, 0);
});
