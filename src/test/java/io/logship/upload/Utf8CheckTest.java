package io.logship.upload;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8CheckTest {

    private static byte[] hex(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    /** Index of the first bad byte when the whole input is scanned at once, -2 if only the end is incomplete, -1 if valid. */
    private static int check(byte[] bytes) {
        Utf8Check check = new Utf8Check();
        int bad = check.scan(bytes, 0, bytes.length);
        if (bad >= 0) {
            return bad;
        }
        return check.complete() ? -1 : -2;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "41",                // ASCII
            "7F",
            "C2 80",             // U+0080, the smallest 2-byte
            "DF BF",             // U+07FF
            "E0 A0 80",          // U+0800, the smallest 3-byte
            "ED 9F BF",          // U+D7FF, just below the surrogates
            "EE 80 80",          // U+E000, just above them
            "EF BF BF",          // U+FFFF
            "F0 90 80 80",       // U+10000, the smallest 4-byte
            "F4 8F BF BF",       // U+10FFFF, the largest code point
            "E6 97 A5 E6 9C AC", // 日本
            "F0 9F 9A 80"})      // 🚀
    void validSequences(String bytes) {
        assertEquals(-1, check(hex(bytes)));
    }

    @Test
    void javaEncodedTextIsValid() {
        byte[] text = "caf\u00e9 \u65e5\u672c\u8a9e \ud83d\ude80\n\u0000\u007f".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, check(text));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "C0 80",             // overlong NUL
            "C1 BF",             // overlong U+007F
            "E0 80 80",          // overlong 3-byte
            "E0 9F BF",          // overlong U+07FF
            "F0 80 80 80",       // overlong 4-byte
            "F0 8F BF BF",       // overlong U+FFFF
            "ED A0 80",          // U+D800, a high surrogate
            "ED BF BF",          // U+DFFF, a low surrogate
            "F4 90 80 80",       // U+110000, above Unicode
            "F5 80 80 80",
            "F8 88 80 80 80",    // old 5-byte form
            "FE", "FF",
            "80",                // continuation byte alone
            "BF"})
    void invalidSequencesAreRefusedAtTheirFirstBadByte(String bytes) {
        byte[] input = hex("41 42 " + bytes);
        int bad = check(input);
        assertTrue(bad == 2 || bad == 3, "refused at the lead byte or the first continuation byte, was " + bad);
    }

    @Test
    void truncatedSequenceFollowedByAsciiIsRefused() {
        assertEquals(1, check(hex("C3 41")));
        assertEquals(2, check(hex("E6 97 41")));
        assertEquals(3, check(hex("F0 9F 9A 0A")));
    }

    @Test
    void truncatedSequenceAtTheEndIsIncomplete() {
        assertEquals(-2, check(hex("41 C3")));
        assertEquals(-2, check(hex("E6 97")));
        assertEquals(-2, check(hex("F0 9F 9A")));
    }

    @Test
    void sequencesMaySpanScanCalls() {
        byte[] rocket = hex("F0 9F 9A 80");
        Utf8Check check = new Utf8Check();
        for (byte b : rocket) {
            assertEquals(-1, check.scan(new byte[] {b}, 0, 1));
        }
        assertTrue(check.complete());

        Utf8Check surrogate = new Utf8Check();
        assertEquals(-1, surrogate.scan(hex("ED"), 0, 1));
        assertFalse(surrogate.complete());
        assertEquals(0, surrogate.scan(hex("A0 80"), 0, 2), "the state of the lead byte carries over");
    }

    @Test
    void scanHonoursOffsetAndLength() {
        byte[] bytes = hex("FF 41 42 FF");
        assertEquals(-1, new Utf8Check().scan(bytes, 1, 2));
        assertEquals(3, new Utf8Check().scan(bytes, 1, 3));
    }

    @Test
    void findsTheBadByteOfALaterChunk() {
        Utf8Check check = new Utf8Check();
        byte[] first = "one\ntwo\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, check.scan(first, 0, first.length));
        byte[] second = hex("74 68 0A 66 6F C3 28 0A");  // "th\nfo" + bad + "(\n"
        assertEquals(6, check.scan(second, 0, second.length));
    }

    /** Long ASCII runs are read 32 bytes at a time: a bad byte anywhere in them, or right after, is still found. */
    @Test
    void findsBadBytesInLongAsciiRuns() {
        java.util.Random random = new java.util.Random(7);
        for (int run = 0; run < 500; run++) {
            byte[] bytes = new byte[1 + random.nextInt(300)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(5) == 0 ? (byte) '\n' : (byte) ('a' + random.nextInt(26));
            }
            int bad = random.nextInt(bytes.length);
            bytes[bad] = (byte) (0x80 + random.nextInt(0x80));
            boolean lead = (bytes[bad] & 0xFF) >= 0xC2 && (bytes[bad] & 0xFF) <= 0xF4;
            int from = random.nextInt(bad + 1);
            Utf8Check check = new Utf8Check();
            assertEquals(-1, check.scan(bytes, 0, from));
            int found = check.scan(bytes, from, bytes.length - from);
            // a lead byte is refused at the ASCII byte after it, or is a truncated character at the end
            if (lead) {
                assertTrue(found == bad + 1 || (found == -1 && bad == bytes.length - 1 && !check.complete()), "run " + run);
            } else {
                assertEquals(bad, found, "run " + run);
            }
        }
        byte[] mixed = "abcdefgh\u00e9ijklmnop\nqrstuvwx\u65e5yz\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        Utf8Check check = new Utf8Check();
        assertEquals(-1, check.scan(mixed, 0, mixed.length));
        assertTrue(check.complete());
    }
}
