// The narrow contract between the web handset's server and the phone engine. The phone layer
// (src/phone) does not exist yet: src/app implements this with what exists today (echo test,
// account-less state) and the Phone plugs in behind the same interface later.

/** One argument of an engine command, described for the UI and for scripts. */
export interface EngineCommandArg {
  readonly name: string;
  readonly type: 'string' | 'number' | 'boolean';
  readonly required: boolean;
  readonly description: string;
}

/** Outcome of a command. `field` names the argument a validation error is about. */
export type EngineCommandResult =
  | { readonly ok: true; readonly value?: unknown }
  | { readonly ok: false; readonly error: string; readonly field?: string };

/** One row of the command table shared with the CLI (`{ name, args, description, run }`). */
export interface EngineCommand {
  readonly name: string;
  readonly args: readonly EngineCommandArg[];
  readonly description: string;
  run(args: Readonly<Record<string, unknown>>): Promise<EngineCommandResult>;
}

export type RegistrationStatus = 'unregistered' | 'registering' | 'registered' | 'failed' | 'unavailable';

/** One account; `HandsetState.accounts` lists the default account (un-named dials use it) first. */
export interface AccountView {
  /** What commands name it by (`dial {account}`, `account-remove {account}`). */
  readonly id: string;
  readonly aor: string;
  readonly displayName: string;
  readonly transport: string;
  /** Registrar / outbound proxy URI as configured ('' when there is none). */
  readonly proxy: string;
  readonly registration: RegistrationStatus;
  /** Why the registration is in that state (failure reason, "phone core not available"). */
  readonly detail: string;
}

export type CallState = 'dialing' | 'ringing' | 'incoming' | 'early' | 'active' | 'held' | 'ended';

export interface CallView {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly state: CallState;
  /** AOR of the account the call was placed from or came to ('' for direct calls and the echo test). */
  readonly account: string;
  readonly remoteUri: string;
  /** The contact's name when known, else the peer's display name, else ''. */
  readonly remoteName: string;
  /** Epoch ms when the call was answered (drives the call timer), null before. */
  readonly answeredAt: number | null;
  readonly codec: string;
  /** Wideband codec (the display's HD mark). */
  readonly hd: boolean;
  readonly muted: boolean;
  readonly recording: boolean;
  /** 0 (bad) to 5 (excellent), null when there is nothing to measure yet. */
  readonly quality: number | null;
}

export interface HistoryRow {
  readonly id: string;
  readonly kind: 'missed' | 'incoming' | 'outgoing';
  /** AOR of the call's account ('' for a direct call). */
  readonly account: string;
  readonly remoteUri: string;
  readonly remoteName: string;
  readonly startedAt: number;
  readonly durationSec: number;
}

export interface ContactView {
  readonly id: string;
  readonly name: string;
  readonly uri: string;
  /** Presence/BLF lamp once those exist; null while unknown. */
  readonly presence: 'available' | 'busy' | 'ringing' | 'offline' | null;
}

export interface MessageView {
  readonly id: string;
  readonly peer: string;
  readonly direction: 'in' | 'out';
  readonly text: string;
  readonly at: number;
}

export interface HandsetSettings {
  readonly dnd: boolean;
  readonly autoAnswer: boolean;
  readonly forwardTo: string;
  readonly forwardMode: 'off' | 'always' | 'busy' | 'no-answer';
  readonly codecOrder: readonly string[];
  readonly srtp: 'off' | 'optional' | 'mandatory';
  readonly transport: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';
}

/** One SIP message of a recent dialog (the diagnostics ladder); no headers beyond these. */
export interface LadderEntry {
  /** Epoch ms. */
  readonly at: number;
  readonly direction: 'sent' | 'received';
  /** The other end: address:port. */
  readonly peer: string;
  readonly transport: string;
  /** Request method or status line, e.g. "INVITE" or "180 Ringing". */
  readonly summary: string;
  /** Rows with one Call-ID are one dialog's ladder. */
  readonly callId: string;
  /** e.g. "1 INVITE". */
  readonly cseq: string;
}

export interface RtpStatsView {
  readonly callId: string;
  readonly packetsSent: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly jitterMs: number;
}

/** Everything the UI renders. Deltas replace whole top-level keys. */
export interface HandsetState {
  readonly accounts: readonly AccountView[];
  readonly calls: readonly CallView[];
  readonly history: readonly HistoryRow[];
  readonly contacts: readonly ContactView[];
  readonly messages: readonly MessageView[];
  readonly settings: HandsetSettings;
  readonly ladder: readonly LadderEntry[];
  readonly rtp: readonly RtpStatsView[];
  /** Which engine features exist; the UI shows an honest empty state for the others. */
  readonly features: Readonly<Record<EngineFeature, boolean>>;
}

export type EngineFeature = 'calls' | 'accounts' | 'history' | 'contacts' | 'messages' | 'diagnostics' | 'echoTest';

export type HandsetStateDelta = Partial<HandsetState>;

/**
 * One browser's audio path. Clocked from the headset: every microphone frame the browser sends
 * is answered by exactly one speaker frame, so the engine never needs a timer of its own and
 * sample counts (not arrival times) drive RTP timestamps.
 */
export interface AudioSession {
  readonly sampleRate: number;
  readonly frameSamples: number;
  /** `mic` holds `frameSamples` samples; the result must too (silence when nothing plays). */
  process(mic: Int16Array): Int16Array;
  close(): void;
}

export interface HandsetEngine {
  readonly commands: readonly EngineCommand[];
  snapshot(): HandsetState;
  /** Subscribes to state changes; returns the unsubscribe function. */
  onChange(listener: (delta: HandsetStateDelta) => void): () => void;
  /** Opens the audio path for one connected page. */
  openAudio(options: { sampleRate: number; frameSamples: number }): AudioSession;
  close(): Promise<void>;
}
