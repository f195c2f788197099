// A fresh `handset call` / `handset listen` process compiles the SIP and SDP code the first time
// a call needs it, and G.711 builds its tables with the first encoder: the first 200 (or its ACK)
// waited 7-45 ms. One canned call's messages parsed and built once at start-up, and one encoder
// and decoder per codec, do that before a peer waits. Nothing is sent.
import type { AudioCodec } from '../codecs/index.js';
import { applyAnswer, createAnswer, createOffer, parseSdp, serializeSdp, type LocalCapabilities } from '../sdp/index.js';
import {
  buildAckForNon2xx, createRequest, createResponse, Dialog, HeaderId, parseMessage, serializeMessage, TransactionTable, validateMessage,
  type HeaderLines, type SipMessage,
} from '../sip/index.js';
import { ManualClock, SystemClock } from '../util/index.js';

const local: LocalCapabilities = {
  address: '127.0.0.1', port: 4000, srtp: 'off',
  codecs: [{ encoding: 'PCMU', clockRate: 8000 }, { encoding: 'PCMA', clockRate: 8000 }],
};

/** What the call path reads of a message it receives. */
function read(m: SipMessage): void {
  void [m.branch, m.fromTag, m.toTag, m.callId, m.viaHost, m.viaPort, m.topVia, m.requestUri, m.body];
  for (const id of [HeaderId.From, HeaderId.To, HeaderId.Contact, HeaderId.CSeq, HeaderId.RecordRoute, HeaderId.ContentType,
    HeaderId.Allow, HeaderId.Supported, HeaderId.Require, HeaderId.SessionExpires, HeaderId.MaxForwards] as const) {
    m.get(id);
  }
  validateMessage(m);
}

function received(m: SipMessage): SipMessage {
  const r = parseMessage(serializeMessage(m), { datagram: true });
  if (r.kind !== 'ok') throw new Error(`warm-up: canned message does not parse: ${r.kind}`);
  read(r.message);
  return r.message;
}

/**
 * Parses and builds one canned INVITE → 180 → 200 → ACK → BYE exchange (with SDP offer/answer)
 * and codes one frame of silence with each of `codecs`.
 */
export function warmUpCallPath(codecs: readonly AudioCodec[]): void {
  for (const codec of codecs) {
    const pcm = new Int16Array(codec.sampleRate / 50);
    const payload = Buffer.alloc(pcm.length * 2);
    const n = codec.createEncoder().encode(pcm, payload);
    codec.createDecoder().decode(payload.subarray(0, n), pcm);
  }
  const offer = createOffer(local);
  const common: HeaderLines = [
    ['Via', 'SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKwarm;rport'], ['Max-Forwards', '70'], ['From', '<sip:warm@127.0.0.1>;tag=w1'],
    ['To', '<sip:up@127.0.0.1>'], ['Call-ID', 'warm-up'],
  ];
  const invite = received(createRequest({
    method: 'INVITE', uri: 'sip:up@127.0.0.1:5060',
    headers: [...common, ['CSeq', '1 INVITE'], ['Contact', '<sip:warm@127.0.0.1:5062>'], ['Content-Type', 'application/sdp']],
    body: serializeSdp(offer),
  }));
  const parsedOffer = parseSdp(invite.body);
  if (!parsedOffer.ok) return;
  const answer = createAnswer(parsedOffer.value, { ...local, port: 4002 });
  if (!answer.ok) return;
  const contact: HeaderLines = [['Contact', '<sip:up@127.0.0.1:5060>']];
  const ringing = received(createResponse(invite, 180, undefined, { toTag: 'w2', headers: contact }));
  const ok = received(createResponse(invite, 200, undefined, {
    toTag: 'w2', headers: [...contact, ['Content-Type', 'application/sdp']], body: serializeSdp(answer.value.answer),
  }));
  const parsedAnswer = parseSdp(ok.body);
  if (parsedAnswer.ok) applyAnswer(offer, parsedAnswer.value);
  transactions(invite, ringing, ok);
  // The caller's ACK for the 2xx (RFC 3261 §13.2.2.4), built from its dialog.
  Dialog.fromUacResponse(invite, ok)?.createRequest({ method: 'ACK', via: 'SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKwarm2;rport', cseq: 1 });
  const inDialog: HeaderLines = [common[0]!, common[1]!, common[2]!, ['To', ok.header(HeaderId.To)!], common[4]!];
  received(createRequest({ method: 'ACK', uri: 'sip:up@127.0.0.1:5060', headers: [...inDialog, ['CSeq', '1 ACK']] }));
  const bye = received(createRequest({ method: 'BYE', uri: 'sip:up@127.0.0.1:5060', headers: [...inDialog, ['CSeq', '2 BYE']] }));
  received(createResponse(bye, 200));
}

/** Both INVITE transactions through a table on a manual clock; one real timer set and cleared. */
function transactions(invite: SipMessage, ringing: SipMessage, ok: SipMessage): void {
  const table = new TransactionTable<SipMessage>({ clock: new ManualClock(), buildAck: buildAckForNon2xx, trying: (r) => createResponse(r, 100), onEvent: () => {} });
  table.sendRequest(invite, false);
  table.receiveResponse(ringing);
  table.receiveResponse(ok);
  const created: { tx?: Parameters<typeof table.respond>[0] } = {};
  const server = new TransactionTable<SipMessage>({
    clock: new ManualClock(), buildAck: buildAckForNon2xx, trying: (r) => createResponse(r, 100),
    onEvent: (e) => void (e.type === 'request' && (created.tx = e.transaction)),
  });
  server.receiveRequest(invite, false);
  if (created.tx !== undefined) {
    server.respond(created.tx, ringing);
    server.respond(created.tx, ok);
  }
  table.dispose();
  server.dispose();
  const clock = new SystemClock();
  clock.clearTimer(clock.setTimer(1000, () => {}));
}
