import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { HmacSha1 } from '../../../src/rtp/hmac-sha1.js';

test('RFC 2202 HMAC-SHA1 test cases 1, 2, 3 and 6 (key longer than the block)', () => {
  const cases: Array<[Buffer, Buffer, string]> = [
    [Buffer.alloc(20, 0x0b), Buffer.from('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
    [Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    [Buffer.alloc(20, 0xaa), Buffer.alloc(50, 0xdd), '125d7342b9ac11cd91a39af48aa17b4f63f175d3'],
    [Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'), 'aa4ae5e15272d00e95705637ce8a3b55ed402112'],
  ];
  for (const [key, data, mac] of cases) assert.equal(new HmacSha1(key).digest(data, data.length, null).toString('hex'), mac);
});

test('matches node:crypto for every length 0..200 around the block and padding boundaries, with and without the ROC suffix', () => {
  const key = Buffer.from('cebe321f6ff7716b6fd4ab49af256a156d38baa4', 'hex');
  const h = new HmacSha1(key);
  const data = Buffer.alloc(200);
  for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
  for (let len = 0; len <= 200; len++) {
    for (const roc of [null, 0, 0xfedcba98]) {
      const ref = createHmac('sha1', key).update(data.subarray(0, len));
      if (roc !== null) { const w = Buffer.alloc(4); w.writeUInt32BE(roc); ref.update(w); }
      assert.equal(h.digest(data, len, roc).toString('hex'), ref.digest('hex'), `len ${len} roc ${roc}`);
    }
  }
});
