/** SDP serializer (RFC 8866 §5): canonical line order, CRLF line ends. */
import type { SdpAttribute, SdpBandwidth, SdpConnection, SdpMedia, SessionDescription } from './types.js';

function connection(c: SdpConnection): string {
  let s = `c=${c.netType} ${c.addrType} ${c.address}`;
  if (c.ttl !== undefined) s += `/${c.ttl}`;
  if (c.count !== undefined) s += `/${c.count}`;
  return s;
}

const bandwidth = (b: SdpBandwidth): string => `b=${b.type}:${b.value}`;
const attribute = (a: SdpAttribute): string => (a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`);

function mediaLines(m: SdpMedia, out: string[]): void {
  const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
  out.push(`m=${m.type} ${port} ${m.proto}${m.formats.length > 0 ? ' ' + m.formats.join(' ') : ''}`);
  if (m.title !== undefined) out.push(`i=${m.title}`);
  for (const c of m.connections) out.push(connection(c));
  for (const b of m.bandwidths) out.push(bandwidth(b));
  if (m.key !== undefined) out.push(`k=${m.key}`);
  for (const a of m.attributes) out.push(attribute(a));
}

/** The body text; a description without t= gets "t=0 0" (RFC 8866 §5.9: required). */
export function serializeSdp(sd: SessionDescription): string {
  const o = sd.origin;
  const out: string[] = ['v=0', `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`];
  out.push(`s=${sd.sessionName.length > 0 ? sd.sessionName : '-'}`);
  if (sd.info !== undefined) out.push(`i=${sd.info}`);
  if (sd.uri !== undefined) out.push(`u=${sd.uri}`);
  for (const e of sd.emails) out.push(`e=${e}`);
  for (const p of sd.phones) out.push(`p=${p}`);
  if (sd.connection !== undefined) out.push(connection(sd.connection));
  for (const b of sd.bandwidths) out.push(bandwidth(b));
  if (sd.timings.length === 0) out.push('t=0 0');
  for (const t of sd.timings) {
    out.push(`t=${t.start} ${t.stop}`);
    for (const r of t.repeats) out.push(`r=${r}`);
  }
  if (sd.zone !== undefined) out.push(`z=${sd.zone}`);
  if (sd.key !== undefined) out.push(`k=${sd.key}`);
  for (const a of sd.attributes) out.push(attribute(a));
  for (const m of sd.media) mediaLines(m, out);
  return out.join('\r\n') + '\r\n';
}
