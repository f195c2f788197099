// sip/: the SIP stack. Public face of every sublayer (message now; transaction, dialog, ua later).
export * from './message/index.js';
export * from './transport/index.js';
export * from './dialog/index.js';
export * from './ua/index.js';
