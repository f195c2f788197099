/**
 * Linear prediction for comfort noise: autocorrelation, Levinson–Durbin recursion to
 * reflection coefficients, and the all-pole lattice synthesis filter.
 *
 * Convention: the inverse filter is A(z) = 1 + Σ a_j z^-j, and k_i is the value a_i takes at
 * step i of the recursion (so a low-pass signal has k_1 = -r(1)/r(0) < 0). The synthesis filter
 * 1/A(z) built from the same k_i reproduces the analysed spectral envelope.
 */

/** Autocorrelation r(0..order) of `x`. */
export function autocorrelation(x: Int16Array | Float64Array, order: number, out = new Float64Array(order + 1)): Float64Array {
  const n = x.length;
  for (let lag = 0; lag <= order; lag++) {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += x[i]! * x[i - lag]!;
    out[lag] = sum;
  }
  return out;
}

/**
 * Levinson–Durbin: reflection coefficients k_1..k_order from autocorrelation `r`. Returns the
 * normalised prediction error E/r(0) (1 for white noise). A zero r(0) (digital silence) gives
 * all-zero coefficients. Coefficients are clamped inside (-1, 1) so the synthesis stays stable.
 */
export function reflectionCoefficients(r: Float64Array, order: number, k: Float64Array): number {
  k.fill(0, 0, order);
  if (!(r[0]! > 0)) return 1;
  const a = new Float64Array(order + 1);
  const prev = new Float64Array(order + 1);
  let error = r[0]!;
  for (let i = 1; i <= order; i++) {
    let acc = r[i]!;
    for (let j = 1; j < i; j++) acc += a[j]! * r[i - j]!;
    let ki = -acc / error;
    if (ki > 0.999) ki = 0.999;
    else if (ki < -0.999) ki = -0.999;
    k[i - 1] = ki;
    prev.set(a);
    for (let j = 1; j < i; j++) a[j] = prev[j]! + ki * prev[i - j]!;
    a[i] = ki;
    error *= 1 - ki * ki;
    if (error <= 0) break;
  }
  return error / r[0]!;
}

/**
 * All-pole lattice filter 1/A(z) with state carried across calls (one per noise generator).
 * Lattice form keeps it stable for any |k| < 1 without converting to direct form.
 */
export class LatticeSynthesisFilter {
  private readonly k: Float64Array;
  /** Backward prediction errors b_0..b_{M-1} from the previous sample. */
  private readonly b: Float64Array;

  constructor(readonly order: number) {
    this.k = new Float64Array(order);
    this.b = new Float64Array(order + 1);
  }

  setCoefficients(k: ArrayLike<number>): void {
    for (let i = 0; i < this.order; i++) this.k[i] = i < k.length ? k[i]! : 0;
  }

  reset(): void {
    this.b.fill(0);
  }

  /** Filters one excitation sample, returning the output sample. */
  step(excitation: number): number {
    const k = this.k;
    const b = this.b;
    let f = excitation; // f_M
    for (let i = this.order - 1; i >= 0; i--) {
      f -= k[i]! * b[i]!; // f_i = f_{i+1} - k_{i+1} b_i(n-1)
      b[i + 1] = b[i]! + k[i]! * f; // b_{i+1}(n) = b_i(n-1) + k_{i+1} f_i(n)
    }
    b[0] = f;
    return f;
  }
}
