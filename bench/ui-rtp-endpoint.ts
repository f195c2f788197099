// The far end of the call the latency benchmark places from the page: sipp answers the INVITE
// with an SDP that points at a Node UDP socket (PCMU), and that socket is the media endpoint.
// It sends 20 ms PCMU packets of silence paced on the wall clock, with a loud 1 kHz packet every
// `markerEvery` packets (stamped as sent), and stamps the arrival of the marker onsets the page
// put into its microphone frames.
import { createSocket, type Socket } from 'node:dgram';
import { linearToUlaw, ulawToLinear } from '../src/codecs/index.js';
import { createRtpPacket, parseRtpPacket, sizeOfRtpPacket, writeRtpPacket } from '../src/rtp/index.js';
import { OnsetDetector } from './ui-latency-stats.js';

const SAMPLES = 160; // 20 ms of PCMU
const PCMU = 0;
/** Marker onsets: a sample at this level after 100 ms of quieter ones (8 kHz). */
const ONSET_LEVEL = 4000;
const ONSET_QUIET = 800;

export const wallNow = (): number => performance.timeOrigin + performance.now();

export interface RtpMarkerEndpoint {
  port: number;
  /** Wall-clock ms each marker packet was handed to the socket. */
  readonly markersSent: number[];
  /** Wall-clock ms each marker onset arrived from the phone, and its sample index in the packet. */
  readonly markersArrived: { at: number; index: number }[];
  /** Packets received from the phone. */
  readonly received: () => number;
  /** Starts sending (markers from now on every `markerEvery` packets; 0: only silence). */
  startSending(markerEvery: number): void;
  close(): Promise<void>;
}

export async function startRtpMarkerEndpoint(): Promise<RtpMarkerEndpoint> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const silence = Buffer.alloc(SAMPLES, linearToUlaw(0));
  const marker = Buffer.alloc(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) marker[i] = linearToUlaw(Math.round(Math.sin((2 * Math.PI * 1000 * (i + 0.5)) / 8000) * 20000));
  const markersSent: number[] = [];
  const markersArrived: { at: number; index: number }[] = [];
  const onsets = new OnsetDetector(ONSET_LEVEL, ONSET_QUIET);
  const pcm = new Int16Array(SAMPLES);
  let peer: { address: string; port: number } | undefined;
  let received = 0;
  socket.on('message', (msg, rinfo) => {
    const at = wallNow();
    const r = parseRtpPacket(msg);
    if (!r.ok || r.value.payloadType !== PCMU) return;
    received++;
    peer ??= { address: rinfo.address, port: rinfo.port };
    const p = r.value.payload;
    for (let i = 0; i < p.length && i < SAMPLES; i++) pcm[i] = ulawToLinear(p[i]!);
    const index = onsets.feed(pcm.subarray(0, Math.min(p.length, SAMPLES)));
    if (index >= 0) markersArrived.push({ at, index });
  });

  let timer: NodeJS.Timeout | undefined;
  const pkt = createRtpPacket();
  pkt.payloadType = PCMU;
  pkt.ssrc = 0x1a7e9c;
  pkt.payload = silence;
  const buf = Buffer.alloc(sizeOfRtpPacket(pkt));
  return {
    port: (socket.address() as { port: number }).port,
    markersSent,
    markersArrived,
    received: () => received,
    startSending(markerEvery: number) {
      const start = wallNow();
      let n = 0;
      // Due at start + n × 20 ms on the wall clock: late timers never add up to drift.
      const tick = (): void => {
        while (wallNow() >= start + n * 20) {
          if (peer !== undefined) {
            const marked = markerEvery > 0 && n > 0 && n % markerEvery === 0;
            pkt.sequenceNumber = n & 0xffff;
            pkt.timestamp = (n * SAMPLES) >>> 0;
            pkt.marker = n === 0;
            pkt.payload = marked ? marker : silence;
            writeRtpPacket(pkt, buf, 0);
            if (marked) markersSent.push(wallNow());
            socket.send(buf, peer.port, peer.address);
          }
          n++;
        }
        timer = setTimeout(tick, Math.max(0, start + n * 20 - wallNow()));
      };
      tick();
    },
    async close() {
      clearTimeout(timer);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/** sipp UAS scenario: answers one INVITE with PCMU at 127.0.0.1:[rtp_port], then waits for BYE. */
export const SIPP_MEDIA_UAS = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="latency-uas">
  <recv request="INVITE" crlf="true"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=sipp 1 1 IN IP4 127.0.0.1
      s=-
      c=IN IP4 127.0.0.1
      t=0 0
      m=audio [rtp_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      a=ptime:20
      a=sendrecv
    ]]>
  </send>
  <recv request="ACK"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
</scenario>
`;
