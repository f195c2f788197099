// Which account a call goes from: the "Call from" chooser beside the number (shown with more
// than one account), the `dial` arguments, and how the display names an account.
import type { AccountView } from '../engine.js';
import { byId, el } from './dom.js';

/** `dial` arguments: the account when one is named and still there (else the engine's default). */
export function dialArgs(accounts: readonly AccountView[], uri: string, account: string): Record<string, unknown> {
  return accounts.some((a) => a.id === account || a.aor === account) ? { uri, account } : { uri };
}

/** The account the chooser names ('' while it is hidden: one account or none). */
export function chosenAccount(): string {
  const chooser = byId<HTMLSelectElement>('dial-account');
  return chooser.hidden ? '' : chooser.value;
}

/** A short name for the account of `aor`: its display name, else the AOR without the scheme. */
export function accountName(accounts: readonly AccountView[], aor: string): string {
  return accounts.find((a) => a.aor === aor)?.displayName || aor.replace(/^sips?:/, '');
}

/** Shows the chooser with more than one account, keeping the choice while that account exists. */
export function renderDialAccount(accounts: readonly AccountView[]): void {
  const chooser = byId<HTMLSelectElement>('dial-account');
  const label = (a: AccountView): string => (a.displayName ? `${a.displayName} <${a.aor}>` : a.aor);
  const key = accounts.map((a) => `${a.id} ${label(a)}`).join('\n');
  chooser.hidden = accounts.length < 2;
  if (chooser.dataset['shown'] === key) return;
  const kept = chooser.value;
  chooser.dataset['shown'] = key;
  chooser.replaceChildren(...accounts.map((a) => el('option', { value: a.id }, label(a))));
  if (accounts.some((a) => a.id === kept)) chooser.value = kept;
}
