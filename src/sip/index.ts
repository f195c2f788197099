// sip/: the SIP stack. The public face of every sublayer.
export * from './message/index.js';
export * from './auth/index.js';
export * from './transaction/index.js';
export * from './transport/index.js';
export * from './dialog/index.js';
export * from './ua/index.js';
export * from './session/index.js';
