// rtp/: RTP/RTCP packets and statistics (RFC 3550), SRTP/SRTCP (RFC 3711, RFC 7714),
// telephone-events (RFC 4733). May import util/ only.
export * from './rtp-packet.js';
export * from './header-extension.js';
export * from './ntp.js';
export * from './receiver-statistics.js';
export * from './rtcp-packet.js';
export * from './rtcp-interval.js';
export * from './demux.js';
export * from './srtp-profile.js';
export * from './srtp-kdf.js';
export * from './aes-counter-mode.js';
export * from './replay-window.js';
export * from './srtp-context.js';
export * from './errors.js';
export * from './telephone-event.js';
export * from './telephone-event-sender.js';
export * from './telephone-event-receiver.js';
