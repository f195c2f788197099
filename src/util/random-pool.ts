import { randomFillSync } from 'node:crypto';

/** Bytes drawn from the OS generator at once; draws above a quarter of it bypass the pool. */
const BLOCK = 1024;
let block = Buffer.alloc(0);
let used = 0;

/**
 * `n` cryptographically random bytes (node:crypto), served from a block refilled 1 KiB at a
 * time: node's randomBytes costs several microseconds per call whatever the size, and setting
 * up one call draws half a dozen small values (tags, branches, SDP session id, SSRC). Every
 * byte is handed out once; the caller gets its own copy.
 */
export function pooledRandomBytes(n: number): Buffer {
  if (n > BLOCK / 4) return randomFillSync(Buffer.allocUnsafe(n));
  if (used + n > block.length) {
    block = randomFillSync(Buffer.allocUnsafe(BLOCK));
    used = 0;
  }
  const out = Buffer.allocUnsafe(n);
  block.copy(out, 0, used, used + n);
  // Handed out: not kept beside the bytes still to come.
  block.fill(0, used, used + n);
  used += n;
  return out;
}
