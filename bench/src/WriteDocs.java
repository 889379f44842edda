import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts the figures of the latest run into docs/BENCHMARKS.md, between the markers
 * {@code <!-- bench:results:begin -->} and {@code <!-- bench:results:end -->}: the report, the JMH scores and the
 * head of the profile. Everything outside the markers is prose and stays as it is.
 *
 *   WriteDocs target/bench docs/BENCHMARKS.md
 */
final class WriteDocs {

    static final String BEGIN = "<!-- bench:results:begin -->";
    static final String END = "<!-- bench:results:end -->";

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path doc = Path.of(args[1]);
        StringBuilder figures = new StringBuilder("\n").append(Files.readString(out.resolve("results.md")));
        if (Files.exists(out.resolve("jmh.txt"))) {
            figures.append("JMH (one thread, score per event):\n\n```\n")
                    .append(Files.readString(out.resolve("jmh.txt")).strip()).append("\n```\n\n");
        }
        if (Files.exists(out.resolve("profile.txt"))) {
            figures.append("Profile of the TCP run (JFR, `bench jfr-top`; the full listing is target/bench/profile.txt):\n\n```\n");
            int rows = 0;
            for (String line : Files.readAllLines(out.resolve("profile.txt"))) {
                // the first 12 rows of each section
                rows = line.startsWith("## ") ? 0 : rows + 1;
                if (rows <= 12) {
                    figures.append(line).append('\n');
                }
            }
            figures.append("```\n");
        }
        String text = Files.readString(doc);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(doc + " has no " + BEGIN + " ... " + END + " section");
        }
        Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + figures + text.substring(end));
        System.out.println("updated " + doc);
    }
}
