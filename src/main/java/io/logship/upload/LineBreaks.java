package io.logship.upload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finding and counting {@code \n} eight bytes at a time: every byte of an upload passes through here on its way from
 * the disk to the encoder, and C2 does not vectorize a byte loop that stops at its first match. The spool finds its
 * files' header lines here too.
 */
public final class LineBreaks {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_7_BITS = 0x7F7F7F7F7F7F7F7FL;

    private LineBreaks() {
    }

    /** @return the index of the first {@code \n} in {@code b[from, to)}, or -1 */
    public static int next(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;   // a zero byte where b has '\n'
            // the lowest set bit marks the first zero byte (a borrow can only mark bytes above it)
            long zero = (x - ONES) & ~x & HIGH_BITS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** @return how many {@code \n} there are in {@code b[from, to)} */
    public static long count(byte[] b, int from, int to) {
        long count = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            // exact per byte (no borrow between bytes): the high bit set where x's byte is zero
            count += Long.bitCount(~(((x & LOW_7_BITS) + LOW_7_BITS) | x) & HIGH_BITS);
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                count++;
            }
        }
        return count;
    }
}
