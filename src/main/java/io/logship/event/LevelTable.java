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

    /** Canonical level for a raw value; unknown values are kept, upper-cased ({@code notice -> NOTICE}). */
    public static String normalize(String raw) {
        String trimmed = raw.trim();
        String canonical = ALIASES.get(trimmed.toLowerCase(Locale.ROOT));
        return canonical != null ? canonical : trimmed.toUpperCase(Locale.ROOT);
    }
}
