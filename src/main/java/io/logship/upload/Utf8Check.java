package io.logship.upload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Streaming UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) that
 * knows the line it is on, so a refusal can name the line.
 */
final class Utf8Check {

    private int need;
    private int lo = 0x80;
    private int hi = 0xBF;
    private long line = 1;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_7_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    /** @return the index of the first invalid byte, or -1 */
    int scan(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            // most uploads are ASCII: eight bytes at a time while no character is open
            while (need == 0 && i + 8 <= end) {
                long word = (long) LONGS.get(b, i);
                if ((word & HIGH_BITS) != 0) {
                    break;
                }
                long x = word ^ NEWLINES;   // a zero byte where b had '\n'
                line += Long.bitCount(~(((x & LOW_7_BITS) + LOW_7_BITS) | x) & HIGH_BITS);
                i += 8;
            }
            if (i >= end) {
                break;
            }
            int c = b[i] & 0xFF;
            if (need == 0) {
                if (c < 0x80) {
                    if (c == '\n') {
                        line++;
                    }
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

    long line() {
        return line;
    }
}
