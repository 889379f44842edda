package io.logship.fallback;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.event.EventBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private static EventBatch batch(String uploadId, String... documents) {
        return batch(uploadId, 0, documents);
    }

    private static EventBatch batch(String uploadId, long resumeLine, String... documents) {
        StringBuilder data = new StringBuilder();
        int[] ends = new int[documents.length];
        long[] lines = new long[documents.length];
        for (int i = 0; i < documents.length; i++) {
            data.append(documents[i]).append('\n');
            ends[i] = data.toString().getBytes(StandardCharsets.UTF_8).length;
            lines[i] = 3 + 2L * i;
        }
        byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
        // a buffer larger than the batch: only `size` bytes are the batch
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 16);
        return new EventBatch(uploadId, "acme", padded, bytes.length, ends, lines, documents.length, 0, resumeLine);
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve("spool"))) {
            return files.sorted().toList();
        }
    }

    @Test
    void aSpooledBatchIsAHeaderLineAndTheVeryDocuments() throws Exception {
        Spool spool = new Spool(dataDir, 1 << 20);
        EventBatch batch = batch("up1", "{\"message\":\"a\",\"event_id\":\"up1-3\"}", "{\"message\":\"\u65e5\",\"event_id\":\"up1-5\"}");
        spool.write(batch);

        List<Path> files = files();
        assertEquals(1, files.size());
        assertTrue(files.get(0).getFileName().toString().endsWith("-up1.ndjson"));
        List<String> lines = Files.readAllLines(files.get(0), StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        JsonNode header = JSON.readTree(lines.get(0));
        assertEquals("up1", header.get("upload_id").asText());
        assertEquals("acme", header.get("tenant_id").asText());
        assertEquals(JSON.readTree("[3,5]"), header.get("lines"));
        assertEquals(batch.document(0), lines.get(1));
        assertEquals(batch.document(1), lines.get(2));
        assertEquals(1, spool.batches());
        assertEquals(Files.size(files.get(0)), spool.bytes());
    }

    @Test
    void oldestFirstAndDeletedOnlyWhenAsked() throws Exception {
        Spool spool = new Spool(dataDir, 1 << 20);
        EventBatch first = batch("a", "{\"n\":1}", "{\"n\":2}");
        spool.write(first);
        spool.write(batch("b", "{\"n\":3}"));

        Spool.Spooled oldest = spool.oldest();
        assertEquals("a", oldest.batch().uploadId());
        assertEquals(2, oldest.batch().count());
        assertArrayEquals(new long[] {3, 5}, oldest.batch().lines());
        assertEquals("{\"n\":1}\n{\"n\":2}\n", oldest.text());
        assertEquals("{\"n\":2}", oldest.batch().document(1));
        assertEquals(oldest.name(), spool.oldest().name(), "reading does not remove");

        spool.delete(oldest.name());
        assertEquals("b", spool.oldest().batch().uploadId());
        spool.delete(spool.oldest().name());
        assertNull(spool.oldest());
        assertTrue(spool.isEmpty());
        assertEquals(0, spool.bytes());
        assertTrue(files().isEmpty());
    }

    @Test
    void survivesARestartDropsHalfWrittenFilesAndKeepsWholeOnes() throws Exception {
        Spool spool = new Spool(dataDir, 1 << 20);
        String kept = spool.write(batch("a", "{\"n\":1}"));
        Path dir = dataDir.resolve("spool");
        // a crash between the fsync of a whole batch and its rename leaves it under its temporary name
        String whole = spool.write(batch("b", "{\"n\":2}", "{\"n\":3}"));
        Files.move(dir.resolve(whole), dir.resolve(whole + ".tmp"));
        // a crash in the middle of the write leaves less than the header announces
        String cut = spool.write(batch("c", "{\"n\":4}", "{\"n\":5}"));
        byte[] content = Files.readAllBytes(dir.resolve(cut));
        Files.delete(dir.resolve(cut));
        Files.write(dir.resolve(cut + ".tmp"), java.util.Arrays.copyOf(content, content.length - 9));
        Files.writeString(dir.resolve("9999999999999-000000001-x.ndjson.tmp"), "half");

        Spool reopened = new Spool(dataDir, 1 << 20);
        assertEquals(2, reopened.batches());
        assertEquals(List.of(kept, whole), files().stream().map(p -> p.getFileName().toString()).toList(),
                "the whole .tmp is kept under its own name, the cut ones are removed");
        assertEquals("a", reopened.oldest().batch().uploadId());
        reopened.delete(kept);
        assertEquals("{\"n\":2}\n{\"n\":3}\n", reopened.oldest().text());
    }

    /** After a crash, the uploads' saved state decides which files are still spooled. */
    @Test
    void atStartFilesTheirUploadsDoNotCountAsSpooledAreRemoved() throws Exception {
        Spool spool = new Spool(dataDir, 1 << 20);
        String counted = spool.write(batch("a", 10, "{\"n\":1}"));
        String pastCheckpoint = spool.write(batch("a", 20, "{\"n\":2}"));
        String replayed = spool.write(batch("b", 10, "{\"n\":3}"));
        String cutFrom = spool.write(batch("c", 10, "{\"n\":4}", "{\"n\":5}"));
        String successor = spool.replace(cutFrom, batch("c", 10, "{\"n\":5}"));
        Spool.Ledger ledger = new Spool.Ledger() {
            @Override
            public boolean settled(String uploadId, String file) {
                return file.equals(replayed);     // c's partial replay was not counted: its original stays whole
            }

            @Override
            public boolean checkpointed(String uploadId, long resumeLine) {
                return !uploadId.equals("a") || resumeLine <= 10;
            }
        };

        Spool reopened = new Spool(dataDir, 1 << 20);
        reopened.reconcile(ledger);
        assertEquals(List.of(counted, cutFrom), files().stream().map(p -> p.getFileName().toString()).toList());
        assertFalse(reopened.contains(pastCheckpoint), "written after a's saved checkpoint: a writes it again when it resumes");
        assertFalse(reopened.contains(replayed), "b counted it as delivered already");
        assertFalse(reopened.contains(successor), "cut from a file its upload did not settle: the original is replayed whole");
        assertEquals(Files.size(dir("spool").resolve(counted)) + Files.size(dir("spool").resolve(cutFrom)), reopened.bytes());
    }

    @Test
    void aBatchThatWouldPassTheBoundIsRefusedUnlessTheSpoolIsEmpty() throws Exception {
        Spool spool = new Spool(dataDir, 100);
        String big = "{\"message\":\"" + "x".repeat(150) + "\"}";
        spool.write(batch("a", big));     // larger than the bound, but alone
        assertTrue(spool.isFull());
        assertThrows(Spool.FullException.class, () -> spool.write(batch("b", "{\"n\":1}")));
        assertEquals(1, spool.batches());
        spool.delete(spool.oldest().name());
        assertFalse(spool.isFull());
        spool.write(batch("b", "{\"n\":1}"));
        assertThrows(Spool.FullException.class, () -> spool.write(batch("c", big)));
        assertTrue(spool.bytes() <= 100, "within the bound: " + spool.bytes());
    }

    private Path dir(String name) {
        return dataDir.resolve(name);
    }

    @Test
    void fullWhenItsBytesReachTheLimit() throws Exception {
        Spool spool = new Spool(dataDir, 100);
        assertFalse(spool.isFull());
        spool.write(batch("a", "{\"message\":\"" + "x".repeat(100) + "\"}"));
        assertTrue(spool.isFull());
        assertEquals(true, spool.view().get("full"));
        assertEquals(1, spool.view().get("batches"));
    }
}
