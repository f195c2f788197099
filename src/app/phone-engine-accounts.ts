// The web handset's accounts on one running Phone: account-add, account-remove and account-edit
// act live (the phone keeps running; other accounts and calls are untouched), each account's
// registration status is kept for the views, and the settings' transport moves the default
// account over to it. Validation errors name the field.
import type { Account, AccountSettings, Phone } from '../phone/index.js';
import { isSipUri, parseUri, type RegistrationEvent } from '../sip/index.js';
import type { AccountView, EngineCommandResult, HandsetSettings, RegistrationStatus } from '../ui/index.js';
import { checkAccount } from './local-engine-commands.js';
import { accountOverTransport, ensureListener, withTransport } from './phone-settings.js';

interface AccountStatus {
  registration: RegistrationStatus;
  detail: string;
}

export interface EngineAccountsHost {
  /** The accounts or a registration changed (views to send). */
  changed(): void;
  /** After an account change, the default account is another one or registers over another transport. */
  defaultChanged(transport: HandsetSettings['transport']): void;
}

const ok = (value?: unknown): EngineCommandResult => ({ ok: true, value });
const fail = (error: string, field: string): EngineCommandResult => ({ ok: false, error, field });
const transportParam = (uri: string | undefined): string | undefined => /;transport=([a-z]+)/i.exec(uri ?? '')?.[1]?.toLowerCase();

/**
 * Account settings from the form's fields (aor, password, displayName?, proxy?, transport?).
 * A transport other than UDP goes on the proxy as `;transport=` (on sip:<AOR domain> without a
 * proxy); a proxy saying another transport than the field is an error. Without a proxy the
 * account takes calls from anyone (its registrar's address is not known up front).
 */
export function accountFromArgs(a: Readonly<Record<string, unknown>>): AccountSettings | EngineCommandResult {
  const bad = checkAccount(a);
  if (bad) return bad;
  const proxy = (a['proxy'] as string | undefined) || undefined;
  const transport = a['transport'] as HandsetSettings['transport'] | undefined;
  const given = transportParam(proxy);
  if (given !== undefined && transport !== undefined && given !== transport) {
    return fail(`transport: "${transport}", but the proxy says ;transport=${given}`, 'transport');
  }
  const s: AccountSettings = { aor: a['aor'] as string, password: a['password'] as string, directCalls: proxy === undefined };
  if (proxy !== undefined) s.proxy = proxy;
  if (a['displayName']) s.displayName = a['displayName'] as string;
  return transport !== undefined && given === undefined ? withTransport(s, transport) : s;
}

const loopback = (host: string): boolean => /^(127\.|\[?::1\]?$|localhost$)/i.test(host);

/**
 * Why a phone that listens on loopback only (`handset serve` without an account) cannot reach
 * this account's registrar, or undefined. Names the field that holds the registrar.
 */
function unreachable(phone: Phone, s: AccountSettings): EngineCommandResult | undefined {
  const addresses = phone.options.stack.transport.listeners().map((l) => l.address);
  if (addresses.length === 0 || !addresses.every(loopback)) return undefined;
  const field = s.directCalls || s.proxy === undefined ? 'aor' : 'proxy';
  const registrar = parseUri(field === 'aor' ? s.aor : s.proxy!);
  const host = registrar.ok && isSipUri(registrar.value) ? registrar.value.host : '';
  if (loopback(host)) return undefined;
  return fail(`${field}: ${host} is not on this machine, and the phone listens on ${addresses[0]} only (start handset serve with --listen 0.0.0.0:0 or --user)`, field);
}

const statusOf = (e: RegistrationEvent): AccountStatus => {
  if (e.type === 'registered') return { registration: 'registered', detail: `registered for ${e.expires} s` };
  if (e.type === 'registration-failed') return { registration: e.permanent ? 'failed' : 'registering', detail: e.reason };
  return { registration: 'unregistered', detail: e.reason ?? '' };
};

export class EngineAccounts {
  private readonly status = new WeakMap<Account, AccountStatus>();
  /** Account changes run one at a time (each may wait for an un-REGISTER or a new listener). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly phone: Phone, private readonly host: EngineAccountsHost) {
    const onRegistration = (e: RegistrationEvent, account: Account): void => {
      this.status.set(account, statusOf(e));
      host.changed();
    };
    const onAccounts = (): void => host.changed();
    phone.on('registration', onRegistration);
    phone.on('accounts', onAccounts);
    this.unsubscribe = [() => phone.off('registration', onRegistration), () => phone.off('accounts', onAccounts)];
  }

  views(): AccountView[] {
    return this.phone.accounts.map((a) => {
      const s = a.settings;
      const status = s.password === undefined
        ? { registration: 'unregistered' as const, detail: '' }
        : (this.status.get(a) ?? { registration: 'registering' as const, detail: `registering at ${s.proxy ?? a.aor.host}` });
      return { id: a.id, aor: s.aor, displayName: s.displayName ?? '', transport: a.transport ?? 'udp', proxy: s.proxy ?? '', ...status };
    });
  }

  /** An account by id or AOR. */
  find(idOrAor: unknown): Account | undefined {
    return this.phone.accounts.find((a) => a.id === idOrAor || a.settings.aor === idOrAor);
  }

  /** account-add: registers at once (a TCP proxy opens a TCP listener first when there is none). */
  add(a: Readonly<Record<string, unknown>>): Promise<EngineCommandResult> {
    return this.serial(async () => {
      const settings = accountFromArgs(a);
      if ('ok' in settings) return settings;
      if (this.find(settings.aor) !== undefined) return fail(`aor: ${settings.aor} is an account already`, 'aor');
      const far = unreachable(this.phone, settings);
      if (far !== undefined) return far;
      const listening = await ensureListener(this.phone, transportParam(settings.proxy) ?? 'udp');
      if (listening !== undefined) return fail(`transport: ${listening}`, 'transport');
      try {
        return ok(this.phone.addAccount(settings).id);
      } catch (e) {
        // The checks above catch what Account refuses; this names the field all the same.
        const message = (e as Error).message;
        return fail(message, /proxy/.test(message) ? 'proxy' : 'aor');
      }
    });
  }

  /** account-remove: its calls end, it unregisters (resolves once the un-REGISTER is answered or timed out). */
  remove(idOrAor: unknown): Promise<EngineCommandResult> {
    return this.serial(async () => {
      const account = this.find(idOrAor);
      if (account === undefined) return fail(`account: there is no account "${String(idOrAor)}"`, 'account');
      await this.phone.removeAccount(account);
      return ok(account.id);
    });
  }

  /**
   * account-edit: the given fields replace the account's (an empty password keeps the old one;
   * proxy '' removes it), then it registers anew (removed and added again).
   */
  edit(a: Readonly<Record<string, unknown>>): Promise<EngineCommandResult> {
    return this.serial(async () => {
      const account = this.find(a['account']);
      if (account === undefined) return fail(`account: there is no account "${String(a['account'])}"`, 'account');
      const old = account.settings;
      const merged: Record<string, unknown> = {
        aor: a['aor'] ?? old.aor,
        password: a['password'] || old.password,
        displayName: a['displayName'] ?? old.displayName,
        // The transport field decides: the old proxy is taken without its ;transport=.
        proxy: a['proxy'] ?? old.proxy?.replace(/;transport=[a-z]+/i, ''),
        transport: a['transport'] ?? account.transport ?? 'udp',
      };
      const next = accountFromArgs(merged);
      if ('ok' in next) return next;
      if (a['proxy'] === undefined) next.directCalls = old.directCalls;
      const other = this.find(next.aor);
      if (other !== undefined && other !== account) return fail(`aor: ${next.aor} is an account already`, 'aor');
      const far = unreachable(this.phone, next);
      if (far !== undefined) return far;
      return this.replace(account, next);
    });
  }

  /** The settings' transport: the default account registers over it (no-op when it does already). */
  switchTransport(transport: HandsetSettings['transport']): Promise<EngineCommandResult> {
    return this.serial(async () => {
      const over = accountOverTransport(this.phone, transport);
      return over === undefined ? ok() : this.replace(over.account, over.settings);
    });
  }

  /**
   * `account` registers anew with `next`. Re-adding puts an account last, so when it is the
   * default one every account is re-added in order (the default stays first). Not while one of
   * them is in a call (removing an account hangs up its calls).
   */
  private async replace(account: Account, next: AccountSettings): Promise<EngineCommandResult> {
    const all = this.phone.accounts;
    const affected = all[0] === account ? all : [account];
    const busy = this.phone.activeCalls.some((c) => {
      const of = this.phone.accountOf(c);
      return of !== undefined && affected.includes(of);
    });
    if (busy) return fail(`account: hang up first (${account.id} registers anew)`, 'account');
    const listening = await ensureListener(this.phone, transportParam(next.proxy) ?? 'udp');
    if (listening !== undefined) return fail(`transport: ${listening}`, 'transport');
    // Unregistered first: the registrar drops the old binding before the new one is made.
    await Promise.all(affected.map((a) => this.phone.removeAccount(a)));
    let result = ok();
    for (const a of affected) {
      if (a !== account) {
        this.phone.addAccount(a.settings);
        continue;
      }
      try {
        result = ok(this.phone.addAccount(next).id);
      } catch (e) {
        this.phone.addAccount(a.settings);
        result = fail((e as Error).message, 'aor');
      }
    }
    return result;
  }

  /** Runs `op` after the ones before it; tells the host when the default account changed. */
  private serial(op: () => Promise<EngineCommandResult>): Promise<EngineCommandResult> {
    const run = async (): Promise<EngineCommandResult> => {
      const before = this.defaultKey();
      try {
        return await op();
      } finally {
        const after = this.defaultKey();
        if (after !== before) this.host.defaultChanged((this.phone.account?.transport ?? 'udp') as HandsetSettings['transport']);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result;
    return result;
  }

  private defaultKey(): string {
    const a = this.phone.account;
    return a === undefined ? '' : `${a.id} ${a.transport ?? 'udp'}`;
  }

  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }
}
