// One import for interop tests: `import { startKamailio, runSipp, ... } from '../support/peers/index.js'`.
export * from './env.js';
export * from './process.js';
export * from './kamailio.js';
export * from './usrloc-dump.js';
export * from './sipp.js';
export * from './sipp-scenarios.js';
export * from './baresip.js';
export * from './linphonec.js';
export * from './audio.js';
export * from './sip-probe.js';
