// media/: tones, DTMF detection, WAV files; jitter buffer, concealment and the stream pipeline.
// May import util, net, nat, rtp, codecs (index.js only).
export * from './goertzel.js';
export * from './tone-plan.js';
export * from './tones.js';
export * from './dtmf-generator.js';
export * from './dtmf-detector.js';
export * from './jitter-buffer.js';
export * from './waveform-plc.js';
export * from './datagram-port.js';
export * from './media-stream.js';
export * from './wav.js';
