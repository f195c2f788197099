// Settings: accounts (a list with Edit and Remove, one form to add or edit; errors name the
// field), call handling, codecs and SRTP, and audio devices
// (remembered in the browser, re-applied when a device comes back).
import type { HandsetState } from '../engine.js';
import type { AudioSettings } from './audio-path.js';
import { byId, el, emptyState, field, select, showFieldError } from './dom.js';
import type { ViewContext } from './views.js';

const TRANSPORTS: [string, string][] = [['udp', 'UDP'], ['tcp', 'TCP'], ['tls', 'TLS'], ['ws', 'WebSocket'], ['wss', 'Secure WebSocket']];

/** The account form's inputs (one form adds, or edits the account chosen with its Edit button). */
interface AccountInputs {
  aor: HTMLInputElement;
  password: HTMLInputElement;
  displayName: HTMLInputElement;
  proxy: HTMLInputElement;
  transport: HTMLSelectElement;
}

export class SettingsView {
  private readonly accounts = el('div', { id: 'account-list' });
  private readonly accountForm = el('form', { id: 'account-form', 'aria-label': 'Add account' });
  private readonly accountInputs: AccountInputs = {
    aor: el('input', { placeholder: 'sip:alice@example.com', autocomplete: 'username' }),
    password: el('input', { type: 'password', autocomplete: 'current-password' }),
    displayName: el('input', { autocomplete: 'name' }),
    proxy: el('input', { placeholder: 'sip:proxy.example.com' }),
    transport: select(TRANSPORTS, 'udp'),
  };
  /** The account the form edits (its id), or undefined while it adds one. */
  private editing: string | undefined;
  private readonly call = el('form', { id: 'call-settings', 'aria-label': 'Call settings' });
  private readonly inputs: Record<string, HTMLInputElement | HTMLSelectElement> = {};
  private readonly inputDevice = select([['', 'Default microphone']], '');
  private readonly outputDevice = select([['', 'Default speaker']], '');
  /** The settings the call form shows: other deltas (calls, ladder) never overwrite an edit. */
  private shown: HandsetState['settings'] | undefined;
  /** The account list shown (rebuilt only when the accounts change, so a click is never lost). */
  private shownAccounts: HandsetState['accounts'] | undefined;

  constructor(private readonly ctx: ViewContext, private readonly applyAudio: (s: AudioSettings) => void) {
    const view = byId('view-settings');
    view.replaceChildren(el('h2', {}, 'Settings'), this.accounts, this.buildAccountForm(), this.buildCallForm(), this.buildAudioForm());
    navigator.mediaDevices?.addEventListener('devicechange', () => void this.refreshDevices());
    void this.refreshDevices();
  }

  private buildAccountForm(): HTMLElement {
    const form = this.accountForm;
    const inputs = this.accountInputs;
    const heading = el('h3', { id: 'account-form-heading' }, 'Add an account');
    const submit = el('button', { type: 'submit', id: 'account-form-submit' }, 'Add account');
    const cancel = el('button', { type: 'button', id: 'account-form-cancel', hidden: '' }, 'Cancel');
    form.append(heading);
    field(form, 'aor', 'SIP address', inputs.aor);
    field(form, 'password', 'Password', inputs.password);
    field(form, 'displayName', 'Display name', inputs.displayName);
    field(form, 'proxy', 'Proxy', inputs.proxy);
    field(form, 'transport', 'Transport', inputs.transport);
    form.append(el('div', { class: 'actions' }, submit, cancel), el('div', { class: 'field-error form-error', role: 'alert' }));
    cancel.addEventListener('click', () => this.editAccount(undefined));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const args: Record<string, unknown> = { aor: inputs.aor.value, password: inputs.password.value, transport: inputs.transport.value };
      if (inputs.displayName.value !== '' || this.editing !== undefined) args['displayName'] = inputs.displayName.value;
      if (inputs.proxy.value !== '' || this.editing !== undefined) args['proxy'] = inputs.proxy.value;
      if (this.editing !== undefined) args['account'] = this.editing;
      void this.ctx.command(this.editing === undefined ? 'account-add' : 'account-edit', args).then((r) => {
        if (!r.ok) return showFieldError(form, r.field, r.error);
        showFieldError(form, undefined, '');
        this.editAccount(undefined);
      });
    });
    return form;
  }

  /** Puts the form in edit mode for `account` (its values filled in, the password left empty: kept), or back to adding. */
  private editAccount(account: HandsetState['accounts'][number] | undefined): void {
    const inputs = this.accountInputs;
    this.accountForm.reset();
    this.editing = account?.id;
    const label = account === undefined ? 'Add account' : 'Edit account';
    this.accountForm.setAttribute('aria-label', label);
    byId('account-form-heading').textContent = account === undefined ? 'Add an account' : `Edit ${account.aor}`;
    byId('account-form-submit').textContent = account === undefined ? 'Add account' : 'Save account';
    byId('account-form-cancel').hidden = account === undefined;
    inputs.password.placeholder = account === undefined ? '' : 'unchanged';
    if (account === undefined) return;
    inputs.aor.value = account.aor;
    inputs.displayName.value = account.displayName;
    // The transport field decides: the proxy is shown without its ;transport=.
    inputs.proxy.value = account.proxy.replace(/;transport=[a-z]+/i, '');
    inputs.transport.value = account.transport;
    inputs.aor.focus();
  }

  private renderAccounts(state: HandsetState): void {
    if (state.accounts === this.shownAccounts) return;
    this.shownAccounts = state.accounts;
    this.accounts.replaceChildren(el('h3', {}, 'Accounts'));
    if (!state.features.accounts) return void this.accounts.append(emptyState('No accounts can register yet: accounts need the phone core, which is not built. The echo test (*43) works without one.'));
    if (state.accounts.length === 0) return void this.accounts.append(emptyState('No accounts yet: add one below (calls without one go straight to sip:user@host).'));
    const list = el('ul', { class: 'accounts', 'aria-label': 'Accounts' });
    state.accounts.forEach((a, i) => {
      const edit = el('button', { class: 'small', 'aria-label': `Edit ${a.aor}` }, 'Edit');
      edit.addEventListener('click', () => this.editAccount(a));
      const remove = el('button', { class: 'small', 'aria-label': `Remove ${a.aor}` }, 'Remove');
      remove.addEventListener('click', () => {
        if (this.editing === a.id) this.editAccount(undefined);
        void this.ctx.command('account-remove', { account: a.id }).then((r) => showFieldError(this.accountForm, undefined, r.ok ? '' : r.error));
      });
      const name = a.displayName ? `${a.displayName} <${a.aor}>` : a.aor;
      const status = `${name} (${a.transport}): ${a.registration}${a.detail ? ` — ${a.detail}` : ''}`;
      list.append(el('li', { class: `account ${a.registration}`, 'data-aor': a.aor },
        el('span', { class: 'lamp-dot', 'aria-hidden': 'true' }), el('span', { class: 'account-status' }, status),
        i === 0 && state.accounts.length > 1 ? el('span', { class: 'default-mark' }, 'default') : '', edit, remove));
    });
    this.accounts.append(list);
  }

  private buildCallForm(): HTMLElement {
    const form = this.call;
    form.append(el('h3', {}, 'Calls'));
    const add = (name: string, label: string, input: HTMLInputElement | HTMLSelectElement): void => {
      this.inputs[name] = input;
      field(form, name, label, input);
    };
    add('transport', 'Default transport', select(TRANSPORTS, 'udp'));
    add('codecOrder', 'Codec order', el('input', { placeholder: 'PCMU,PCMA' }));
    add('srtp', 'SRTP', select([['off', 'Off'], ['optional', 'Optional'], ['mandatory', 'Mandatory']], 'optional'));
    add('dnd', 'Do not disturb', el('input', { type: 'checkbox' }));
    add('autoAnswer', 'Auto-answer', el('input', { type: 'checkbox' }));
    add('forwardMode', 'Forward calls', select([['off', 'Off'], ['always', 'Always'], ['busy', 'When busy'], ['no-answer', 'On no answer']], 'off'));
    add('forwardTo', 'Forward to', el('input', { placeholder: 'sip:voicemail@example.com' }));
    form.append(el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Save call settings')), el('div', { class: 'field-error form-error', role: 'alert' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const args: Record<string, unknown> = {};
      for (const [k, i] of Object.entries(this.inputs)) args[k] = i instanceof HTMLInputElement && i.type === 'checkbox' ? i.checked : i.value;
      void this.ctx.command('settings-set', args).then((r) => showFieldError(form, r.ok ? undefined : r.field, r.ok ? '' : r.error));
    });
    return form;
  }

  private buildAudioForm(): HTMLElement {
    const form = el('form', { id: 'audio-settings', 'aria-label': 'Audio settings' });
    const s = this.ctx.audioSettings;
    const ec = el('input', { type: 'checkbox' });
    const ns = el('input', { type: 'checkbox' });
    const agc = el('input', { type: 'checkbox' });
    ec.checked = s.echoCancellation;
    ns.checked = s.noiseSuppression;
    agc.checked = s.autoGainControl;
    form.append(el('h3', {}, 'Audio devices'));
    field(form, 'inputDevice', 'Microphone', this.inputDevice);
    field(form, 'outputDevice', 'Speaker', this.outputDevice);
    field(form, 'echoCancellation', 'Echo cancellation', ec);
    field(form, 'noiseSuppression', 'Noise suppression', ns);
    field(form, 'autoGainControl', 'Automatic gain', agc);
    form.addEventListener('change', () => {
      this.applyAudio({
        echoCancellation: ec.checked, noiseSuppression: ns.checked, autoGainControl: agc.checked,
        inputDeviceId: this.inputDevice.value, outputDeviceId: this.outputDevice.value,
      });
    });
    form.addEventListener('submit', (e) => e.preventDefault());
    return form;
  }

  /** Lists devices; a remembered device that is back is selected and put into use again. */
  async refreshDevices(): Promise<void> {
    const devices = (await navigator.mediaDevices?.enumerateDevices().catch(() => [])) ?? [];
    const fill = (sel: HTMLSelectElement, kind: MediaDeviceKind, fallback: string, remembered: string): void => {
      sel.replaceChildren(el('option', { value: '' }, fallback));
      for (const d of devices) if (d.kind === kind && d.deviceId !== '' && d.deviceId !== 'default') sel.append(el('option', { value: d.deviceId }, d.label || `${kind} ${sel.length}`));
      sel.value = [...sel.options].some((o) => o.value === remembered) ? remembered : '';
    };
    const s = this.ctx.audioSettings;
    fill(this.inputDevice, 'audioinput', 'Default microphone', s.inputDeviceId);
    fill(this.outputDevice, 'audiooutput', 'Default speaker', s.outputDeviceId);
    // Before the microphone is granted the browser lists no device ids: nothing to tell yet.
    if (!devices.some((d) => d.label !== '')) return;
    // A missing device stays remembered; the audio path re-applies it once it is listed again.
    await this.ctx.audio()?.devicesListed({ input: this.inputDevice.value === s.inputDeviceId, output: this.outputDevice.value === s.outputDeviceId });
  }

  render(state: HandsetState): void {
    this.renderAccounts(state);
    if (this.call.contains(document.activeElement) || state.settings === this.shown) return;
    const s = (this.shown = state.settings);
    const values: Record<string, string | boolean> = { ...s, codecOrder: s.codecOrder.join(',') };
    for (const [k, i] of Object.entries(this.inputs)) {
      if (i instanceof HTMLInputElement && i.type === 'checkbox') i.checked = values[k] === true;
      else i.value = String(values[k] ?? '');
    }
  }
}
