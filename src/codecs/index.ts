// codecs/: audio codec descriptors (G.711, comfort noise). May import util/ only.
export * from './audio-codec.js';
export * from './codec-registry.js';
export * from './g711.js';
export * from './comfort-noise-payload.js';
export * from './comfort-noise.js';
export * from './lpc.js';
export * from './vad.js';
export * from './resample.js';
