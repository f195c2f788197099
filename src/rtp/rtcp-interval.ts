/** RTCP transmission interval (RFC 3550 §6.3 and the reference code of A.7), as pure functions. */

export interface RtcpIntervalParams {
  /** Current estimate of session members, including us. */
  members: number;
  /** Members that sent RTP since the last-but-one report, including us if we did. */
  senders: number;
  /** Target RTCP bandwidth in octets per second (typically 5 % of the session bandwidth). */
  rtcpBandwidth: number;
  weSent: boolean;
  /** Average compound RTCP packet size in octets, lower-layer headers included (§6.3.1). */
  averageRtcpSize: number;
  /** True before our first report: halves the minimum interval (§6.2). */
  initial: boolean;
  /** Minimum interval in seconds (5 s by default; §6.2 allows a reduced minimum). */
  minimumInterval?: number;
}

const SENDER_FRACTION = 0.25;
const RECEIVER_FRACTION = 1 - SENDER_FRACTION;
/** A.7: compensates "timer reconsideration" converging below the intended average (e - 3/2). */
const COMPENSATION = 2.71828 - 1.5;

/**
 * A.7 `rtcp_interval()`: the randomized interval in seconds until our next report.
 * `random` returns a uniform value in [0, 1) (injected so tests are exact).
 */
export function rtcpInterval(p: RtcpIntervalParams, random: () => number): number {
  let minTime = p.minimumInterval ?? 5;
  if (p.initial) minTime /= 2;
  let bandwidth = p.rtcpBandwidth;
  let n = p.members;
  // §6.3.1: senders share 25 % of the RTCP bandwidth unless they are more than a quarter of members.
  if (p.senders <= p.members * SENDER_FRACTION) {
    if (p.weSent) {
      bandwidth *= SENDER_FRACTION;
      n = p.senders;
    } else {
      bandwidth *= RECEIVER_FRACTION;
      n -= p.senders;
    }
  }
  let t = bandwidth > 0 ? (p.averageRtcpSize * n) / bandwidth : minTime;
  if (t < minTime) t = minTime;
  // §6.3.1: uniformly in [0.5 t, 1.5 t], then divided by the compensation factor.
  return (t * (random() + 0.5)) / COMPENSATION;
}

/** §6.3.3: avg_rtcp_size = 1/16 * packet_size + 15/16 * avg_rtcp_size. */
export function updateAverageRtcpSize(average: number, packetSize: number): number {
  return packetSize / 16 + (15 * average) / 16;
}

/**
 * §6.3.6 timer reconsideration when the timer fires at `now` (seconds): send if the recomputed
 * time `lastSent + interval` has passed, else wait until then.
 */
export function reconsiderRtcpTimer(lastSent: number, now: number, interval: number): { send: true } | { send: false; at: number } {
  const next = lastSent + interval;
  return next <= now ? { send: true } : { send: false, at: next };
}
