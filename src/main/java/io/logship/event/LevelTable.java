package io.logship.event;

import java.util.Locale;
import java.util.Map;

/** The one table of level aliases: every path that names a level goes through here. */
public final class LevelTable {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("trace", "TRACE"), Map.entry("t", "TRACE"), Map.entry("v", "TRACE"), Map.entry("verbose", "TRACE"),
            Map.entry("debug", "DEBUG"), Map.entry("d", "DEBUG"),
            Map.entry("info", "INFO"), Map.entry("i", "INFO"), Map.entry("information", "INFO"),
            Map.entry("warn", "WARN"), Map.entry("warning", "WARN"), Map.entry("w", "WARN"),
            Map.entry("error", "ERROR"), Map.entry("err", "ERROR"), Map.entry("e", "ERROR"), Map.entry("severe", "ERROR"),
            Map.entry("fatal", "FATAL"), Map.entry("f", "FATAL"), Map.entry("crit", "FATAL"), Map.entry("critical", "FATAL"),
            Map.entry("emerg", "FATAL"), Map.entry("alert", "FATAL"));

    /** Fields a level is read from, in order of preference. */
    public static final String[] SOURCE_FIELDS = {"level", "severity", "loglevel"};

    private LevelTable() {
    }

    /** Words that name a level when found in a text line; anything else there is not a level. */
    private static final String[] TEXT_WORDS = {"trace", "verbose", "debug", "info", "information", "notice", "warn",
            "warning", "error", "err", "severe", "fatal", "crit", "critical", "emerg", "alert"};
    private static final byte[][] TEXT_BYTES = new byte[TEXT_WORDS.length][];
    private static final String[] TEXT_LEVELS = new String[TEXT_WORDS.length];
    /** One-letter levels (logcat, glog): only upper case, and only where the file puts its levels. */
    private static final String LETTERS = "VDIWEF";
    private static final String[] LETTER_LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    /** syslog severities 0..7 */
    private static final String[] SEVERITIES = {"FATAL", "FATAL", "FATAL", "ERROR", "WARN", "NOTICE", "INFO", "DEBUG"};

    private static final byte[][] ALIAS_BYTES = new byte[ALIASES.size()][];
    private static final String[] ALIAS_LEVELS = new String[ALIASES.size()];

    static {
        int a = 0;
        for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
            ALIAS_BYTES[a] = alias.getKey().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ALIAS_LEVELS[a++] = alias.getValue();
        }
        for (int i = 0; i < TEXT_WORDS.length; i++) {
            TEXT_BYTES[i] = TEXT_WORDS[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            TEXT_LEVELS[i] = normalize(TEXT_WORDS[i]).intern();
        }
    }

    /**
     * The canonical level of a word in a text line ({@code Info}, {@code WARNING}, {@code notice}, {@code D}),
     * or null when the word is not a level: a line without one gets none rather than a guess.
     */
    public static String textLevel(byte[] b, int from, int to, boolean letters) {
        int length = to - from;
        if (length == 1) {
            int at = letters ? LETTERS.indexOf(b[from]) : -1;
            return at < 0 ? null : LETTER_LEVELS[at];
        }
        if (length < 3 || length > 11) {
            return null;
        }
        for (int w = 0; w < TEXT_BYTES.length; w++) {
            byte[] word = TEXT_BYTES[w];
            if (word.length == length && equalsIgnoreCase(word, b, from)) {
                return TEXT_LEVELS[w];
            }
        }
        return null;
    }

    /** The level of a syslog priority value ({@code <PRI>}). */
    public static String severity(int priority) {
        return SEVERITIES[priority & 7];
    }

    private static boolean equalsIgnoreCase(byte[] lower, byte[] b, int from) {
        for (int i = 0; i < lower.length; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #normalize} of a value given as the raw bytes of a JSON string without escapes, when it is one of the
     * aliases (as most are); null otherwise, and then {@link #normalize} of its text says. No String is made.
     */
    public static String alias(byte[] b, int from, int to) {
        while (from < to && (b[from] & 0xFF) <= ' ') {
            from++;
        }
        while (to > from && (b[to - 1] & 0xFF) <= ' ') {
            to--;
        }
        int length = to - from;
        for (int a = 0; a < ALIAS_BYTES.length; a++) {
            if (ALIAS_BYTES[a].length == length && equalsIgnoreCase(ALIAS_BYTES[a], b, from)) {
                return ALIAS_LEVELS[a];
            }
        }
        return null;
    }

    /** Canonical level for a raw value; unknown values are kept, upper-cased ({@code notice -> NOTICE}). */
    public static String normalize(String raw) {
        String trimmed = raw.trim();
        String canonical = ALIASES.get(trimmed.toLowerCase(Locale.ROOT));
        return canonical != null ? canonical : trimmed.toUpperCase(Locale.ROOT);
    }
}
