// MD5 (RFC 1321) over bytes, for the playground: Web Crypto has no MD5. Small, and checked against
// the server in the browser tests (the demo query signed with it verifies).
"use strict";
const LeopardMd5 = (() => {
  const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  const K = new Uint32Array(64);
  for (let i = 0; i < 64; i++) {
    K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) >>> 0;
  }
  /** The 16-byte digest of a Uint8Array. */
  function digest(bytes) {
    const length = bytes.length;
    const padded = new Uint8Array((((length + 8) >>> 6) + 1) * 64);
    padded.set(bytes);
    padded[length] = 0x80;
    const view = new DataView(padded.buffer);
    const bits = length * 8;
    view.setUint32(padded.length - 8, bits >>> 0, true);
    view.setUint32(padded.length - 4, Math.floor(bits / 4294967296), true);
    let a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
    const m = new Uint32Array(16);
    for (let offset = 0; offset < padded.length; offset += 64) {
      for (let j = 0; j < 16; j++) {
        m[j] = view.getUint32(offset + 4 * j, true);
      }
      let a = a0, b = b0, c = c0, d = d0;
      for (let i = 0; i < 64; i++) {
        let f, g;
        if (i < 16) {
          f = (b & c) | (~b & d); g = i;
        } else if (i < 32) {
          f = (d & b) | (~d & c); g = (5 * i + 1) % 16;
        } else if (i < 48) {
          f = b ^ c ^ d; g = (3 * i + 5) % 16;
        } else {
          f = c ^ (b | ~d); g = (7 * i) % 16;
        }
        f = (f + a + K[i] + m[g]) >>> 0;
        a = d; d = c; c = b;
        const s = S[(i >>> 4) * 4 + (i % 4)];
        b = (b + ((f << s) | (f >>> (32 - s)))) >>> 0;
      }
      a0 = (a0 + a) >>> 0; b0 = (b0 + b) >>> 0; c0 = (c0 + c) >>> 0; d0 = (d0 + d) >>> 0;
    }
    const out = new Uint8Array(16);
    const outView = new DataView(out.buffer);
    outView.setUint32(0, a0, true); outView.setUint32(4, b0, true);
    outView.setUint32(8, c0, true); outView.setUint32(12, d0, true);
    return out;
  }
  return { digest };
})();
if (typeof module !== "undefined") { module.exports = LeopardMd5; }
