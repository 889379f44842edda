package io.logship.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LevelTableTest {

    // The alias table of DESIGN.md, "The event on the wire", written out again here on purpose.
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "trace,TRACE", "TRACE,TRACE", "T,TRACE", "t,TRACE", "V,TRACE", "v,TRACE", "verbose,TRACE", "VERBOSE,TRACE",
            "debug,DEBUG", "D,DEBUG", "d,DEBUG",
            "info,INFO", "Info,INFO", "I,INFO", "i,INFO", "information,INFO", "INFORMATION,INFO",
            "warn,WARN", "warning,WARN", "WARNING,WARN", "W,WARN", "w,WARN",
            "error,ERROR", "err,ERROR", "ERR,ERROR", "E,ERROR", "e,ERROR", "severe,ERROR", "SEVERE,ERROR",
            "fatal,FATAL", "F,FATAL", "crit,FATAL", "critical,FATAL", "CRITICAL,FATAL", "emerg,FATAL", "alert,FATAL"})
    void aliasesMapToTheSixCanonicalLevels(String raw, String canonical) {
        assertEquals(canonical, LevelTable.normalize(raw));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"notice,NOTICE", "combo,COMBO", "Audit,AUDIT", "x,X", "warnings,WARNINGS", "errors,ERRORS"})
    void unknownValuesAreKeptUpperCased(String raw, String expected) {
        assertEquals(expected, LevelTable.normalize(raw));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals("WARN", LevelTable.normalize("  warning\t"));
        assertEquals("NOTICE", LevelTable.normalize(" notice "));
    }

    @Test
    void upperCasingDoesNotDependOnTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            // Turkish upper-cases 'i' to a dotted capital I: "info" would not match INFO, "ping" would not be PING
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
            assertEquals("INFO", LevelTable.normalize("info"));
            assertEquals("PING", LevelTable.normalize("ping"));
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void levelIsReadFromLevelThenSeverityThenLoglevel() {
        assertArrayEquals(new String[] {"level", "severity", "loglevel"}, LevelTable.SOURCE_FIELDS);
    }
}
