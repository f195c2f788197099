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
// Audio devices, the pump, conference mixing, recording and the echo test.
export * from './sample-fifo.js';
export * from './audio-device.js';
export * from './null-audio-device.js';
export * from './tone-source.js';
export * from './wav-file-source.js';
export * from './wav-file-recorder.js';
export * from './call-recorder.js';
export * from './pcm-iterator-devices.js';
export * from './pipe-audio-device.js';
export * from './frame-ticker.js';
export * from './audio-pump.js';
export * from './conference-mixer.js';
export * from './echo-test.js';
