// Settings: accounts (errors name the field), call handling, codecs and SRTP, and audio devices
// (remembered in the browser, re-applied when a device comes back).
import type { HandsetState } from '../engine.js';
import type { AudioSettings } from './audio-path.js';
import { byId, el, emptyState, field, select, showFieldError } from './dom.js';
import type { ViewContext } from './views.js';

const TRANSPORTS: [string, string][] = [['udp', 'UDP'], ['tcp', 'TCP'], ['tls', 'TLS'], ['ws', 'WebSocket'], ['wss', 'Secure WebSocket']];

export class SettingsView {
  private readonly accounts = el('div');
  private readonly call = el('form', { id: 'call-settings', 'aria-label': 'Call settings' });
  private readonly inputs: Record<string, HTMLInputElement | HTMLSelectElement> = {};
  private readonly inputDevice = select([['', 'Default microphone']], '');
  private readonly outputDevice = select([['', 'Default speaker']], '');
  /** The settings the call form shows: other deltas (calls, ladder) never overwrite an edit. */
  private shown: HandsetState['settings'] | undefined;

  constructor(private readonly ctx: ViewContext, private readonly applyAudio: (s: AudioSettings) => void) {
    const view = byId('view-settings');
    view.replaceChildren(el('h2', {}, 'Settings'), this.accounts, this.buildAccountForm(), this.buildCallForm(), this.buildAudioForm());
    navigator.mediaDevices?.addEventListener('devicechange', () => void this.refreshDevices());
    void this.refreshDevices();
  }

  private buildAccountForm(): HTMLElement {
    const form = el('form', { id: 'account-form', 'aria-label': 'Add account' });
    form.append(el('h3', {}, 'Add an account'));
    const inputs = {
      aor: el('input', { placeholder: 'sip:alice@example.com', autocomplete: 'username' }),
      password: el('input', { type: 'password', autocomplete: 'current-password' }),
      displayName: el('input', { autocomplete: 'name' }),
      proxy: el('input', { placeholder: 'sip:proxy.example.com;transport=tcp' }),
      transport: select(TRANSPORTS, 'udp'),
    };
    field(form, 'aor', 'SIP address', inputs.aor);
    field(form, 'password', 'Password', inputs.password);
    field(form, 'displayName', 'Display name', inputs.displayName);
    field(form, 'proxy', 'Proxy', inputs.proxy);
    field(form, 'transport', 'Transport', inputs.transport);
    form.append(el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Add account')), el('div', { class: 'field-error form-error', role: 'alert' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const args: Record<string, unknown> = { aor: inputs.aor.value, password: inputs.password.value, transport: inputs.transport.value };
      if (inputs.displayName.value !== '') args['displayName'] = inputs.displayName.value;
      if (inputs.proxy.value !== '') args['proxy'] = inputs.proxy.value;
      void this.ctx.command('account-add', args).then((r) => (r.ok ? form.reset() : showFieldError(form, r.field, r.error)));
    });
    return form;
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
    this.accounts.replaceChildren(el('h3', {}, 'Accounts'));
    if (!state.features.accounts) this.accounts.append(emptyState('No accounts can register yet: accounts need the phone core, which is not built. The echo test (*43) works without one.'));
    else if (state.accounts.length === 0) this.accounts.append(emptyState('No accounts yet.'));
    for (const a of state.accounts) this.accounts.append(el('p', {}, `${a.displayName || a.aor} (${a.transport}): ${a.registration}${a.detail ? ` — ${a.detail}` : ''}`));
    if (this.call.contains(document.activeElement) || state.settings === this.shown) return;
    const s = (this.shown = state.settings);
    const values: Record<string, string | boolean> = { ...s, codecOrder: s.codecOrder.join(',') };
    for (const [k, i] of Object.entries(this.inputs)) {
      if (i instanceof HTMLInputElement && i.type === 'checkbox') i.checked = values[k] === true;
      else i.value = String(values[k] ?? '');
    }
  }
}
