// codecs/: audio codec descriptors (G.711, comfort noise). May import util/ only.
export * from './audio-codec.js';
export * from './codec-registry.js';
export * from './g711.js';
