// The side panels: history, contacts, messages, settings and diagnostics. Views whose engine
// side does not exist yet say so instead of showing fake rows.
import type { EngineCommandResult, HandsetState, LadderEntry } from '../engine.js';
import type { AudioPath, AudioSettings } from './audio-path.js';
import { byId, el, emptyState, field, showFieldError } from './dom.js';

export interface ViewContext {
  command(name: string, args?: Record<string, unknown>): Promise<EngineCommandResult>;
  /** Calls `uri` from `account` (id or AOR; '' or gone: the default account). */
  dial(uri: string, account?: string): void;
  audio(): AudioPath | undefined;
  audioSettings: AudioSettings;
}

const NOT_YET = 'needs the phone core, which is not built yet';

export function setupTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement, focus: boolean): void => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      byId(t.getAttribute('aria-controls')!).hidden = !on;
    }
    if (focus) tab.focus();
  };
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => select(t, false));
    t.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight') select(tabs[(i + 1) % tabs.length]!, true);
      if (e.key === 'ArrowLeft') select(tabs[(i + tabs.length - 1) % tabs.length]!, true);
    });
  });
  select(tabs[0]!, false);
}

const time = (ms: number): string => new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

export function renderHistory(state: HandsetState, ctx: ViewContext): void {
  const view = byId('view-history');
  view.replaceChildren(el('h2', {}, 'Call history'));
  if (!state.features.history) return void view.append(emptyState(`No call history yet: history ${NOT_YET}.`));
  if (state.history.length === 0) return void view.append(emptyState('No calls yet.'));
  // The account column once calls came to or went from more than one account.
  const several = new Set(state.history.map((r) => r.account)).size > 1 || state.accounts.length > 1;
  const head = el('tr', {}, el('th', {}, ''), el('th', {}, 'Who'), ...(several ? [el('th', {}, 'Account')] : []), el('th', {}, 'When'), el('th', {}, 'Length'), el('th', {}, ''));
  const table = el('table', {}, head);
  for (const row of state.history) {
    const back = el('button', { class: 'small', 'aria-label': `Call back ${row.remoteName || row.remoteUri}` }, 'Call back');
    back.addEventListener('click', () => ctx.dial(row.remoteUri, row.account));
    const account = several ? [el('td', { class: 'history-account' }, row.account === '' ? 'direct' : row.account.replace(/^sips?:/, ''))] : [];
    table.append(el('tr', { class: `history-${row.kind}` }, el('td', {}, row.kind), el('td', {}, row.remoteName || row.remoteUri), ...account, el('td', {}, time(row.startedAt)), el('td', {}, `${row.durationSec} s`), el('td', {}, back)));
  }
  view.append(table);
}

export function renderContacts(state: HandsetState, ctx: ViewContext): void {
  const view = byId('view-contacts');
  const focused = view.contains(document.activeElement) && document.activeElement instanceof HTMLInputElement;
  if (focused) return; // never rebuild a form under the user's cursor
  view.replaceChildren(el('h2', {}, 'Contacts'));
  if (!state.features.contacts) return void view.append(emptyState(`Contacts ${NOT_YET}.`));
  const form = el('form', { id: 'contact-form', 'aria-label': 'Add contact' });
  const id = el('input', { type: 'hidden', name: 'id' });
  const name = el('input', { autocomplete: 'off' });
  const uri = el('input', { autocomplete: 'off', placeholder: 'sip:bob@example.com' });
  form.append(el('h3', {}, 'Add or edit a contact'), id);
  field(form, 'name', 'Name', name);
  field(form, 'uri', 'SIP address', uri);
  form.append(el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Save contact')), el('div', { class: 'field-error form-error', role: 'alert' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const args: Record<string, unknown> = { name: name.value, uri: uri.value };
    if (id.value !== '') args['id'] = id.value;
    void ctx.command('contact-save', args).then((r) => (r.ok ? form.reset() : showFieldError(form, r.field, r.error)));
  });
  view.append(form);
  if (state.contacts.length === 0) return void view.append(emptyState('No contacts yet. Presence and BLF lamps appear here once those exist.'));
  const table = el('table');
  for (const c of state.contacts) {
    const call = el('button', { class: 'small', 'aria-label': `Call ${c.name}` }, 'Call');
    call.addEventListener('click', () => ctx.dial(c.uri));
    const edit = el('button', { class: 'small', 'aria-label': `Edit ${c.name}` }, 'Edit');
    edit.addEventListener('click', () => {
      id.value = c.id;
      name.value = c.name;
      uri.value = c.uri;
      name.focus();
    });
    const remove = el('button', { class: 'small', 'aria-label': `Remove ${c.name}` }, 'Remove');
    remove.addEventListener('click', () => void ctx.command('contact-remove', { id: c.id }));
    table.append(el('tr', {}, el('td', {}, c.name), el('td', {}, c.uri), el('td', {}, c.presence ?? ''), el('td', {}, call, edit, remove)));
  }
  view.append(table);
}

export function renderMessages(state: HandsetState): void {
  const view = byId('view-messages');
  view.replaceChildren(el('h2', {}, 'Messages'));
  if (!state.features.messages) return void view.append(emptyState(`No messages: messaging ${NOT_YET}.`));
  if (state.messages.length === 0) return void view.append(emptyState('No messages yet.'));
  const list = el('ul');
  for (const m of state.messages) list.append(el('li', { class: m.direction }, `${m.direction === 'in' ? '←' : '→'} ${m.peer}: ${m.text}`));
  view.append(list);
}

/** Rows by Call-ID, the most recently active dialog first, at most `max` of them. */
function ladderDialogs(rows: readonly LadderEntry[], max = 6): LadderEntry[][] {
  const byCall = new Map<string, LadderEntry[]>();
  for (const r of rows) {
    const list = byCall.get(r.callId) ?? [];
    byCall.delete(r.callId);
    byCall.set(r.callId, [...list, r]);
  }
  return [...byCall.values()].reverse().slice(0, max);
}

/** One dialog as a ladder: Handset on the left, the peer on the right, an arrow per message. */
function renderLadder(rows: readonly LadderEntry[]): HTMLElement {
  const first = rows[0]!;
  const t = el('table', { class: 'ladder', 'data-call-id': first.callId, 'aria-label': `SIP ladder of ${first.callId}` },
    el('caption', {}, `Call-ID ${first.callId} (${first.transport.toUpperCase()})`),
    el('tr', {}, el('th', {}, 'Time'), el('th', { class: 'end' }, 'Handset'), el('th', { class: 'wire' }, ''), el('th', { class: 'end' }, first.peer)));
  for (const r of rows) {
    const sent = r.direction === 'sent';
    const arrow = el('td', { class: `wire ${r.direction}`, title: r.cseq }, sent ? `${r.summary} ──▶` : `◀── ${r.summary}`);
    t.append(el('tr', { 'data-summary': r.summary }, el('td', {}, new Date(r.at).toISOString().slice(11, 23)), el('td', { class: 'end' }, '|'), arrow, el('td', { class: 'end' }, r.peer === first.peer ? '|' : r.peer)));
  }
  return t;
}

export function renderDiagnostics(state: HandsetState, ctx: ViewContext): void {
  const view = byId('view-diagnostics');
  view.replaceChildren(el('h2', {}, 'Diagnostics'));
  const audio = ctx.audio();
  const lat = audio?.latency.engineToRendered ?? [];
  const median = lat.length === 0 ? '–' : `${[...lat].sort((a, b) => a - b)[lat.length >> 1]!.toFixed(1)} ms`;
  view.append(el('h3', {}, 'Browser audio'), el('p', {}, `AudioContext ${audio?.context.sampleRate ?? '–'} Hz, ${audio?.context.state ?? 'not started'}; engine → speaker median ${median}`));
  view.append(el('h3', {}, 'SIP ladder'));
  if (!state.features.diagnostics) view.append(emptyState(`No SIP ladder: signalling ${NOT_YET}.`));
  else if (state.ladder.length === 0) view.append(emptyState('No SIP messages yet.'));
  else for (const dialog of ladderDialogs(state.ladder)) view.append(renderLadder(dialog));
  view.append(el('h3', {}, 'RTP statistics'));
  if (!state.features.diagnostics || state.rtp.length === 0) view.append(emptyState(state.features.diagnostics ? 'No RTP streams.' : `No RTP statistics: media streams ${NOT_YET}.`));
  else {
    const t = el('table', {}, el('tr', {}, el('th', {}, 'Call'), el('th', {}, 'Sent'), el('th', {}, 'Received'), el('th', {}, 'Lost'), el('th', {}, 'Jitter')));
    for (const r of state.rtp) t.append(el('tr', {}, el('td', {}, r.callId), el('td', {}, String(r.packetsSent)), el('td', {}, String(r.packetsReceived)), el('td', {}, String(r.packetsLost)), el('td', {}, `${r.jitterMs.toFixed(1)} ms`)));
    view.append(t);
  }
}
