// phone/: accounts, calls and their features, the command table, the library API.
export { startPhone, type StartPhoneOptions } from './start-phone.js';
export { Phone, type PhoneOptions, type PhoneEvents, type DialOptions } from './phone.js';
export { Account, headerAutoAnswerMs, type AccountSettings, type IncomingDecision } from './account.js';
export { Call, type CallContext } from './call.js';
export { describeEnd, endedNormally, type CallDirection, type CallState, type CallEnd, type CallEndReason, type CallEvents, type DtmfVia } from './call-types.js';
export { CallMedia, type MediaSettings, type MediaOutcome } from './call-media.js';
export { AudioPump, addFrames, TICK_MS } from './audio-pump.js';
export { silence, toneSource, wavSource, PcmFeed, PcmTap, type CallAudioSource, type CallAudioSink } from './call-audio.js';
export { setHold } from './hold.js';
export { swapTo } from './call-waiting.js';
export { sessionCapabilities } from './sip-api.js';
export { sendDtmf, sendFlash, type DtmfMode } from './dtmf.js';
export { blindTransfer, attendedTransfer, followRefer, type ReferPolicy } from './transfer.js';
export { Conference } from './conference.js';
export { startRecording, stopRecording } from './recording.js';
export { CallHistory, type HistoryRow } from './call-history.js';
export { phoneCommands, type PhoneCommand, type CommandResult } from './commands.js';
export { SipTrace, type SipTraceOptions, type TracedDialog, type TracedMessage } from './sip-trace.js';
