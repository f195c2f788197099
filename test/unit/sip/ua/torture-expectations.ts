// What a UA (no registrar, no call handling yet: INVITE → 480) answers to each RFC 4475 message
// (../shared/conformance/sip-torture/README.md). A set means every listed answer is one the RFC
// allows; `null` means no answer (responses are dropped, framing faults on streams close the
// connection). Shared by the in-memory test and the interop test over real sockets.

export interface TortureExpectation {
  /** Final statuses acceptable over UDP (null: no response). */
  udp: number[] | null;
  /** Over TCP when it differs (framing faults). */
  tcp?: number[] | null;
}

export const tortureExpectations: Record<string, TortureExpectation> = {
  // Its To carries a tag: a request in a dialog we do not have (RFC 3261 §12.2.2).
  'wsinv.dat': { udp: [481] },
  'intmeth.dat': { udp: [501] },
  'esc01.dat': { udp: [480] },
  'escnull.dat': { udp: [405] },
  'esc02.dat': { udp: [501] },
  'lwsdisp.dat': { udp: [200] },
  'longreq.dat': { udp: [480] },
  'dblreq.dat': { udp: [405] },
  'semiuri.dat': { udp: [200] },
  'transports.dat': { udp: [200] },
  'mpart01.dat': { udp: [405, 415] },
  'unreason.dat': { udp: null },
  'noreason.dat': { udp: null },
  'badinv01.dat': { udp: [400] },
  // RFC 4475 §3.1.2.2: over TCP the receiver waits for the rest.
  'clerr.dat': { udp: [400], tcp: null },
  // §3.1.2.3 / §3.3.9: over TCP the framing is lost: the connection is closed.
  'ncl.dat': { udp: [400], tcp: null },
  'scalar02.dat': { udp: [400] },
  'scalarlg.dat': { udp: null },
  'quotbal.dat': { udp: [400] },
  'ltgtruri.dat': { udp: [400] },
  'lwsruri.dat': { udp: [400] },
  'lwsstart.dat': { udp: [400] },
  'trws.dat': { udp: [400] },
  'escruri.dat': { udp: [400] },
  'baddate.dat': { udp: [400, 480] },
  'regbadct.dat': { udp: [400, 405] },
  'badaspec.dat': { udp: [400, 200] },
  // The file has no blank line after its headers: on a stream the message never ends (README note).
  'baddn.dat': { udp: [400], tcp: null },
  'badvers.dat': { udp: [505] },
  'mismatch01.dat': { udp: [400] },
  'mismatch02.dat': { udp: [501, 400] },
  'bigcode.dat': { udp: null },
  'badbranch.dat': { udp: [400, 200] },
  'insuf.dat': { udp: [400] },
  'unkscm.dat': { udp: [416] },
  'novelsc.dat': { udp: [416] },
  'unksm2.dat': { udp: [400, 405] },
  'bext01.dat': { udp: [420] },
  'invut.dat': { udp: [415] },
  'regaut01.dat': { udp: [405] },
  'multi01.dat': { udp: [400] },
  'mcl01.dat': { udp: [400], tcp: null },
  'bcast.dat': { udp: null },
  // An endpoint processes Max-Forwards: 0 as if it were positive (RFC 4475 §3.3.11).
  'zeromf.dat': { udp: [200] },
  'cparam01.dat': { udp: [405] },
  'cparam02.dat': { udp: [405] },
  'regescrt.dat': { udp: [405] },
  'sdp01.dat': { udp: [406, 400] },
  'inv2543.dat': { udp: [480] },
  // Unreferenced by RFC 4475: no request-line version; only "does not crash" (any answer or none).
  'test.dat': { udp: [400, 505] },
};

export function expectedFor(file: string, transport: 'udp' | 'tcp'): number[] | null {
  const e = tortureExpectations[file];
  if (e === undefined) throw new Error(`no expectation for ${file}`);
  return transport === 'tcp' && e.tcp !== undefined ? e.tcp : e.udp;
}

/**
 * The Call-ID of a raw message ('' when it has none), so answers can be told apart from late
 * retransmissions of earlier ones (an INVITE's final response repeats until ACKed).
 */
export function rawCallId(text: string): string {
  const m = /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im.exec(text.slice(0, text.search(/\r?\n\r?\n/) >>> 0 || undefined));
  return m?.[1] ?? '';
}
