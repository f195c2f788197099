// Telephony headsets over WebHID (HID Usage Tables: Telephony page 0x0B, LED page 0x08).
// Works on anything shaped like a HIDDevice, so tests drive it with a fake device object.

/** The part of WebHID's HIDReportItem this code reads. */
export interface HidReportItemLike {
  readonly usages?: readonly number[];
  readonly isRange?: boolean;
  readonly usageMinimum?: number;
  readonly usageMaximum?: number;
  readonly reportSize?: number;
  readonly reportCount?: number;
  readonly isAbsolute?: boolean;
}

export interface HidReportInfoLike {
  readonly reportId?: number;
  readonly items?: readonly HidReportItemLike[];
}

export interface HidCollectionLike {
  readonly usagePage?: number;
  readonly usage?: number;
  readonly inputReports?: readonly HidReportInfoLike[];
  readonly outputReports?: readonly HidReportInfoLike[];
  readonly children?: readonly HidCollectionLike[];
}

export interface HidInputReportEventLike {
  readonly reportId: number;
  readonly data: DataView;
}

export interface HidDeviceLike {
  readonly opened: boolean;
  readonly productName: string;
  readonly collections: readonly HidCollectionLike[];
  open(): Promise<void>;
  sendReport(reportId: number, data: BufferSource): Promise<void>;
  addEventListener(type: 'inputreport', listener: (e: HidInputReportEventLike) => void): void;
}

export const TELEPHONY_PAGE = 0x0b;
const usage32 = (page: number, id: number): number => ((page << 16) | id) >>> 0;
export const HOOK_SWITCH = usage32(0x0b, 0x20);
export const FLASH = usage32(0x0b, 0x21);
export const PHONE_MUTE = usage32(0x0b, 0x2f);
export const LED_MUTE = usage32(0x08, 0x09);
export const LED_OFF_HOOK = usage32(0x08, 0x17);
export const LED_RING = usage32(0x08, 0x18);

interface Field {
  readonly reportId: number;
  readonly bitOffset: number;
  readonly bits: number;
  readonly absolute: boolean;
}

/** Where each usage sits in its reports: items are laid out in order, reportCount fields each. */
function mapFields(collections: readonly HidCollectionLike[], kind: 'inputReports' | 'outputReports'): { fields: Map<number, Field>; sizes: Map<number, number> } {
  const fields = new Map<number, Field>();
  const sizes = new Map<number, number>();
  const visit = (c: HidCollectionLike): void => {
    for (const report of c[kind] ?? []) {
      const reportId = report.reportId ?? 0;
      let offset = sizes.get(reportId) ?? 0;
      for (const item of report.items ?? []) {
        const size = item.reportSize ?? 0;
        const count = item.reportCount ?? 0;
        for (let i = 0; i < count; i++) {
          const u = item.isRange ? (item.usageMinimum ?? 0) + i : item.usages?.[Math.min(i, (item.usages?.length ?? 1) - 1)];
          if (u !== undefined && !(item.isRange && u > (item.usageMaximum ?? 0)) && !fields.has(u)) {
            fields.set(u, { reportId, bitOffset: offset + i * size, bits: size, absolute: item.isAbsolute ?? true });
          }
        }
        offset += size * count;
      }
      sizes.set(reportId, offset);
    }
    for (const child of c.children ?? []) visit(child);
  };
  for (const c of collections) visit(c);
  return { fields, sizes };
}

function readBits(data: DataView, bitOffset: number, bits: number): number {
  let v = 0;
  for (let i = 0; i < bits; i++) {
    const bit = bitOffset + i;
    const byte = bit >> 3;
    if (byte >= data.byteLength) break;
    if ((data.getUint8(byte) >> (bit & 7)) & 1) v |= 1 << i;
  }
  return v;
}

export interface HeadsetActions {
  answer(): void;
  hangup(): void;
  toggleMute(): void;
  flash(): void;
}

export interface HeadsetView {
  readonly incoming: boolean;
  readonly inCall: boolean;
  readonly muted: boolean;
}

export function isTelephonyHeadset(device: HidDeviceLike): boolean {
  return device.collections.some((c) => c.usagePage === TELEPHONY_PAGE);
}

export class HidHeadset {
  private readonly input: Map<number, Field>;
  private readonly output: Map<number, Field>;
  private readonly outputSizes: Map<number, number>;
  private readonly last = new Map<number, number>();
  private view: HeadsetView = { incoming: false, inCall: false, muted: false };

  constructor(readonly device: HidDeviceLike, private readonly actions: HeadsetActions) {
    ({ fields: this.input } = mapFields(device.collections, 'inputReports'));
    ({ fields: this.output, sizes: this.outputSizes } = mapFields(device.collections, 'outputReports'));
    device.addEventListener('inputreport', (e) => this.onReport(e));
  }

  async open(): Promise<void> {
    if (!this.device.opened) await this.device.open();
  }

  private changed(usage: number, e: HidInputReportEventLike): { field: Field; value: number; before: number } | undefined {
    const field = this.input.get(usage);
    if (field === undefined || field.reportId !== e.reportId) return undefined;
    const value = readBits(e.data, field.bitOffset, field.bits);
    const before = this.last.get(usage) ?? 0;
    this.last.set(usage, value);
    return value === before ? undefined : { field, value, before };
  }

  private onReport(e: HidInputReportEventLike): void {
    const hook = this.changed(HOOK_SWITCH, e);
    if (hook !== undefined) {
      // Absolute hook switches report the state (1 = off hook); relative ones report presses.
      const offHook = hook.field.absolute ? hook.value === 1 : hook.value === 1 && !this.view.inCall;
      const onHook = hook.field.absolute ? hook.value === 0 : hook.value === 1 && this.view.inCall;
      if (offHook && this.view.incoming) this.actions.answer();
      else if (onHook && this.view.inCall) this.actions.hangup();
    }
    const mute = this.changed(PHONE_MUTE, e);
    if (mute !== undefined && mute.value === 1 && this.view.inCall) this.actions.toggleMute();
    const flash = this.changed(FLASH, e);
    if (flash !== undefined && flash.value === 1 && this.view.inCall) this.actions.flash();
  }

  /** Follows the phone's state and lights the LEDs accordingly. */
  async update(view: HeadsetView): Promise<void> {
    this.view = view;
    const reports = new Map<number, Uint8Array<ArrayBuffer>>();
    const set = (usage: number, on: boolean): void => {
      const f = this.output.get(usage);
      if (f === undefined) return;
      let r = reports.get(f.reportId);
      if (r === undefined) {
        r = new Uint8Array(Math.ceil((this.outputSizes.get(f.reportId) ?? 0) / 8));
        reports.set(f.reportId, r);
      }
      if (on) r[f.bitOffset >> 3]! |= 1 << (f.bitOffset & 7);
    };
    set(LED_OFF_HOOK, view.inCall);
    set(LED_MUTE, view.inCall && view.muted);
    set(LED_RING, view.incoming);
    for (const [id, data] of reports) {
      try {
        await this.device.sendReport(id, data);
      } catch {
        // A headset that went away: the page keeps working without LEDs.
      }
    }
  }
}
