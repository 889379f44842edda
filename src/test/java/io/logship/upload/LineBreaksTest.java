package io.logship.upload;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineBreaksTest {

    /** Bytes next to '\n' in value (0x09, 0x0B, 0x8A, 0x0A with other high bits) are where a word-wise search errs. */
    private static final byte[] ALPHABET = {'\n', '\n', 0x09, 0x0B, (byte) 0x8A, 0x1A, 0x00, (byte) 0xFF, 'a', '{', (byte) 0xC3};

    @Test
    void findsAndCountsEveryLineBreakAsAByteLoopDoes() {
        Random random = new Random(11);
        for (int run = 0; run < 2_000; run++) {
            byte[] bytes = new byte[random.nextInt(100)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = ALPHABET[random.nextInt(random.nextBoolean() ? ALPHABET.length : 3)];
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            int first = -1;
            long count = 0;
            for (int i = from; i < to; i++) {
                if (bytes[i] == '\n') {
                    first = first < 0 ? i : first;
                    count++;
                }
            }
            assertEquals(first, LineBreaks.next(bytes, from, to), "run " + run);
            assertEquals(count, LineBreaks.count(bytes, from, to), "run " + run);
        }
    }

    @Test
    void aLineBreakAfterAnotherInTheSameWordIsNotMistakenForTheFirst() {
        byte[] bytes = {'a', 'b', 0x0B, '\n', 'c', '\n', 'd', 'e', 'f', 'g', 'h'};
        assertEquals(3, LineBreaks.next(bytes, 0, bytes.length));
        assertEquals(5, LineBreaks.next(bytes, 4, bytes.length));
        assertEquals(-1, LineBreaks.next(bytes, 6, bytes.length));
        assertEquals(2, LineBreaks.count(bytes, 0, bytes.length));
    }
}
