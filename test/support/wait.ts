// Bounded waiting for tests and benchmarks: a plain delay, and polling a condition with a deadline.

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `f` every 20 ms until it holds; fails naming `what` after `ms`. */
export async function until(what: string, f: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !f(); await sleep(20)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}
