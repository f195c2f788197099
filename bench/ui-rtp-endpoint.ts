// The far end of the call the latency benchmark places from the page: sipp answers the INVITE
// with an SDP that points at a Node UDP socket (PCMU), and that socket is the media endpoint.
// It sends 20 ms PCMU packets of silence paced on the wall clock, with a loud 1 kHz packet every
// `markerEvery` packets (stamped as sent), and stamps the arrival of the marker onsets the page
// put into its microphone frames.
// The socket runs in a worker thread (ui-rtp-endpoint-worker.ts).
import { Worker } from 'node:worker_threads';
import type { EndpointEvent } from './ui-rtp-endpoint-worker.js';

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
  const worker = new Worker(new URL('./ui-rtp-endpoint-worker.js', import.meta.url));
  const markersSent: number[] = [];
  const markersArrived: { at: number; index: number }[] = [];
  let received = 0;
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (e: EndpointEvent) => {
      if (e.type === 'ready') resolve(e.port);
      else if (e.type === 'received') received = e.count;
      else if (e.type === 'sent-marker') markersSent.push(e.at);
      else markersArrived.push({ at: e.at, index: e.index });
    });
  });
  return {
    port,
    markersSent,
    markersArrived,
    received: () => received,
    startSending: (markerEvery) => worker.postMessage({ type: 'send', markerEvery }),
    async close() {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ type: 'close' });
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
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
