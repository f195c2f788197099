/**
 * Call-progress tones per region, as cadences of sounds and silences. Values follow the
 * national tone plans as collected in ITU-T E.180 Supplement 2 (frequencies in Hz, times in
 * ms); "f×m" there (e.g. 400×16) is f amplitude-modulated by m. Check them against the
 * operator's plan before using Handset as a PSTN-facing gateway.
 */

export interface ToneSound {
  /** Frequencies summed, each at the generator's per-component level. */
  readonly frequencies: readonly number[];
  /** E.180 modulated tone "f×m": the sum is amplitude-modulated (full depth) at this rate. */
  readonly modulationHz?: number;
}

export interface ToneSegment {
  readonly ms: number;
  /** null = silence. */
  readonly sound: ToneSound | null;
}

export interface ToneSpec {
  readonly segments: readonly ToneSegment[];
  /** Repeat the segments forever (cadenced tones) or play them once (digit strings). */
  readonly repeat: boolean;
}

export type CallProgressTone = 'dial' | 'ringback' | 'busy' | 'congestion' | 'callWaiting';

export interface RegionTonePlan {
  readonly region: string;
  readonly description: string;
  readonly tones: Readonly<Record<CallProgressTone, ToneSpec>>;
  /** The local ringer's cadence, alternating on/off ms from the start of ringing. */
  readonly ringCadenceMs: readonly number[];
}

/** A sound of these frequencies. */
export function sound(...frequencies: number[]): ToneSound {
  return { frequencies };
}

/** A continuous tone. */
export function continuous(s: ToneSound): ToneSpec {
  return { segments: [{ ms: Infinity, sound: s }], repeat: false };
}

/** A repeating cadence: alternating on (the sound) and off (silence) durations in ms. */
export function cadence(s: ToneSound, ...onOffMs: number[]): ToneSpec {
  return { segments: onOffMs.map((ms, i) => ({ ms, sound: i % 2 === 0 ? s : null })), repeat: true };
}

const us: RegionTonePlan = {
  region: 'us',
  description: 'United States / NANP (Precise Tone Plan)',
  tones: {
    dial: continuous(sound(350, 440)),
    ringback: cadence(sound(440, 480), 2000, 4000),
    busy: cadence(sound(480, 620), 500, 500),
    congestion: cadence(sound(480, 620), 250, 250), // "reorder"
    callWaiting: cadence(sound(440), 300, 9700),
  },
  ringCadenceMs: [2000, 4000],
};

const uk: RegionTonePlan = {
  region: 'uk',
  description: 'United Kingdom (BT SIN 350)',
  tones: {
    dial: continuous(sound(350, 440)),
    ringback: cadence(sound(400, 450), 400, 200, 400, 2000),
    busy: cadence(sound(400), 375, 375),
    congestion: cadence(sound(400), 400, 350, 225, 525),
    callWaiting: cadence(sound(400), 100, 2000),
  },
  ringCadenceMs: [400, 200, 400, 2000],
};

const etsi: RegionTonePlan = {
  region: 'etsi',
  description: 'Europe, generic (ETSI ES 201 970 recommended values)',
  tones: {
    dial: continuous(sound(425)),
    ringback: cadence(sound(425), 1000, 4000),
    busy: cadence(sound(425), 500, 500),
    congestion: cadence(sound(425), 250, 250),
    callWaiting: cadence(sound(425), 200, 200, 200, 4400),
  },
  ringCadenceMs: [1000, 4000],
};

const de: RegionTonePlan = {
  region: 'de',
  description: 'Germany',
  tones: {
    dial: continuous(sound(425)),
    ringback: cadence(sound(425), 1000, 4000),
    busy: cadence(sound(425), 480, 480),
    congestion: cadence(sound(425), 240, 240),
    callWaiting: cadence(sound(425), 200, 200, 200, 5000),
  },
  ringCadenceMs: [1000, 4000],
};

const fr: RegionTonePlan = {
  region: 'fr',
  description: 'France',
  tones: {
    dial: continuous(sound(440)),
    ringback: cadence(sound(440), 1500, 3500),
    busy: cadence(sound(440), 500, 500),
    congestion: cadence(sound(440), 250, 250),
    callWaiting: cadence(sound(440), 300, 10000),
  },
  ringCadenceMs: [1500, 3500],
};

const jp: RegionTonePlan = {
  region: 'jp',
  description: 'Japan (modulated ringback 400×16)',
  tones: {
    dial: continuous(sound(400)),
    ringback: cadence({ frequencies: [400], modulationHz: 16 }, 1000, 2000),
    busy: cadence(sound(400), 500, 500),
    congestion: cadence(sound(400), 500, 500),
    callWaiting: cadence({ frequencies: [400], modulationHz: 16 }, 500, 4000),
  },
  ringCadenceMs: [1000, 2000],
};

/** All built-in plans by region code. */
export const tonePlans: Readonly<Record<string, RegionTonePlan>> = Object.freeze({ us, uk, etsi, de, fr, jp });

/** The plan for a region code (case-insensitive), or undefined. */
export function tonePlanFor(region: string): RegionTonePlan | undefined {
  const key = region.toLowerCase();
  return Object.prototype.hasOwnProperty.call(tonePlans, key) ? tonePlans[key] : undefined;
}

/** Whether a ringer following `cadenceMs` (on/off alternating, repeating) sounds at `elapsedMs`. */
export function cadenceIsOn(cadenceMs: readonly number[], elapsedMs: number): boolean {
  const period = cadenceMs.reduce((a, b) => a + b, 0);
  if (!(period > 0) || elapsedMs < 0) return false;
  let t = elapsedMs % period;
  for (let i = 0; i < cadenceMs.length; i++) {
    if (t < cadenceMs[i]!) return i % 2 === 0;
    t -= cadenceMs[i]!;
  }
  return false;
}
