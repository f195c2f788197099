// sip/transaction: RFC 3261 §17 transactions (with RFC 6026), sans-I/O, and the matching table.
export {
  defaultTimerConfig,
  type TimerConfig,
  type TimerName,
  type TerminationReason,
  type TransactionAction,
  type ClientTransactionEvent,
  type ServerTransactionEvent,
  type TransactionCore,
} from './transaction-types.js';
export { InviteClientTransaction, type InviteClientState } from './invite-client-transaction.js';
export { NonInviteClientTransaction, type NonInviteClientState } from './non-invite-client-transaction.js';
export { InviteServerTransaction, type InviteServerState } from './invite-server-transaction.js';
export { NonInviteServerTransaction, type NonInviteServerState } from './non-invite-server-transaction.js';
export { TransactionRunner, type TransactionOutput } from './transaction-runner.js';
export { magicCookie, sentBy, clientKey, serverKey, type TransactionMessage, type ViaView } from './transaction-keys.js';
export {
  TransactionTable,
  type Transaction,
  type TransactionTableEvent,
  type TransactionTableOptions,
} from './transaction-table.js';
export { buildAckForNon2xx, buildCancel, buildTrying } from './sip-requests.js';
