// sip/dialog: RFC 3261 §12 dialogs and their table.
export { Dialog, dialogKey, type DialogId, type DialogState, type InDialogRequestInit, type InDialogVerdict } from './dialog.js';
export { DialogTable, type DialogMatch } from './dialog-table.js';
