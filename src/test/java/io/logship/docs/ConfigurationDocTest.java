package io.logship.docs;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configuration table of docs/LOGSTASH_INTEGRATION.md lists exactly logship's settings in
 * application.properties (not Camel's camel.*), with their environment variable and default; .env.example
 * mentions every one of them.
 */
class ConfigurationDocTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Z0-9_]+)`\\s*\\|\\s*`([a-z0-9.]+)`\\s*\\|\\s*([^|]*?)\\s*\\|.*\\|\\s*$");
    private static final Pattern CODE = Pattern.compile("^`([^`]*)`$");

    @Test
    void configurationTableMatchesApplicationProperties() throws Exception {
        Map<String, String> settings = new TreeMap<>();
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("camel.")) {
                settings.put(key, properties.getProperty(key).trim());
            }
        }

        Map<String, String> documented = new TreeMap<>();
        for (Map.Entry<String, String[]> row : table().entrySet()) {
            String key = row.getKey();
            String variable = row.getValue()[0];
            assertEquals(key.toUpperCase(Locale.ROOT).replace('.', '_'), variable, "environment variable of " + key);
            documented.put(key, defaultOf(row.getValue()[1], key));
        }
        assertEquals(settings.keySet(), documented.keySet(), "settings in application.properties vs. the table");
        assertEquals(settings, documented, "defaults");

        String envExample = Files.readString(Path.of(".env.example"));
        for (String key : settings.keySet()) {
            String variable = key.toUpperCase(Locale.ROOT).replace('.', '_');
            assertTrue(Pattern.compile("(?m)^#?" + variable + "=").matcher(envExample).find(), ".env.example lacks " + variable);
        }
    }

    /** key -> {variable, default cell} from the table under "## Configuration reference". */
    private static Map<String, String[]> table() throws Exception {
        Map<String, String[]> rows = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(Path.of("docs/LOGSTASH_INTEGRATION.md"))) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith("## Configuration reference");
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (inSection && row.matches()) {
                String[] previous = rows.put(row.group(2), new String[] {row.group(1), row.group(3)});
                assertEquals(null, previous, row.group(2) + " is listed twice");
            }
        }
        assertTrue(rows.size() > 10, "no configuration table found in docs/LOGSTASH_INTEGRATION.md");
        return rows;
    }

    /** A default is written `value`, or (empty). */
    private static String defaultOf(String cell, String key) {
        if (cell.equals("(empty)")) {
            return "";
        }
        Matcher code = CODE.matcher(cell);
        assertTrue(code.matches(), "the default of " + key + " must be `value` or (empty), not: " + cell);
        return code.group(1);
    }
}
