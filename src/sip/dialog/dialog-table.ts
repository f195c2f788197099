// The dialogs of a UA, found by their id (RFC 3261 §12.2.2), and the answer for a request
// that names a dialog we do not have (481).
import type { SipMessage } from '../message/index.js';
import { Dialog, dialogKey, type InDialogVerdict } from './dialog.js';

/** What to do with an incoming request as far as dialogs go. */
export type DialogMatch =
  /** No To tag: not in a dialog (§12.2.2 does not apply). */
  | { kind: 'out-of-dialog' }
  | { kind: 'in-dialog'; dialog: Dialog; verdict: InDialogVerdict }
  /** To tag but no dialog: 481 (§12.2.2); an ACK is absorbed silently (it has no response). */
  | { kind: 'unknown-dialog'; respond: { status: 481; reason: string } | undefined };

export class DialogTable {
  private readonly dialogs = new Map<string, Dialog>();

  get size(): number {
    return this.dialogs.size;
  }

  add(dialog: Dialog): void {
    this.dialogs.set(dialog.key, dialog);
  }

  remove(dialog: Dialog): void {
    if (this.dialogs.get(dialog.key) === dialog) this.dialogs.delete(dialog.key);
    dialog.terminate();
  }

  /** The dialog of a request we received: local tag = To tag, remote tag = From tag. */
  findForRequest(request: SipMessage): Dialog | undefined {
    const local = request.toTag;
    if (local === undefined) return undefined;
    return this.dialogs.get(dialogKey({ callId: request.callId, localTag: local, remoteTag: request.fromTag ?? '' }));
  }

  /** The dialog of a response to a request we sent: local tag = From tag, remote tag = To tag. */
  findForResponse(response: SipMessage): Dialog | undefined {
    const local = response.fromTag;
    const remote = response.toTag;
    if (local === undefined || remote === undefined) return undefined;
    return this.dialogs.get(dialogKey({ callId: response.callId, localTag: local, remoteTag: remote }));
  }

  /** §12.2.2: routes a received request to its dialog (updating remote CSeq and target). */
  match(request: SipMessage): DialogMatch {
    if (request.toTag === undefined) return { kind: 'out-of-dialog' };
    const dialog = this.findForRequest(request);
    if (dialog === undefined || dialog.state === 'terminated') {
      return { kind: 'unknown-dialog', respond: request.method === 'ACK' ? undefined : { status: 481, reason: 'Call/Transaction Does Not Exist' } };
    }
    return { kind: 'in-dialog', dialog, verdict: dialog.receiveRequest(request) };
  }
}
