import { ManualClock } from '../../../../src/util/index.js';
import { TransactionRunner, type TransactionCore, type TransactionOutput } from '../../../../src/sip/transaction/index.js';

/** Test messages: requests are strings, responses carry a status. */
export type Req = string;
export interface Res {
  status: number;
  n?: number;
}
export const res = (status: number, n?: number): Res => (n === undefined ? { status } : { status, n });
export const buildAck = (invite: Req, r: Res): Req => `ACK for ${invite} after ${r.status}`;

export interface Recorded {
  at: number;
  action: TransactionOutput<Req, Res>;
}

/** Runs a core on a ManualClock and records every output with its instant. */
export function run<E>(core: TransactionCore<E, Req, Res>): { clock: ManualClock; runner: TransactionRunner<E, Req, Res>; out: Recorded[] } {
  const clock = new ManualClock(0);
  const out: Recorded[] = [];
  const runner = new TransactionRunner(core, clock, (action) => out.push({ at: clock.now(), action }));
  runner.start();
  return { clock, runner, out };
}

/** Instants (seconds) of outputs of one type. */
export const instants = (out: Recorded[], type: TransactionOutput<Req, Res>['type']): number[] =>
  out.filter((r) => r.action.type === type).map((r) => r.at / 1000);
