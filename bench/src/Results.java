import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results file: one scenario per line, tab-separated key=value pairs; the last line of a name wins. */
final class Results {

    final Map<String, Map<String, String>> byName = new LinkedHashMap<>();

    static Results read(Path file) throws IOException {
        Results results = new Results();
        for (String line : Files.readAllLines(file)) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : line.split("\t")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            if (fields.containsKey("name")) {
                results.byName.remove(fields.get("name"));
                results.byName.put(fields.get("name"), fields);
            }
        }
        return results;
    }

    Map<String, String> get(String name) {
        return byName.getOrDefault(name, Map.of());
    }

    double number(String name, String field) {
        String value = get(name).get(field);
        try {
            return value == null ? Double.NaN : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    List<Map<String, String>> startingWith(String prefix) {
        List<Map<String, String>> list = new ArrayList<>();
        byName.forEach((name, fields) -> {
            if (name.startsWith(prefix)) {
                list.add(fields);
            }
        });
        return list;
    }
}
