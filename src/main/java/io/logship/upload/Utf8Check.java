package io.logship.upload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Streaming UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). It does not count
 * lines: the line of a refusal is counted only then, by the caller (a count on every byte of every upload cost
 * twice the check itself).
 */
final class Utf8Check {

    private int need;
    private int lo = 0x80;
    private int hi = 0xBF;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** @return the index of the first invalid byte, or -1 */
    int scan(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            // most uploads are ASCII: 32 bytes at a time while no character is open
            while (need == 0 && i + 32 <= end) {
                long words = (long) LONGS.get(b, i) | (long) LONGS.get(b, i + 8)
                        | (long) LONGS.get(b, i + 16) | (long) LONGS.get(b, i + 24);
                if ((words & HIGH_BITS) != 0) {
                    break;
                }
                i += 32;
            }
            if (i >= end) {
                break;
            }
            int c = b[i] & 0xFF;
            if (need == 0) {
                if (c < 0x80) {
                    continue;
                }
                if (c >= 0xC2 && c <= 0xDF) {
                    expect(1, 0x80, 0xBF);
                } else if (c == 0xE0) {
                    expect(2, 0xA0, 0xBF);
                } else if (c == 0xED) {
                    expect(2, 0x80, 0x9F);
                } else if (c >= 0xE1 && c <= 0xEF) {
                    expect(2, 0x80, 0xBF);
                } else if (c == 0xF0) {
                    expect(3, 0x90, 0xBF);
                } else if (c >= 0xF1 && c <= 0xF3) {
                    expect(3, 0x80, 0xBF);
                } else if (c == 0xF4) {
                    expect(3, 0x80, 0x8F);
                } else {
                    return i;
                }
            } else {
                if (c < lo || c > hi) {
                    return i;
                }
                expect(need - 1, 0x80, 0xBF);
            }
        }
        return -1;
    }

    private void expect(int bytes, int low, int high) {
        need = bytes;
        lo = low;
        hi = high;
    }

    boolean complete() {
        return need == 0;
    }
}
