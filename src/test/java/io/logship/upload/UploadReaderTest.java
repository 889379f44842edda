package io.logship.upload;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadReaderTest {

    private static final Upload UPLOAD = new Upload("u1", "acme", "s", null, false, 0);

    @TempDir
    Path dir;

    /** A line as the reader hands it out: its number and text. */
    record Line(long number, String text) {
    }

    private Path file(byte[] content) throws Exception {
        Path file = dir.resolve("content-" + System.nanoTime());
        Files.write(file, content);
        return file;
    }

    private Path file(String content) throws Exception {
        return file(content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<LineBatch> readAll(Path file, long offset, long line, int batchSize, int maxEventBytes) throws Exception {
        List<LineBatch> batches = new ArrayList<>();
        try (UploadReader reader = new UploadReader(UPLOAD, file, offset, line, batchSize, maxEventBytes)) {
            reader.forEachRemaining(batches::add);
        }
        return batches;
    }

    private static List<Line> lines(List<LineBatch> batches) {
        List<Line> lines = new ArrayList<>();
        for (LineBatch batch : batches) {
            for (int i = 0; i < batch.count(); i++) {
                lines.add(new Line(batch.lines()[i], new String(batch.data(), batch.starts()[i],
                        batch.ends()[i] - batch.starts()[i], StandardCharsets.UTF_8)));
            }
        }
        return lines;
    }

    /** Large events end a batch before its event count: a batch's memory stays near UPLOAD_BATCH_BYTES. */
    @Test
    void aBatchEndsAtTheFirstEventPastItsByteLimit() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            content.append(String.valueOf((char) ('a' + i - 1)).repeat(99)).append('\n');   // 100 bytes a line
        }
        Path file = file(content.toString());
        List<LineBatch> batches = new ArrayList<>();
        try (UploadReader reader = new UploadReader(UPLOAD, file, 0, 0, 1000, 1000).limitBytes(250)) {
            reader.forEachRemaining(batches::add);
        }
        assertEquals(List.of(3, 3, 3, 1), batches.stream().map(LineBatch::count).toList(),
                "an event that starts past 250 bytes opens the next batch");
        assertEquals(10, lines(batches).size());
        LineBatch first = batches.get(0);
        assertEquals(300, first.resumeOffset());
        assertEquals(3, first.resumeLine());
        List<LineBatch> resumed = readAll(file, first.resumeOffset(), first.resumeLine(), 1000, 1000);
        assertEquals(4, lines(resumed).get(0).number(), "the resume point is the next event's first line");
    }

    @Test
    void lfCrlfAndAFinalLineWithoutBreak() throws Exception {
        List<Line> lines = lines(readAll(file("a\r\nb\nc\r\nd"), 0, 0, 100, 1000));
        assertEquals(List.of(new Line(1, "a"), new Line(2, "b"), new Line(3, "c"), new Line(4, "d")), lines);
    }

    @Test
    void blankLinesAreNotEventsButKeepTheirNumbers() throws Exception {
        List<Line> lines = lines(readAll(file("\na\n\r\n   \n\t\r\nb\n\n"), 0, 0, 100, 1000));
        assertEquals(List.of(new Line(2, "a"), new Line(6, "b")), lines);
    }

    @Test
    void aBareCarriageReturnInsideALineIsKept() throws Exception {
        assertEquals(List.of(new Line(1, "a\rb")), lines(readAll(file("a\rb\r\n"), 0, 0, 100, 1000)));
    }

    @Test
    void emptyFileHasNoBatches() throws Exception {
        assertTrue(readAll(file(""), 0, 0, 10, 1000).isEmpty());
        assertTrue(readAll(file("\n\r\n \n"), 0, 0, 10, 1000).isEmpty());
    }

    @Test
    void batchesHoldBatchSizeEvents() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 25; i++) {
            text.append("line ").append(i).append('\n');
        }
        List<LineBatch> batches = readAll(file(text.toString()), 0, 0, 10, 1000);
        assertEquals(List.of(10, 10, 5), batches.stream().map(LineBatch::count).toList());
        List<Line> lines = lines(batches);
        assertEquals(25, lines.size());
        for (int i = 0; i < 25; i++) {
            assertEquals(new Line(i + 1, "line " + (i + 1)), lines.get(i));
        }
    }

    /** The encoder reads a run of JSON lines with one parser only when nothing but blanks lies between them. */
    @Test
    void theEventsOfABatchAreSeparatedByLineBreaksAsInTheUpload() throws Exception {
        List<LineBatch> batches = readAll(file("{\"a\":1}\r\n\n{\"a\":2}\n   \n{\"a\":3}\n{\"a\":4}\n{\"a\":5}"), 0, 0, 3, 1000);
        assertEquals(List.of(3, 2), batches.stream().map(LineBatch::count).toList());
        for (LineBatch batch : batches) {
            for (int i = 1; i < batch.count(); i++) {
                assertEquals("\n", new String(batch.data(), batch.ends()[i - 1], batch.starts()[i] - batch.ends()[i - 1]),
                        "between events " + (i - 1) + " and " + i);
            }
        }
    }

    @Test
    void resumingAtABatchEndContinuesWithTheNextLineAndItsNumber() throws Exception {
        Path file = file("l1\r\n\nl3\nl4\r\nl5\n\nl7\nl8");
        List<LineBatch> all = readAll(file, 0, 0, 2, 1000);
        assertEquals(List.of(new Line(1, "l1"), new Line(3, "l3"), new Line(4, "l4"), new Line(5, "l5"),
                new Line(7, "l7"), new Line(8, "l8")), lines(all));
        for (int b = 0; b < all.size(); b++) {
            LineBatch at = all.get(b);
            List<Line> rest = lines(readAll(file, at.resumeOffset(), at.resumeLine(), 2, 1000));
            assertEquals(lines(all.subList(b + 1, all.size())), rest, "resuming after batch " + b);
        }
        LineBatch last = all.get(all.size() - 1);
        assertEquals(Files.size(file), last.resumeOffset());
        assertEquals(8, last.resumeLine());
    }

    @Test
    void resumeOffsetCountsBytesNotCharacters() throws Exception {
        Path file = file("\u65e5\u672c\n\ud83d\ude80\nlast\n");
        List<LineBatch> first = readAll(file, 0, 0, 1, 1000);
        assertEquals(7, first.get(0).resumeOffset());
        assertEquals(List.of(new Line(2, "\ud83d\ude80"), new Line(3, "last")),
                lines(readAll(file, first.get(0).resumeOffset(), first.get(0).resumeLine(), 1, 1000)));
    }

    @Test
    void oversizedLineIsRejectedWithItsNumberAndNeverTruncated() throws Exception {
        String big = "x".repeat(101);
        List<LineBatch> batches = readAll(file("ok1\n" + big + "\nok3\n"), 0, 0, 100, 100);
        assertEquals(List.of(new Line(1, "ok1"), new Line(3, "ok3")), lines(batches));
        List<LineBatch.RejectedLine> rejected = batches.stream().flatMap(b -> b.rejected().stream()).toList();
        assertEquals(1, rejected.size());
        assertEquals(2, rejected.get(0).line());
        assertTrue(rejected.get(0).reason().contains("101 bytes") && rejected.get(0).reason().contains("MAX_EVENT_BYTES"),
                rejected.get(0).reason());
    }

    @Test
    void aLineOfExactlyTheLimitIsAcceptedWhateverItsLineBreak() throws Exception {
        String exact = "y".repeat(100);
        List<LineBatch> batches = readAll(file(exact + "\n" + exact + "\r\n" + exact), 0, 0, 100, 100);
        assertEquals(List.of(new Line(1, exact), new Line(2, exact), new Line(3, exact)), lines(batches));
        assertTrue(batches.stream().allMatch(b -> b.rejected().isEmpty()), "the CR of a CRLF break is not part of the event");
    }

    @Test
    void linesLongerThanTheReadBufferAreReadWhole() throws Exception {
        // 64 KiB read buffer: these lines cross its boundary more than once
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        String a = "a".repeat(150_000);
        String b = "b".repeat(70_000);
        content.writeBytes((a + "\r\nshort\n" + b + "\n").getBytes(StandardCharsets.UTF_8));
        List<LineBatch> batches = readAll(file(content.toByteArray()), 0, 0, 2, 1 << 20);
        assertEquals(List.of(new Line(1, a), new Line(2, "short"), new Line(3, b)), lines(batches));

        List<LineBatch> limited = readAll(file(content.toByteArray()), 0, 0, 2, 100_000);
        assertEquals(List.of(new Line(2, "short"), new Line(3, b)), lines(limited));
        assertEquals(1, limited.get(0).rejected().get(0).line());
    }

    @Test
    void aBatchOfOnlyRejectedLinesStillMovesTheResumePoint() throws Exception {
        Path file = file("x".repeat(50) + "\n" + "y".repeat(50) + "\n");
        List<LineBatch> batches = readAll(file, 0, 0, 10, 10);
        assertEquals(1, batches.size());
        assertEquals(0, batches.get(0).count());
        assertEquals(2, batches.get(0).rejected().size());
        assertEquals(Files.size(file), batches.get(0).resumeOffset());
        assertFalse(new UploadReader(UPLOAD, file, batches.get(0).resumeOffset(), 2, 10, 10).hasNext());
    }

    // ---- multiline: continuation lines join the event before them

    private static List<LineBatch> readJoined(Path file, long offset, long line, int batchSize, int maxEventBytes,
                                              int maxLines) throws Exception {
        List<LineBatch> batches = new ArrayList<>();
        try (UploadReader reader = new UploadReader(UPLOAD, file, offset, line, batchSize, maxEventBytes,
                UploadReader.lineFormat(UPLOAD, file), true, maxLines)) {
            reader.forEachRemaining(batches::add);
        }
        return batches;
    }

    private static List<Line> joined(Path file) throws Exception {
        return lines(readJoined(file, 0, 0, 100, 1 << 20, 500));
    }

    private static final String JAVA_LOG = """
            2024-05-01 12:00:00,000 INFO [main] App - starting
            2024-05-01 12:00:01,000 ERROR [main] App - failed
            java.lang.IllegalStateException: outer
            \tat com.example.App.run(App.java:10)
            \tat com.example.App.main(App.java:5)
            Caused by: java.io.IOException: inner
            \tat com.example.Db.open(Db.java:20)
            \t... 2 more
            2024-05-01 12:00:02,000 INFO [main] App - done
            """;

    @Test
    void aJavaStackTraceWithItsCausesIsOneEventInATimestampedLog() throws Exception {
        List<Line> lines = joined(file(JAVA_LOG));
        assertEquals(List.of(new Line(1, "2024-05-01 12:00:00,000 INFO [main] App - starting"),
                new Line(2, String.join("\n", JAVA_LOG.split("\n")).split("\n2024-05-01 12:00:02")[0]
                        .substring(JAVA_LOG.indexOf("2024-05-01 12:00:01"))),
                new Line(9, "2024-05-01 12:00:02,000 INFO [main] App - done")), lines);
        assertTrue(lines.get(1).text().endsWith("\tat com.example.Db.open(Db.java:20)\n\t... 2 more"), lines.get(1).text());
    }

    @Test
    void aJavaStackTraceWithoutTimestampsStartsAtItsExceptionLine() throws Exception {
        String trace = "java.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)\nCaused by: java.lang.Error: x\n"
                + "\tat d.E.f(E.java:2)\n\t... 1 more\n";
        assertEquals(List.of(new Line(1, trace.strip()), new Line(6, "next line")), joined(file(trace + "next line\n")));
    }

    @Test
    void aPythonTracebackRunsToItsExceptionLine() throws Exception {
        String traceback = "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    main()\n"
                + "ValueError: bad value";
        assertEquals(List.of(new Line(1, traceback), new Line(5, "after it")), joined(file(traceback + "\nafter it\n")));
        String logged = "2024-05-01 12:00:00,000 ERROR worker crashed\n" + traceback + "\n2024-05-01 12:00:01,000 INFO restarted\n";
        List<Line> lines = joined(file(logged));
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("2024-05-01 12:00:00,000 ERROR worker crashed\n" + traceback, lines.get(0).text());
    }

    @Test
    void blankLinesBetweenEventsAreDroppedAndAContinuationAtTheStartIsAnEventOfItsOwn() throws Exception {
        assertEquals(List.of(new Line(1, "\tat orphan.Frame(F.java:1)"), new Line(2, "first\n  indented"),
                        new Line(6, "second")),
                joined(file("\tat orphan.Frame(F.java:1)\nfirst\n\n  indented\n\r\nsecond\n")));
    }

    @Test
    void crlfFilesJoinWithoutTheirCarriageReturnsAndALoneCrIsContent() throws Exception {
        assertEquals(List.of(new Line(1, "error\n\tat a.B(B.java:1)"), new Line(3, "x\ry")),
                joined(file("error\r\n\tat a.B(B.java:1)\r\nx\ry\r\n")));
    }

    @Test
    void aJoinedEventOverMaxEventBytesIsSplitAndMarkedNeverDropped() throws Exception {
        String cont = "  continuation 123456789";       // 24 bytes
        Path file = file("head\n" + cont + "\n" + cont + "\n" + cont + "\nnext\n");
        List<LineBatch> batches = readJoined(file, 0, 0, 100, 30, 500);
        assertEquals(List.of(new Line(1, "head\n" + cont), new Line(3, cont), new Line(4, cont), new Line(5, "next")),
                lines(batches));
        byte[] marks = batches.get(0).marks();
        assertEquals(List.of(LineBatch.SPLIT, LineBatch.SPLIT, LineBatch.SPLIT, (byte) 0),
                List.of(marks[0], marks[1], marks[2], marks[3]));

        List<Line> byLines = lines(readJoined(file, 0, 0, 100, 1000, 2));
        assertEquals(List.of(new Line(1, "head\n" + cont), new Line(3, cont + "\n" + cont), new Line(5, "next")), byLines);
    }

    @Test
    void withMultilineOffEveryLineIsAnEvent() throws Exception {
        List<Line> lines = lines(readAll(file(JAVA_LOG), 0, 0, 100, 1000));
        assertEquals(9, lines.size());
    }

    @Test
    void resumingAtAnyBatchEndInAMultilineFileGivesTheSameEventsAndIds() throws Exception {
        Path file = file(JAVA_LOG + JAVA_LOG.replace("12:00", "13:00") + "\tat trailing.Frame(F.java:9)\n");
        for (int batchSize = 1; batchSize <= 3; batchSize++) {
            List<LineBatch> all = readJoined(file, 0, 0, batchSize, 1 << 20, 500);
            List<Line> events = lines(all);
            assertEquals(6, events.size(), events.toString());
            for (int b = 0; b < all.size(); b++) {
                LineBatch at = all.get(b);
                List<Line> rest = lines(readJoined(file, at.resumeOffset(), at.resumeLine(), batchSize, 1 << 20, 500));
                assertEquals(lines(all.subList(b + 1, all.size())), rest, "batch size " + batchSize + ", resuming after batch " + b);
            }
        }
    }
}
