// Call history in memory (until the store issue lands): a row when a call starts dialling or
// ringing, completed when it ends. Refused scanner INVITEs never get a row.
import type { Call } from './call.js';
import type { CallDirection, CallEndReason } from './call-types.js';

export interface HistoryRow {
  callId: string;
  direction: CallDirection;
  remote: string;
  account: string | undefined;
  startedAt: number;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  reason: CallEndReason | undefined;
  status: number | undefined;
}

export class CallHistory {
  readonly rows: HistoryRow[] = [];
  constructor(private readonly now: () => number, readonly limit = 1000) {}

  track(call: Call): HistoryRow {
    const row: HistoryRow = {
      callId: call.id, direction: call.direction, remote: call.remoteUri, account: call.account,
      startedAt: call.startedAt, answeredAt: undefined, endedAt: undefined, reason: undefined, status: undefined,
    };
    this.rows.push(row);
    if (this.rows.length > this.limit) this.rows.shift();
    call.once('answered', () => (row.answeredAt = this.now()));
    call.once('ended', (end) => {
      row.endedAt = this.now();
      row.reason = end.reason;
      row.status = end.status;
    });
    return row;
  }
}
