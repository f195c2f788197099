// The recent SIP dialogs of a phone for diagnostics (the UI's SIP ladder): the stack's trace
// entries grouped by Call-ID, bounded in dialogs and in messages per dialog, oldest dropped.
import type { SipStack, SipTraceEntry } from '../sip/index.js';

export interface TracedMessage extends SipTraceEntry {
  /** Wall-clock ms (epoch) when the message went out or came in. */
  readonly at: number;
}

export interface TracedDialog {
  readonly callId: string;
  /** The first message's peer: the other end of the ladder. */
  readonly peer: string;
  readonly messages: readonly TracedMessage[];
}

export interface SipTraceOptions {
  /** Call-IDs kept (default 10); the least recently active is dropped. */
  maxDialogs?: number;
  /** Messages kept per Call-ID (default 60); the oldest is dropped. */
  maxMessages?: number;
  now?: () => number;
}

export class SipTrace {
  /** Insertion order = activity order (a dialog is moved to the end on each message). */
  private readonly byCallId = new Map<string, { callId: string; peer: string; messages: TracedMessage[] }>();
  private readonly listeners = new Set<() => void>();
  private readonly stop: () => void;
  private readonly maxDialogs: number;
  private readonly maxMessages: number;
  private readonly now: () => number;

  constructor(stack: Pick<SipStack, 'onTrace'>, o: SipTraceOptions = {}) {
    this.maxDialogs = o.maxDialogs ?? 10;
    this.maxMessages = o.maxMessages ?? 60;
    this.now = o.now ?? Date.now;
    this.stop = stack.onTrace((e) => this.add(e));
  }

  /** The kept dialogs, least recently active first. */
  dialogs(): TracedDialog[] {
    return [...this.byCallId.values()].map((d) => ({ callId: d.callId, peer: d.peer, messages: [...d.messages] }));
  }

  /** Called after each traced message; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.stop();
    this.listeners.clear();
  }

  private add(e: SipTraceEntry): void {
    let d = this.byCallId.get(e.callId);
    if (d === undefined) d = { callId: e.callId, peer: e.remote, messages: [] };
    else this.byCallId.delete(e.callId);
    this.byCallId.set(e.callId, d);
    d.messages.push({ ...e, at: this.now() });
    if (d.messages.length > this.maxMessages) d.messages.shift();
    if (this.byCallId.size > this.maxDialogs) this.byCallId.delete(this.byCallId.keys().next().value!);
    for (const l of this.listeners) l();
  }
}
