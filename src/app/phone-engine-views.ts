// What the page renders, read off the Phone: calls as CallView, history rows, the SIP ladder
// and RTP statistics (accounts: phone-engine-accounts.ts). Pure functions of the phone's objects (plus what the engine noted from events).
import type { Call, HistoryRow as PhoneHistoryRow, TracedDialog } from '../phone/index.js';
import type { CallView, ContactView, HistoryRow, LadderEntry, RtpStatsView } from '../ui/index.js';

/** What the engine learnt from a call's events. */
export interface CallNotes {
  codec: string;
  earlyMedia: boolean;
}

/** "sip:bob@host" ↔ contact URIs, compared without scheme case and parameters. */
const bareUri = (uri: string): string => uri.replace(/^<|>$/g, '').split(';')[0]!.toLowerCase();

export function contactName(contacts: readonly ContactView[], uri: string): string {
  const want = bareUri(uri);
  return contacts.find((c) => bareUri(c.uri) === want)?.name ?? '';
}

/** 0–5 from loss and jitter (a rough MOS-like scale); null before any packet arrived. */
export function quality(call: Call): number | null {
  const s = call.stream?.getStats();
  if (s === undefined || s.packetsReceived === 0) return null;
  const loss = s.lossFraction;
  const jitter = s.interarrivalJitterMs;
  if (loss < 0.01 && jitter < 20) return 5;
  if (loss < 0.03 && jitter < 40) return 4;
  if (loss < 0.05) return 3;
  if (loss < 0.1) return 2;
  return 1;
}

export function callView(call: Call, notes: CallNotes | undefined, contacts: readonly ContactView[]): CallView {
  let state: CallView['state'];
  switch (call.state) {
    case 'dialing':
      state = 'dialing';
      break;
    case 'ringing':
      state = call.direction === 'incoming' ? 'incoming' : notes?.earlyMedia ? 'early' : 'ringing';
      break;
    case 'answering':
    case 'active':
      state = call.held.local ? 'held' : 'active';
      break;
    case 'ended':
      state = 'ended';
      break;
  }
  return {
    id: call.id, direction: call.direction, state, account: call.account ?? '', remoteUri: call.remoteUri, remoteName: contactName(contacts, call.remoteUri),
    answeredAt: call.answeredAt ?? null, codec: notes?.codec ?? '', hd: call.sampleRate >= 16000, muted: call.muted,
    recording: call.pump.recorder !== undefined, quality: quality(call),
  };
}

export function historyView(rows: readonly PhoneHistoryRow[], contacts: readonly ContactView[]): HistoryRow[] {
  // Newest first, as a phone's call list.
  return [...rows].reverse().map((r) => ({
    id: r.callId,
    kind: r.direction === 'outgoing' ? 'outgoing' : r.answeredAt === undefined ? 'missed' : 'incoming', account: r.account ?? '',
    remoteUri: r.remote, remoteName: contactName(contacts, r.remote), startedAt: r.startedAt,
    durationSec: r.answeredAt !== undefined && r.endedAt !== undefined ? Math.round((r.endedAt - r.answeredAt) / 1000) : 0,
  }));
}

/** The recent dialogs' messages, dialog after dialog (least recently active first). */
export function ladderView(dialogs: readonly TracedDialog[]): LadderEntry[] {
  const out: LadderEntry[] = [];
  for (const d of dialogs) {
    for (const m of d.messages) {
      out.push({ at: m.at, direction: m.direction === 'out' ? 'sent' : 'received', peer: m.remote, transport: m.transport, summary: m.firstLine, callId: m.callId, cseq: m.cseq });
    }
  }
  return out;
}

export function rtpViews(calls: readonly Call[]): RtpStatsView[] {
  const out: RtpStatsView[] = [];
  for (const c of calls) {
    const s = c.stream?.getStats();
    if (s === undefined) continue;
    const lost = Math.round(s.lossFraction * (s.packetsReceived / Math.max(1e-9, 1 - s.lossFraction)));
    out.push({ callId: c.id, packetsSent: s.packetsSent, packetsReceived: s.packetsReceived, packetsLost: lost, jitterMs: Math.round(s.interarrivalJitterMs * 10) / 10 });
  }
  return out;
}
