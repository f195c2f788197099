// sip/: the SIP stack. Public face of every sublayer (message now; transaction, dialog, ua later).
export * from './message/index.js';
